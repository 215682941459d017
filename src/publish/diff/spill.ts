/**
 * A hash-partitioned spill of a file's lines: each data line is appended to one of `partitions` temporary files
 * chosen by a hash of its group key, so all the lines of a group (a person, a mailbox) land in the same
 * partition, and two files spilled with the same partition count can be compared one partition at a time in
 * bounded memory, whatever the order of their lines. Writes are buffered per partition and synchronous
 * (sequential appends; the file system's cache does the rest).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Characters buffered per partition before they are written: large sequential writes, bounded memory. */
const BUFFER_CHARS = 256 * 1024;

/** FNV-1a over the UTF-16 code units: fast, and spreads idNat_PS numbers and addresses evenly. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

export class Spill {
  readonly #paths: string[];
  #fds: number[];
  readonly #buffers: string[][];
  readonly #sizes: number[];

  constructor(dir: string, side: string, partitions: number) {
    this.#paths = Array.from({ length: partitions }, (_, p) => join(dir, `${side}-${p}.txt`));
    this.#fds = this.#paths.map((path) => openSync(path, 'w'));
    this.#buffers = this.#paths.map(() => []);
    this.#sizes = this.#paths.map(() => 0);
  }

  get partitions(): number {
    return this.#paths.length;
  }

  add(partition: number, text: string): void {
    this.#buffers[partition]!.push(text);
    this.#sizes[partition]! += text.length + 1;
    if (this.#sizes[partition]! >= BUFFER_CHARS) {
      this.#flush(partition);
    }
  }

  /** Forgets everything written (the file is read again with another encoding). */
  reset(): void {
    this.#fds.forEach((fd) => closeSync(fd));
    this.#fds = this.#paths.map((path) => openSync(path, 'w'));
    this.#buffers.forEach((b) => (b.length = 0));
    this.#sizes.fill(0);
  }

  /** Writes what is buffered and closes the partition files. */
  finish(): void {
    for (let p = 0; p < this.#paths.length; p++) {
      this.#flush(p);
      closeSync(this.#fds[p]!);
    }
    this.#fds = [];
  }

  /** The lines of a partition, in the order they were added. */
  read(partition: number): string[] {
    const text = readFileSync(this.#paths[partition]!, 'utf8');
    if (text === '') {
      return [];
    }
    const lines = text.split('\n');
    lines.pop();
    return lines;
  }

  remove(): void {
    this.#fds.forEach((fd) => closeSync(fd));
    this.#fds = [];
    this.#paths.forEach((path) => rmSync(path, { force: true }));
  }

  #flush(partition: number): void {
    const buffer = this.#buffers[partition]!;
    if (buffer.length > 0) {
      writeSync(this.#fds[partition]!, buffer.join('\n') + '\n');
      buffer.length = 0;
      this.#sizes[partition] = 0;
    }
  }
}
