/**
 * `annuaire generate --out DIR [--scale S] [--seed N] [--day D]`: writes a synthetic national dataset in the
 * real extracts' formats (see src/generate/generate.ts), then one summary line per file.
 */
import { invalid } from '../../error.js';
import { generate, type GeneratedFile } from '../../generate/generate.js';
import type { Command } from '../context.js';
import { parse } from '../options.js';
import { progressBars } from '../progress.js';

export const GENERATE_HELP = `annuaire generate --out DIR [--scale S] [--seed N] [--day D]
                                        write a synthetic national dataset (RPPS, MSSanté, CPS, FINESS
                                        extracts in their real formats); scale 1 ≈ the national volumes,
                                        day D = the same directory D days later`;

/** Above this, identifier spaces (ADELI ordinals) would overflow. */
const MAX_SCALE = 2;

function number(
  value: string | undefined,
  fallback: number,
  option: string,
  check: (n: number) => boolean,
  rule: string,
): number {
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw invalid(`--${option} must be ${rule}`, `--${option}`);
  }
  return n;
}

export const generateCommand: Command = async (args, ctx) => {
  const { values } = parse(args, {
    out: { type: 'string' },
    scale: { type: 'string' },
    seed: { type: 'string' },
    day: { type: 'string' },
  });
  if (!values.out) {
    throw invalid('--out is required: the directory to write the files into', '--out');
  }
  const scale = number(values.scale, 1, 'scale', (n) => n > 0, 'a positive number');
  if (scale > MAX_SCALE) {
    throw invalid(`--scale must be at most ${MAX_SCALE}`, '--scale');
  }
  const seed = number(
    values.seed,
    1,
    'seed',
    (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
    'a whole number from 0 to 4294967295',
  );
  const day = number(
    values.day,
    0,
    'day',
    (n) => Number.isInteger(n) && n >= 0 && n <= 3650,
    'a whole number of days from 0 to 3650',
  );
  const files = await generate({
    out: values.out,
    scale,
    seed,
    day,
    nomenclatures: ctx.nomenclatures(),
    progress: progressBars(ctx.io),
  });
  ctx.io.out(files.map(summary).join(''));
};

function summary(f: GeneratedFile): string {
  const lines = f.entries.reduce((s, e) => s + e.lines, 0);
  const detail =
    f.entries.length > 1 ? ` (${f.entries.map((e) => e.lines.toLocaleString('en-US')).join(' + ')})` : '';
  return `${f.name}  ${lines.toLocaleString('en-US')} lines${detail}  ${(f.size / 1_048_576).toFixed(1)} MB\n`;
}
