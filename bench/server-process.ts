/**
 * A server run as its own process for a benchmark (`annuaire serve`, the bare baseline): started and waited for,
 * stopped, and its memory and CPU read from /proc (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Server {
  /** What the address line gave (the pattern's first group). */
  readonly base: string;
  readonly process: ChildProcess;
}

/** The address line of `annuaire serve`; its group is the FHIR base. */
export const SERVE_ADDRESS = /FHIR API at (http:\/\/[\d.]+:\d+\/fhir)/;

/** Starts a server process and waits for the line on stderr that gives its address. */
export function start(args: readonly string[], pattern: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      const m = pattern.exec(err);
      if (m) {
        resolve({ base: m[1]!, process: child });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

/**
 * `annuaire serve` on a free loopback port, quiet, without the per-IP rate limit (a load generator is one client
 * on one address: the limit would answer it 429). `nodeFlags` include the command's own (bench/command.ts).
 */
export function startServe(
  nodeFlags: readonly string[],
  bin: string,
  db: string,
  extra: readonly string[] = [],
): Promise<Server> {
  return start(
    [
      ...nodeFlags,
      bin,
      'serve',
      '--db',
      db,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--quiet',
      '--rate-limit',
      '1000000',
      ...extra,
    ],
    SERVE_ADDRESS,
  );
}

export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.process.removeAllListeners('exit');
    server.process.on('exit', () => resolve());
    server.process.kill('SIGTERM');
  });
}

/** Peak and current resident set of a process, in MB. */
export function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** CPU time a process has used, user + system, in seconds (clock ticks of 1/100 s). */
export function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (proc(5)), so indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
