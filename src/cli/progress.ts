/**
 * Progress of long work (generate, import, extract…) on a terminal: one bar per file or step, with bytes or
 * items done, rate and ETA, drawn by cli-progress on stderr. When stderr is not a terminal (cron, pipes, tests)
 * nothing is drawn, so logs stay clean.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

export interface ProgressBar {
  /** Sets what is done so far (same unit as the total), and how many rows or items that is. */
  update(done: number, items?: number): void;
  stop(): void;
}

export type ProgressFactory = (label: string, total: number, unit: 'bytes' | 'items') => ProgressBar;

const QUIET: ProgressBar = { update: () => undefined, stop: () => undefined };

const mb = (n: number): string => (n / 1_048_576).toFixed(1);

export function progressBars(io: CliIo): ProgressFactory {
  if (!io.isTTY) {
    return () => QUIET;
  }
  return (label, total, unit) => {
    const started = Date.now();
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label.padEnd(28).slice(0, 28)} {bar} {percentage}% | {amount} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = (done: number, items: number): Record<string, string> => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      return unit === 'bytes'
        ? {
            amount: `${mb(done)}/${mb(total)} MB, ${items.toLocaleString('en-US')} rows`,
            rate: `${Math.round(items / seconds).toLocaleString('en-US')} rows`,
          }
        : {
            amount: `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`,
            rate: Math.round(done / seconds).toLocaleString('en-US'),
          };
    };
    bar.start(Math.max(total, 1), 0, payload(0, 0));
    return {
      update: (done, items = done) => bar.update(Math.min(done, total), payload(done, items)),
      stop: () => bar.stop(),
    };
  };
}
