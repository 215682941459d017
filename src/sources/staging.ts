/**
 * A scratch table of the lines that describe persons, from every file of a release, so each person can be
 * assembled from all of them whatever the order of the files and of their lines, in bounded memory: a national
 * release is millions of lines, and the MSSanté, CPS and diploma files are not in the order of the activity file.
 * It lives in a temporary SQLite file (no journal, no sync: it is thrown away, and a crash loses nothing that
 * matters) and is read back sorted by person, by a worker thread (staging-reader.ts) that sorts and hashes ahead
 * of the import.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface StagedLine {
  /** Index of the file it came from (the reader keeps each file's layout). */
  readonly src: number;
  readonly line: number;
  readonly text: string;
}

export interface StagedPerson {
  readonly idNatPs: string;
  /** personHash() of its lines. */
  readonly hash: string;
  readonly lines: readonly StagedLine[];
}

/** What a person's hash depends on besides its lines (see person-hash.ts). */
export interface PersonHashing {
  readonly seed: string;
  /** The kind of each file, by its index. */
  readonly kindOf: readonly string[];
}

/** A chunk of persons as the reader sends it: flat arrays, cheap to copy between threads. */
export interface StagedChunk {
  readonly persons: string[];
  readonly hashes: string[];
  /** Lines of each person; theirs follow one another in src, line and text. */
  readonly counts: number[];
  readonly src: number[];
  readonly line: number[];
  readonly text: string[];
}

/** The staging reader's workerData. */
export interface StagingReaderInput extends PersonHashing {
  readonly path: string;
  readonly size: number;
  readonly cacheKib: number;
}

type ReaderReply = { ok: true; chunk: StagedChunk } | { ok: false; message: string };

/**
 * The reader's page cache, which also bounds each of the sorter's in-memory runs (one per sorting thread): the
 * sort spills to temporary files beyond it. 16 MiB: the import's peak RSS counts every thread's memory.
 */
const READER_CACHE_KIB = 16_384;
/**
 * The reader's heap holds two chunks (the one sent, the one being read), well under a megabyte each: a bounded
 * old generation makes V8 collect them instead of growing (peak RSS, bench: import).
 */
const READER_HEAP_MB = 64;

export class Staging {
  readonly #dir: string;
  readonly #path: string;
  readonly #db: Database.Database;
  #reader: Worker | undefined;
  readonly #insert: Database.Statement;
  #pending = 0;
  #count = 0;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, 'staging.db');
    this.#db = new Database(this.#path);
    this.#db.pragma('journal_mode = OFF');
    this.#db.pragma('synchronous = OFF');
    this.#db.pragma('cache_size = -65536');
    this.#db.exec(
      'CREATE TABLE line (person TEXT NOT NULL, src INTEGER NOT NULL, n INTEGER NOT NULL, text TEXT NOT NULL)',
    );
    this.#insert = this.#db.prepare('INSERT INTO line (person, src, n, text) VALUES (?, ?, ?, ?)');
    this.#db.exec('BEGIN');
  }

  /** A new staging folder under `parent`; folders left by killed imports (dead pid in the name) are removed. */
  static create(parent: string = tmpdir()): Staging {
    for (const name of readdirSync(parent)) {
      const pid = /^annuaire-import-(\d+)-/.exec(name)?.[1];
      if (pid !== undefined && !alive(Number(pid))) {
        rmSync(join(parent, name), { recursive: true, force: true });
      }
    }
    return new Staging(mkdtempSync(join(parent, `annuaire-import-${process.pid}-`)));
  }

  get size(): number {
    return this.#count;
  }

  add(idNatPs: string, src: number, line: number, text: string): void {
    this.#insert.run(idNatPs, src, line, text);
    this.#count++;
    // Commit now and then so the page cache does not hold the whole table.
    if (++this.#pending === 200_000) {
      this.#db.exec('COMMIT; BEGIN');
      this.#pending = 0;
    }
  }

  /** Drops the lines of a file (read again with another encoding). */
  dropFile(src: number): void {
    this.#count -= this.#db.prepare('DELETE FROM line WHERE src = ?').run(src).changes;
  }

  /**
   * Every person with their lines and their hash, sorted by idNat_PS, then file, then line, in chunks of `size`
   * persons. A worker thread sorts, reads and hashes them ahead of the caller: it starts now, so the sort runs
   * while the caller does other work, and then keeps one chunk ready.
   */
  chunks(size: number, hashing: PersonHashing): AsyncGenerator<StagedPerson[]> {
    if (this.#db.inTransaction) {
      this.#db.exec('COMMIT');
    }
    // The reader has its own connection: this one's page cache is of no more use (peak RSS).
    this.#db.pragma('shrink_memory');
    const input: StagingReaderInput = { ...hashing, path: this.#path, size, cacheKib: READER_CACHE_KIB };
    const reader = new Worker(new URL('./staging-reader.js', import.meta.url), {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB },
    });
    this.#reader = reader;
    const waiting: { resolve: (c: StagedChunk) => void; reject: (e: Error) => void }[] = [];
    let failure: Error | undefined;
    const fail = (e: Error): void => {
      failure ??= e;
      for (const w of waiting.splice(0)) {
        w.reject(e);
      }
    };
    reader.on('message', (reply: ReaderReply) => {
      const w = waiting.shift();
      if (reply.ok) {
        w?.resolve(reply.chunk);
      } else {
        fail(new Error(`reading the staged lines: ${reply.message}`));
      }
    });
    reader.on('error', fail);
    reader.on('exit', () => fail(new Error('the staging reader stopped')));
    const request = (): Promise<StagedChunk> => {
      const p = new Promise<StagedChunk>((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        waiting.push({ resolve, reject });
        reader.postMessage('next');
      });
      // Awaited below; one left behind when the caller stops early must not go unhandled.
      p.catch(() => undefined);
      return p;
    };
    const first = request();
    const stop = async (): Promise<void> => {
      if (this.#reader === reader) {
        this.#reader = undefined;
      }
      await reader.terminate();
    };
    async function* read(): AsyncGenerator<StagedPerson[]> {
      try {
        let ahead = first;
        for (;;) {
          const chunk = await ahead;
          if (chunk.persons.length === 0) {
            return;
          }
          ahead = request();
          yield unflatten(chunk);
        }
      } finally {
        await stop();
      }
    }
    return read();
  }

  close(): void {
    void this.#reader?.terminate();
    this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

function unflatten(chunk: StagedChunk): StagedPerson[] {
  const persons: StagedPerson[] = new Array<StagedPerson>(chunk.persons.length);
  let at = 0;
  for (let i = 0; i < chunk.persons.length; i++) {
    const lines: StagedLine[] = new Array<StagedLine>(chunk.counts[i]!);
    for (let j = 0; j < lines.length; j++, at++) {
      lines[j] = { src: chunk.src[at]!, line: chunk.line[at]!, text: chunk.text[at]! };
    }
    persons[i] = { idNatPs: chunk.persons[i]!, hash: chunk.hashes[i]!, lines };
  }
  return persons;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
