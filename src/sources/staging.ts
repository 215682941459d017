/**
 * A scratch table of the lines that describe persons, from every file of a release, so each person can be
 * assembled from all of them whatever the order of the files and of their lines, in bounded memory: a national
 * release is millions of lines, and the MSSanté, CPS and diploma files are not in the order of the activity file.
 * It lives in a temporary SQLite file (no journal, no sync: it is thrown away, and a crash loses nothing that
 * matters), written by one worker thread (staging-writer.ts) while the files are parsed, and read back sorted
 * by person by another (staging-reader.ts) that sorts and hashes ahead of the import.
 */
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
/** The writer's heap holds the batches in flight (WRITES_IN_FLIGHT × WRITE_BATCH lines). */
const WRITER_HEAP_MB = 64;

/** A message to the staging writer (staging-writer.ts). */
export type StagingWrite =
  | {
      readonly op: 'add';
      /** The batch's ids and texts, each joined by newlines. */
      readonly persons: string;
      readonly src: Int32Array;
      readonly n: Int32Array;
      readonly texts: string;
    }
  | { readonly op: 'drop'; readonly src: number }
  | { readonly op: 'finish' };

/** Lines per message to the writer, and messages in flight before the reading thread waits. */
const WRITE_BATCH = 4096;
const WRITES_IN_FLIGHT = 8;

export class Staging {
  readonly #dir: string;
  readonly #path: string;
  readonly #writer: Worker;
  #reader: Worker | undefined;
  /** Answers awaited from the writer, in order. */
  readonly #answers: { resolve: () => void; reject: (e: Error) => void; answered: Promise<void> }[] = [];
  #failure: Error | undefined;
  #finished: Promise<void> | undefined;
  #persons: string[] = [];
  #src: number[] = [];
  #n: number[] = [];
  #texts: string[] = [];
  #count = 0;
  /** Lines staged per file, so a file dropped does not need the writer's answer. */
  readonly #countBySrc = new Map<number, number>();

  private constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, 'staging.db');
    this.#writer = new Worker(new URL('./staging-writer.js', import.meta.url), {
      workerData: { path: this.#path },
      resourceLimits: { maxOldGenerationSizeMb: WRITER_HEAP_MB },
    });
    this.#writer.on('message', (reply: { ok: true } | { ok: false; message: string }) => {
      const waiter = this.#answers.shift();
      if (reply.ok) {
        waiter?.resolve();
      } else {
        this.#fail(new Error(`staging the lines: ${reply.message}`));
      }
    });
    this.#writer.on('error', (e) => this.#fail(e));
    this.#writer.on('exit', () => {
      // It stops by itself after its last answer (finish); before, it has failed.
      if (this.#answers.length > 0 || this.#finished === undefined) {
        this.#fail(new Error('the staging writer stopped'));
      }
    });
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

  /** Stages a line; written by the writer thread, a batch at a time (see drain()). */
  add(idNatPs: string, src: number, line: number, text: string): void {
    if (this.#failure) {
      throw this.#failure;
    }
    this.#persons.push(idNatPs);
    this.#src.push(src);
    this.#n.push(line);
    this.#texts.push(text);
    this.#count++;
    this.#countBySrc.set(src, (this.#countBySrc.get(src) ?? 0) + 1);
    if (this.#src.length === WRITE_BATCH) {
      this.#flush();
    }
  }

  /**
   * Resolves when the writer has few enough batches in hand: the reading thread awaits it between blocks of
   * lines, so the lines waiting to be written stay bounded (peak RSS).
   */
  async drain(): Promise<void> {
    const answers = this.#answers;
    if (answers.length > WRITES_IN_FLIGHT) {
      // Answers come in order: once this one has, at most WRITES_IN_FLIGHT are left.
      await answers[answers.length - 1 - WRITES_IN_FLIGHT]!.answered;
    }
    if (this.#failure) {
      throw this.#failure;
    }
  }

  /** Drops the lines of a file (read again with another encoding). */
  dropFile(src: number): void {
    this.#flush();
    void this.#post({ op: 'drop', src });
    this.#count -= this.#countBySrc.get(src) ?? 0;
    this.#countBySrc.delete(src);
  }

  #flush(): void {
    if (this.#src.length === 0) {
      return;
    }
    void this.#post({
      op: 'add',
      persons: this.#persons.join('\n'),
      src: Int32Array.from(this.#src),
      n: Int32Array.from(this.#n),
      texts: this.#texts.join('\n'),
    });
    this.#persons = [];
    this.#src = [];
    this.#n = [];
    this.#texts = [];
  }

  #post(message: StagingWrite): Promise<void> {
    let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const answered = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Failures reach the caller through add(), drain() and chunks().
    answered.catch(() => undefined);
    if (this.#failure) {
      settle!.reject(this.#failure);
      return answered;
    }
    this.#answers.push({ ...settle!, answered });
    this.#writer.postMessage(message);
    return answered;
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const a of this.#answers.splice(0)) {
      a.reject(e);
    }
  }

  /** Everything staged, committed: the writer thread is done. */
  #finish(): Promise<void> {
    if (!this.#finished) {
      this.#flush();
      const done = this.#post({ op: 'finish' });
      this.#finished = done.then(() => {
        if (this.#failure) {
          throw this.#failure;
        }
      });
      this.#finished.catch(() => undefined);
    }
    return this.#finished;
  }

  /**
   * Every person with their lines and their hash, sorted by idNat_PS, then file, then line, in chunks of `size`
   * persons. A worker thread sorts, reads and hashes them ahead of the caller: it starts now, so the sort runs
   * while the caller does other work, and then keeps one chunk ready.
   */
  chunks(size: number, hashing: PersonHashing): AsyncGenerator<StagedPerson[]> {
    const input: StagingReaderInput = { ...hashing, path: this.#path, size, cacheKib: READER_CACHE_KIB };
    const waiting: { resolve: (c: StagedChunk) => void; reject: (e: Error) => void }[] = [];
    let failure: Error | undefined;
    const fail = (e: Error): void => {
      failure ??= e;
      for (const w of waiting.splice(0)) {
        w.reject(e);
      }
    };
    // The reader starts as soon as the writer has committed every line.
    const started = this.#finish().then(() => {
      const reader = new Worker(new URL('./staging-reader.js', import.meta.url), {
        workerData: input,
        resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB },
      });
      this.#reader = reader;
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
      return reader;
    });
    const request = async (): Promise<StagedChunk> => {
      const reader = await started;
      return new Promise<StagedChunk>((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        waiting.push({ resolve, reject });
        reader.postMessage('next');
      });
    };
    const ask = (): Promise<StagedChunk> => {
      const p = request();
      // Awaited below; one left behind when the caller stops early must not go unhandled.
      p.catch(() => undefined);
      return p;
    };
    const first = ask();
    const stop = async (): Promise<void> => {
      const reader = await started.catch(() => undefined);
      if (reader === undefined) {
        return;
      }
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
          ahead = ask();
          yield unflatten(chunk);
        }
      } finally {
        await stop();
      }
    }
    return read();
  }

  /** Stops both threads and removes the folder (the writer may still hold the file open: it is unlinked). */
  close(): void {
    void this.#reader?.terminate();
    void this.#writer.terminate();
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
