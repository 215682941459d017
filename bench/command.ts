/**
 * The `annuaire` command as the benchmarks run it — a real process, timed with its peak RSS — and the generated
 * datasets they share, cached under bench/out.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'annuaire.js');
/** The flags bin/annuaire.js's first line gives the command (scripts/node-flags.js). */
export const NODE_FLAGS = ['--max-old-space-size=768', '--max-semi-space-size=32'];

export interface Run {
  readonly seconds: number;
  readonly maxRssMb?: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command, timed by /usr/bin/time when the machine has it (wall time and peak RSS); its standard output
 * goes to the file `stdout` when given (large outputs), else is returned.
 */
export function annuaire(args: readonly string[], stdout?: string): Run {
  const time = existsSync('/usr/bin/time');
  const out = stdout === undefined ? undefined : openSync(stdout, 'w');
  const options: SpawnSyncOptions = {
    encoding: 'utf8',
    ...(out === undefined ? {} : { stdio: ['ignore', out, 'pipe'] }),
  };
  const started = performance.now();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, ...NODE_FLAGS, BIN, ...args], options)
    : spawnSync(process.execPath, [...NODE_FLAGS, BIN, ...args], options);
  const seconds = (performance.now() - started) / 1000;
  if (out !== undefined) {
    closeSync(out);
  }
  if (r.status !== 0) {
    throw new Error(`annuaire ${args.join(' ')} failed: ${String(r.stderr)}`);
  }
  const stderr = String(r.stderr);
  const m = /TIME ([\d.]+) (\d+)/.exec(stderr);
  return {
    seconds,
    ...(m ? { maxRssMb: Number(m[2]) / 1024 } : {}),
    stdout: String(r.stdout ?? ''),
    stderr: stderr.replace(/^TIME .*\n?/m, ''),
  };
}

/** The dataset of a day, generated once and kept under bench/out (deterministic for a seed). */
export function dataset(scale: number, day: number, log: (l: string) => void): string[] {
  const dir = join(import.meta.dirname, '..', '..', 'bench', 'out', `dataset-s${scale}-d${day}`);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`  generating scale ${scale}, day ${day}…`);
    const g = annuaire([
      'generate',
      '--out',
      dir,
      '--scale',
      String(scale),
      '--seed',
      '1',
      '--day',
      String(day),
    ]);
    log(`    ${g.seconds.toFixed(1)} s`);
    spawnSync('touch', [join(dir, '.complete')]);
  }
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .map((f) => join(dir, f));
}
