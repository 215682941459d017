/**
 * A scratch table of the lines that describe persons, from every file of a release, so each person can be
 * assembled from all of them whatever the order of the files and of their lines, in bounded memory: a national
 * release is millions of lines, and the MSSanté, CPS and diploma files are not in the order of the activity file.
 * It lives in a temporary SQLite file (no journal, no sync: it is thrown away, and a crash loses nothing that
 * matters) and is read back sorted by person.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StagedLine {
  /** Index of the file it came from (the reader keeps each file's layout). */
  readonly src: number;
  readonly line: number;
  readonly text: string;
}

export interface StagedPerson {
  readonly idNatPs: string;
  readonly lines: readonly StagedLine[];
}

export class Staging {
  readonly #dir: string;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  #pending = 0;
  #count = 0;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#db = new Database(join(dir, 'staging.db'));
    this.#db.pragma('journal_mode = OFF');
    this.#db.pragma('synchronous = OFF');
    this.#db.pragma('cache_size = -65536');
    // Sorting millions of lines: let SQLite use a helper thread.
    this.#db.pragma('threads = 2');
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

  /** Every person with their lines, sorted by idNat_PS, then file, then line. */
  *persons(): Generator<StagedPerson> {
    if (this.#db.inTransaction) {
      this.#db.exec('COMMIT');
    }
    const rows = this.#db
      .prepare('SELECT person, src, n, text FROM line ORDER BY person, src, n')
      .raw()
      .iterate() as IterableIterator<[string, number, number, string]>;
    let current: string | undefined;
    let lines: StagedLine[] = [];
    for (const [person, src, line, text] of rows) {
      if (person !== current) {
        if (current !== undefined) {
          yield { idNatPs: current, lines };
        }
        current = person;
        lines = [];
      }
      lines.push({ src, line, text });
    }
    if (current !== undefined) {
      yield { idNatPs: current, lines };
    }
  }

  close(): void {
    this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
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
