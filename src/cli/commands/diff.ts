/**
 * `annuaire diff OLD NEW [--format csv|ndjson]`: the professionals, practice situations (and diplomas,
 * savoir-faire, cards, mailboxes) added, removed or changed between two extracts of the same kind, on stdout;
 * the files compared and the counts per kind on stderr, at the end, so stdout stays machine-readable.
 */
import { invalid } from '../../error.js';
import { diffExtracts, type DiffSummary } from '../../publish/diff/diff-extracts.js';
import { CSV_HEADER, DIFF_FORMATS, formatChange, type DiffFormat } from '../../publish/diff/format.js';
import type { Command } from '../context.js';
import { parse } from '../options.js';
import { progressBars, type ProgressBar } from '../progress.js';

export const DIFF_HELP = `annuaire diff OLD NEW [--format csv|ndjson]
                                        what was added, removed or changed between two extracts of
                                        the same kind (PS_LibreAcces zip or txt, 52 or 56 columns,
                                        MSSanté, CPS/CPF): changes on stdout, counts on stderr`;

/** Output is written in chunks of about this many characters. */
const OUTPUT_CHUNK = 64 * 1024;

export const diffCommand: Command = async (args, ctx) => {
  const { values, positionals } = parse(args, { format: { type: 'string' } }, true);
  if (positionals.length !== 2) {
    throw invalid('diff needs two files, OLD and NEW (see annuaire --help)');
  }
  const format = (values.format ?? 'csv') as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) {
    throw invalid(`--format must be ${DIFF_FORMATS.join(' or ')}`, '--format');
  }
  const bars = progressBars(ctx.io);
  let bar: ProgressBar | undefined;
  let barLabel = '';
  const show = (label: string, total: number, unit: 'bytes' | 'items'): ProgressBar => {
    if (barLabel !== label || !bar) {
      bar?.stop();
      bar = bars(label, total, unit);
      barLabel = label;
    }
    return bar;
  };
  let buffer = format === 'csv' ? CSV_HEADER : '';
  const summary = await diffExtracts({
    oldPath: positionals[0]!,
    newPath: positionals[1]!,
    onChange: (change) => {
      buffer += formatChange(change, format);
      if (buffer.length >= OUTPUT_CHUNK) {
        ctx.io.out(buffer);
        buffer = '';
      }
    },
    progress: {
      reading: (label, total, bytes, lines) => show(label, total, 'bytes').update(bytes, lines),
      comparing: (done, total) => show('compare', total, 'items').update(done),
    },
  }).finally(() => bar?.stop());
  ctx.io.out(buffer);
  ctx.io.err(describe(summary));
};

function describe(s: DiffSummary): string {
  const lines: string[] = [];
  for (const f of s.files) {
    lines.push(
      `${f.kind}: ${f.old} (${f.oldLines} lines) → ${f.new} (${f.newLines} lines), ${f.strategy}${f.fallback ? ` (${f.fallback})` : ''}`,
    );
    if (f.notCompared.length > 0) {
      lines.push(`  not compared (in one layout only): ${f.notCompared.join(', ')}`);
    }
  }
  for (const skipped of s.skipped) {
    lines.push(`not compared (no counterpart): ${skipped}`);
  }
  if (s.counts.size === 0) {
    lines.push('no differences');
  }
  for (const [kind, c] of s.counts) {
    lines.push(`${kind}: ${c.added} added, ${c.removed} removed, ${c.changed} changed`);
  }
  return lines.join('\n') + '\n';
}
