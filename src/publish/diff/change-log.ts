/**
 * Changes held back in a temporary file (one JSON object a line) until the comparison that found them is known
 * to hold (merge.ts may give up and start again by partitions), then replayed in order.
 */
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EntityChange } from './compare.js';

const BUFFER_CHARS = 256 * 1024;

export class ChangeLog {
  readonly #path: string;
  #fd: number | undefined;
  #buffer: string[] = [];
  #chars = 0;

  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, 'w');
  }

  add(change: EntityChange): void {
    const text = JSON.stringify(change);
    this.#buffer.push(text);
    this.#chars += text.length + 1;
    if (this.#chars >= BUFFER_CHARS) {
      this.#flush();
    }
  }

  /** Every change added, in order, to `each`; then the file is removed. */
  async replay(each: (change: EntityChange) => void): Promise<void> {
    this.#flush();
    this.#close();
    const lines = createInterface({ input: createReadStream(this.#path), crlfDelay: Infinity });
    for await (const line of lines) {
      each(JSON.parse(line) as EntityChange);
    }
    this.remove();
  }

  remove(): void {
    this.#close();
    rmSync(this.#path, { force: true });
  }

  #flush(): void {
    if (this.#buffer.length > 0 && this.#fd !== undefined) {
      writeSync(this.#fd, this.#buffer.join('\n') + '\n');
    }
    this.#buffer = [];
    this.#chars = 0;
  }

  #close(): void {
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}
