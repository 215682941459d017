/**
 * Extract diff: `annuaire diff` of the generated PS_LibreAcces zips of day 0 and day 1 (BENCH_SCALE, default 1:
 * 2.2 M Personne_activite lines each), run as the real command in its own process (peak RSS by
 * /usr/bin/time), beside the baseline measured in the same run: both zips read through the same code path
 * (zip entries, decoding, lines split), nothing else. Target (issue 5): diff ≤ 2× the read time.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineReader } from '../src/sources/input/lines.js';
import { openInputs } from '../src/sources/input/open-inputs.js';
import { annuaire, dataset } from './command.js';
import { fmt, timed, type Benchmark } from './harness.js';

/** Reads every entry of the files as the diff does (zip entries, decoding, lines); returns the lines read. */
async function readBoth(paths: readonly string[]): Promise<number> {
  const inputs = await openInputs(paths);
  let lines = 0;
  try {
    for (const file of inputs.files) {
      await lineReader(file).read((batch) => {
        lines += batch.length;
      });
    }
  } finally {
    inputs.close();
  }
  return lines;
}

const psLibreAcces = (paths: readonly string[]): string => {
  const zip = paths.find((p) => /PS_LibreAcces_\d{12}\.zip$/.test(p));
  if (!zip) {
    throw new Error(`no PS_LibreAcces zip among ${paths.join(', ')}`);
  }
  return zip;
};

export const extractDiff: Benchmark = {
  name: 'diff',
  description: 'annuaire diff of the PS_LibreAcces zips of day 0 and day 1, vs reading both zips',
  async run(log) {
    const scale = Number(process.env['BENCH_SCALE'] ?? 1);
    const before = psLibreAcces(dataset(scale, 0, log));
    const after = psLibreAcces(dataset(scale, 1, log));
    const out = join(tmpdir(), `annuaire-bench-diff-${process.pid}.csv`);
    try {
      // The baseline before and after the diff: the smaller is kept (the ratio is then the least flattering).
      log('  baseline: reading both zips…');
      const [lines, read1] = await timed(() => readBoth([before, after]));
      log(`    ${read1.toFixed(1)} s, ${fmt(lines)} lines`);
      log('  annuaire diff…');
      const diff = annuaire(['diff', before, after], out);
      log(`    ${diff.seconds.toFixed(1)} s`);
      log('  baseline again…');
      const [, read2] = await timed(() => readBoth([before, after]));
      log(`    ${read2.toFixed(1)} s`);
      const read = Math.min(read1, read2);
      const changes = readFileSync(out, 'utf8').split('\n').length - 2;
      return [
        {
          name: `extract diff, scale ${scale}`,
          subject: { label: 'annuaire diff OLD.zip NEW.zip', value: diff.seconds, unit: 's' },
          baseline: { label: 'read both zips (decode, split lines)', value: read, unit: 's' },
          ratio: diff.seconds / read,
          ratioMeaning: 'diff time / read time; target ≤ 2',
          notes: [
            `${fmt(lines)} lines read; ${fmt(changes)} csv change lines`,
            ...diff.stderr
              .trim()
              .split('\n')
              .filter((l) => /added|no differences|streamed|partitions/.test(l)),
            diff.maxRssMb !== undefined
              ? `peak RSS ${fmt(diff.maxRssMb)} MB`
              : 'peak RSS not measured (/usr/bin/time missing)',
            `baseline runs: ${read1.toFixed(1)} s, ${read2.toFixed(1)} s`,
          ],
        },
      ];
    } finally {
      rmSync(out, { force: true });
    }
  },
};
