/**
 * An export job as it lives on disk: a folder per job under the jobs directory, holding its NDJSON files and a
 * small `job.json` with its state. That file is the only server-side state of an export, so a status request
 * is answered by whichever process reads it, after a restart too.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scope } from '../../fhir/access.js';

export interface ExportOutput {
  readonly type: string;
  /** The file's name in the job's folder. */
  readonly file: string;
  readonly count: number;
  readonly bytes: number;
}

export interface ExportJob {
  readonly id: string;
  readonly state: 'running' | 'done' | 'failed';
  /** The kick-off URL, as the manifest repeats it. */
  readonly request: string;
  /** The release the export runs as of, and its commit time (the manifest's transactionTime). */
  readonly release: number;
  readonly transactionTime: string;
  readonly types: readonly string[];
  readonly since?: string;
  /** The perimeter the files were cut to, and the key that asked (only it may fetch status and files). */
  readonly scopes: readonly Scope[];
  readonly keyId?: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  /** Resources written so far and resources to write (the current versions of the types, as of the release). */
  readonly done: number;
  readonly total: number;
  readonly output: readonly ExportOutput[];
  readonly error?: string;
}

const JOB_FILE = 'job.json';
/** Job ids are UUIDs: anything else in a URL names no job (and no path outside the directory). */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** File names the runner writes: `Type.ndjson` or `Type-2.ndjson`. */
const FILE_NAME = /^[A-Za-z]+(-\d+)?\.ndjson$/;

/** The jobs directory. */
export class JobFolder {
  constructor(readonly dir: string) {}

  folderOf(id: string): string {
    return join(this.dir, id);
  }

  /** The path of a job's file, or undefined for a name the runner never writes. */
  fileOf(id: string, name: string): string | undefined {
    return JOB_ID.test(id) && FILE_NAME.test(name) ? join(this.dir, id, name) : undefined;
  }

  async create(job: ExportJob): Promise<void> {
    await mkdir(this.folderOf(job.id), { recursive: true });
    await this.save(job);
  }

  /** Replaces job.json atomically (a reader never sees half a file). */
  async save(job: ExportJob): Promise<void> {
    const path = join(this.folderOf(job.id), JOB_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(job));
    await rename(tmp, path);
  }

  async load(id: string): Promise<ExportJob | undefined> {
    if (!JOB_ID.test(id)) {
      return undefined;
    }
    try {
      return JSON.parse(await readFile(join(this.folderOf(id), JOB_FILE), 'utf8')) as ExportJob;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw e;
    }
  }

  async remove(id: string): Promise<void> {
    if (JOB_ID.test(id)) {
      await rm(this.folderOf(id), { recursive: true, force: true });
    }
  }

  /** Removes the jobs finished (or started, if never finished) longer than `ttlMs` ago; returns their ids. */
  async sweep(ttlMs: number, now: number): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw e;
    }
    const removed: string[] = [];
    for (const id of names.filter((n) => JOB_ID.test(n))) {
      const job = await this.load(id).catch(() => undefined);
      // A folder without a readable job.json is the rest of a cancelled or broken job (or one being created).
      const since = job
        ? Date.parse(job.finishedAt ?? job.createdAt)
        : await stat(this.folderOf(id)).then(
            (s) => s.mtimeMs,
            () => now,
          );
      if (now - since > ttlMs) {
        await this.remove(id);
        removed.push(id);
      }
    }
    return removed;
  }
}
