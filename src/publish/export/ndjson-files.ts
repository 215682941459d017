/**
 * Writes the NDJSON files of one resource type: one resource per line, as stored (the bytes are never decoded
 * unless the perimeter cuts them), one write per page, a new file past `maxBytes`
 * (https://hl7.org/fhir/uv/bulkdata/export.html#file-request: several files per type are allowed).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportOutput } from './job.js';

const NEWLINE = Buffer.from('\n');

export class NdjsonFiles {
  readonly #dir: string;
  readonly #type: string;
  readonly #maxBytes: number;
  readonly #done: ExportOutput[] = [];
  #handle: FileHandle | undefined;
  /** The write in flight: the next page is read while it is written (one chunk waits at most). */
  #pending: Promise<unknown> = Promise.resolve();
  #file = '';
  #count = 0;
  #bytes = 0;

  constructor(dir: string, type: string, maxBytes: number) {
    this.#dir = dir;
    this.#type = type;
    this.#maxBytes = maxBytes;
  }

  /** Appends lines (each a resource's JSON as UTF-8 bytes, without its newline). */
  async write(lines: readonly Buffer[]): Promise<void> {
    if (lines.length === 0) {
      return;
    }
    await this.#pending;
    if (this.#handle && this.#bytes >= this.#maxBytes) {
      await this.#close();
    }
    if (!this.#handle) {
      const n = this.#done.length + 1;
      this.#file = `${this.#type}${n === 1 ? '' : `-${n}`}.ndjson`;
      this.#handle = await open(join(this.#dir, this.#file), 'w');
    }
    const parts: Buffer[] = [];
    for (const line of lines) {
      parts.push(line, NEWLINE);
    }
    const bytes = parts.reduce((n, b) => n + b.length, 0);
    // One gathered write per page, without copying the lines into one buffer first.
    const written = this.#handle.writev(parts);
    // Its failure is thrown by the next call that waits for it, not reported as unhandled meanwhile.
    written.catch(() => undefined);
    this.#pending = written;
    this.#count += lines.length;
    this.#bytes += bytes;
  }

  /** Closes the last file; returns every file written (none for a type with no resource). */
  async finish(): Promise<ExportOutput[]> {
    await this.#close();
    return this.#done;
  }

  /** Closes without listing (a cancelled job). */
  async abandon(): Promise<void> {
    await this.#pending.catch(() => undefined);
    await this.#handle?.close();
    this.#handle = undefined;
  }

  async #close(): Promise<void> {
    await this.#pending;
    if (this.#handle) {
      await this.#handle.close();
      this.#handle = undefined;
      this.#done.push({ type: this.#type, file: this.#file, count: this.#count, bytes: this.#bytes });
      this.#count = 0;
      this.#bytes = 0;
    }
  }
}
