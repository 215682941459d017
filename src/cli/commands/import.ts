/**
 * `annuaire import FILE... [--db URL] [--max-rejected PERCENT]`: imports national extract files (zip or txt,
 * FINESS csv) as one release, and prints what it read, added, changed, deactivated, left unchanged and rejected.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { invalid } from '../../error.js';
import { importRelease } from '../../reconcile/import-release.js';
import { openInputs } from '../../sources/input/open-inputs.js';
import type { SourceFile } from '../../sources/input/source-file.js';
import type { Command } from '../context.js';
import { dbOption, dbUrl, parse } from '../options.js';
import { progressBars, type ProgressBar } from '../progress.js';

export const IMPORT_HELP = `annuaire import FILE... [--db URL] [--max-rejected PERCENT]
                                        import national extracts (PS_LibreAcces zip or txt, MSSanté,
                                        CPS/CPF, FINESS etalab csv) as one release; refused whole when
                                        more than PERCENT of the lines are rejected (default 1)`;

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

export const importCommand: Command = async (args, ctx) => {
  const { values, positionals } = parse(args, { ...dbOption, 'max-rejected': { type: 'string' } }, true);
  if (positionals.length === 0) {
    throw invalid('import needs at least one FILE (see annuaire --help)');
  }
  const maxRejected = Number(values['max-rejected'] ?? '1');
  if (!Number.isFinite(maxRejected) || maxRejected < 0 || maxRejected > 100) {
    throw invalid('--max-rejected needs a percentage between 0 and 100', '--max-rejected');
  }
  const inputs = await openInputs(positionals);
  const store = await ctx.openStore(dbUrl(values.db, ctx.env));
  const bars = progressBars(ctx.io);
  let bar: ProgressBar | undefined;
  let barFile: SourceFile | undefined;
  try {
    await store.migrate();
    const checksums: Record<string, string> = {};
    for (const path of positionals) {
      checksums[basename(path)] = await sha256(path);
    }
    let writing: ProgressBar | undefined;
    const result = await importRelease({
      store,
      nomenclatures: ctx.nomenclatures(),
      files: inputs.files,
      source: `import ${positionals.map((p) => basename(p)).join(' ')}`,
      checksums,
      rejectionThreshold: maxRejected / 100,
      progress: {
        reading: (file, bytes, lines) => {
          if (barFile !== file) {
            bar?.stop();
            bar = bars(`read ${file.name}`, file.size, 'bytes');
            barFile = file;
          }
          bar?.update(bytes, lines);
        },
        writing: (done, total) => {
          if (!writing) {
            bar?.stop();
            bar = undefined;
            writing = bars('write resources', total, 'items');
          }
          writing.update(done);
        },
        finished: () => {
          bar?.stop();
          writing?.stop();
        },
      },
    });
    for (const f of result.files) {
      ctx.io.out(`${f.name}: ${f.kind}, ${f.encoding}, ${f.lines} lines, ${f.rejected} rejected\n`);
    }
    const r = result.release;
    const c = r.counts;
    ctx.io.out(
      `release ${r.id}: read ${c.read}, added ${c.added}, changed ${c.changed}, deactivated ${c.deactivated}, unchanged ${c.unchanged}, rejected ${c.rejected}\n`,
    );
    if (result.keptPersons > 0) {
      ctx.io.out(
        `${result.keptPersons} professionals unchanged since the last import, kept without rebuilding\n`,
      );
    }
    for (const rej of r.report.rejections.slice(0, 20)) {
      ctx.io.err(`rejected ${rej.file}:${rej.line}: ${rej.reason}\n`);
    }
    if (c.rejected > 20) {
      ctx.io.err(
        `… ${c.rejected - 20} more rejected lines in the release report (annuaire db info --json)\n`,
      );
    }
  } finally {
    inputs.close();
    await store.close();
  }
};
