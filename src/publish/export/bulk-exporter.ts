/**
 * FHIR Bulk Data export, behind the HTTP routes (http/export-routes.ts): kick-off, status, cancel, files.
 * https://hl7.org/fhir/uv/bulkdata/export.html
 *
 * - A job runs as of the release current at kick-off (a snapshot: an import that commits meanwhile does not mix
 *   in); the manifest's transactionTime is that release's commit time, the instant a client passes back as
 *   `_history?_since=` or `$export?_since=` for the changes after it.
 * - Resources are read in id order by keyset pages and written as stored, cut to the perimeter of the key that
 *   asked (perimeter.ts serves public text untouched): memory holds one page, whatever the size of a type.
 * - The job's state is its folder on disk (job.json beside the files): no session, a restart keeps finished
 *   jobs. Only the key that started a job (or anyone, for a job without a key: its files are public) may read
 *   its status and files. Jobs expire `ttlMs` after they finish and are swept at the next kick-off or status.
 */
import { randomUUID } from 'node:crypto';
import { AnnuaireError, notFound } from '../../error.js';
import type { Access } from '../../fhir/access.js';
import { mayHoldRestricted, perimeterOf } from '../../fhir/perimeter.js';
import type { RawVersion, Store } from '../../store/store.js';
import type { ExportRequest } from './export-request.js';
import { JobFolder, type ExportJob, type ExportOutput } from './job.js';
import { NdjsonFiles } from './ndjson-files.js';

export interface BulkExporterOptions {
  readonly store: Store;
  /** The jobs directory. */
  readonly dir: string;
  /** How long a finished job's files are kept (default 24 h). */
  readonly ttlMs?: number;
  /** Resources read per page (default 2000). */
  readonly pageSize?: number;
  /** A type's output goes on in a new file past this size (default 1 GiB). */
  readonly maxFileBytes?: number;
  readonly now?: () => number;
}

export const DEFAULT_EXPORT_TTL_MS = 24 * 60 * 60 * 1000;
/** How often a running job writes its progress to job.json. */
const SAVE_EVERY_MS = 1000;

type StopReason = 'cancel' | 'shutdown';

interface Running {
  readonly controller: AbortController;
  readonly finished: Promise<void>;
}

export class BulkExporter {
  readonly #store: Store;
  readonly #folder: JobFolder;
  readonly #ttlMs: number;
  readonly #pageSize: number;
  readonly #maxFileBytes: number;
  readonly #now: () => number;
  /** The jobs this process runs (their state is on disk; this only lets them be stopped). */
  readonly #running = new Map<string, Running>();

  constructor(options: BulkExporterOptions) {
    this.#store = options.store;
    this.#folder = new JobFolder(options.dir);
    this.#ttlMs = options.ttlMs ?? DEFAULT_EXPORT_TTL_MS;
    this.#pageSize = options.pageSize ?? 2000;
    this.#maxFileBytes = options.maxFileBytes ?? 1024 ** 3;
    this.#now = options.now ?? Date.now;
  }

  get dir(): string {
    return this.#folder.dir;
  }

  /** How long a finished job's files are kept. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Starts a job; it runs in the background (see status()). */
  async kickOff(request: ExportRequest, access: Access, requestUrl: string): Promise<ExportJob> {
    await this.#folder.sweep(this.#ttlMs, this.#now());
    const releaseId = await this.#store.currentRelease();
    const release = releaseId > 0 ? await this.#store.release(releaseId) : undefined;
    let total = 0;
    for (const type of request.types) {
      total += await this.#store.count({ resourceType: type, where: [], asOf: releaseId, limit: 0 });
    }
    const job: ExportJob = {
      id: randomUUID(),
      state: 'running',
      request: requestUrl,
      release: releaseId,
      transactionTime: release?.committedAt ?? new Date(this.#now()).toISOString(),
      types: request.types,
      ...(request.since ? { since: request.since.toISOString() } : {}),
      scopes: [...access.scopes].sort(),
      ...(access.keyId !== undefined ? { keyId: access.keyId } : {}),
      createdAt: new Date(this.#now()).toISOString(),
      done: 0,
      total,
      output: [],
    };
    await this.#folder.create(job);
    const controller = new AbortController();
    const finished = this.#run(job, access, controller.signal).finally(() => this.#running.delete(job.id));
    this.#running.set(job.id, { controller, finished });
    return job;
  }

  /**
   * The state of a job the access may see. 404 for none (never started, cancelled, expired); a job left
   * running by a process that stopped is reported failed.
   */
  async status(id: string, access: Access): Promise<ExportJob> {
    await this.#folder.sweep(this.#ttlMs, this.#now());
    // Asked before reading job.json: a job that finishes in between was read running, and is running here.
    const runsHere = this.#running.has(id);
    const job = await this.#mine(id, access);
    if (job.state === 'running' && !runsHere) {
      return { ...job, state: 'failed', error: 'the server stopped during this export; start a new one' };
    }
    return job;
  }

  /** Cancels a job (running or finished) and removes its files. */
  async cancel(id: string, access: Access): Promise<void> {
    await this.#mine(id, access);
    await this.#stop(id, 'cancel');
    await this.#folder.remove(id);
  }

  /** The path of one of a finished job's files. */
  async file(id: string, name: string, access: Access): Promise<string> {
    const job = await this.#mine(id, access);
    const path = this.#folder.fileOf(id, name);
    if (job.state !== 'done' || !path || !job.output.some((o) => o.file === name)) {
      throw notFound(`export ${id} has no file ${name}`);
    }
    return path;
  }

  /** Stops the running jobs (they are left failed): the server is closing. */
  async close(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id, 'shutdown')));
  }

  async #stop(id: string, reason: StopReason): Promise<void> {
    const running = this.#running.get(id);
    if (running) {
      running.controller.abort(reason);
      await running.finished;
    }
  }

  async #mine(id: string, access: Access): Promise<ExportJob> {
    const job = await this.#folder.load(id);
    if (!job) {
      throw notFound(`no export ${id} (never started, cancelled, or expired)`);
    }
    if (job.keyId !== undefined && job.keyId !== access.keyId) {
      throw new AnnuaireError(403, 'forbidden', `export ${id} belongs to another API key`);
    }
    return job;
  }

  async #run(start: ExportJob, access: Access, signal: AbortSignal): Promise<void> {
    const lineOf = lineMaker(access);
    const dir = this.#folder.folderOf(start.id);
    // `_since`: resources changed after the instant, by release commit time (the transactionTime of an earlier
    // export is a commit time, and a release's versions all become visible when it commits).
    const sinceRelease =
      start.since === undefined
        ? 0
        : ((await this.#store.releases()).find((r) => Date.parse(r.committedAt) > Date.parse(start.since!))
            ?.id ?? Infinity);
    let job = start;
    let done = 0;
    let saved = this.#now();
    const output: ExportOutput[] = [];
    // One pass over the versions of every type asked for, in the order they were written (Store.scan), each
    // line to its type's files; the manifest lists the types in the order asked.
    const files = new Map(start.types.map((type) => [type, new NdjsonFiles(dir, type, this.#maxFileBytes)]));
    const abandon = (): Promise<unknown> => Promise.all([...files.values()].map((f) => f.abandon()));
    try {
      let afterSeq: number | undefined;
      do {
        const page = await this.#store.scan({
          resourceTypes: start.types,
          asOf: start.release,
          ...(afterSeq !== undefined ? { afterSeq } : {}),
          ...(sinceRelease > 0 ? { sinceRelease } : {}),
          limit: this.#pageSize,
        });
        if (signal.aborted) {
          break;
        }
        const lines = new Map<string, Buffer[]>();
        for (const v of page) {
          let list = lines.get(v.resourceType);
          if (!list) {
            list = [];
            lines.set(v.resourceType, list);
          }
          list.push(lineOf(v.resourceType, v));
        }
        await Promise.all([...lines].map(([type, list]) => files.get(type)!.write(list)));
        done += page.length;
        afterSeq = page.length === this.#pageSize ? page.at(-1)!.seq : undefined;
        if (this.#now() - saved >= SAVE_EVERY_MS) {
          job = { ...job, done };
          await this.#folder.save(job);
          saved = this.#now();
        }
      } while (afterSeq !== undefined && !signal.aborted);
      if (signal.aborted) {
        await abandon();
      } else {
        for (const type of start.types) {
          output.push(...(await files.get(type)!.finish()));
        }
      }
      if (signal.aborted) {
        if (signal.reason === 'shutdown') {
          await this.#folder.save({
            ...job,
            state: 'failed',
            error: 'the server stopped during this export',
          });
        }
        return;
      }
      const finishedAt = new Date(this.#now()).toISOString();
      await this.#folder.save({ ...job, state: 'done', done, output, finishedAt });
    } catch (e) {
      await abandon();
      const finishedAt = new Date(this.#now()).toISOString();
      await this.#folder
        .save({ ...job, state: 'failed', error: (e as Error).message, finishedAt })
        .catch(() => undefined);
    }
  }
}

/**
 * The NDJSON line of a version for an access: the stored bytes when the perimeter leaves the text as it is
 * (always with restricted+historized; otherwise when the text holds no marker of a restricted element and the
 * resource is active or the access historized, as perimeter.ts decides), else the text cut by perimeter.ts.
 * The markers are ASCII, so they are looked for in a Latin-1 view of the bytes (a copy, no UTF-8 decoding).
 */
function lineMaker(access: Access): (type: string, v: RawVersion) => Buffer {
  const restricted = access.scopes.has('restricted');
  const historized = access.scopes.has('historized');
  const view = perimeterOf(access);
  return (type, v) => {
    // The flag stored with the version answers mayHoldRestricted() without reading the text (store/sql/classifier.ts).
    const publicAsIs = (): boolean => !(v.flagged ?? mayHoldRestricted(type, v.json.toString('latin1')));
    if ((historized || v.active) && (restricted || publicAsIs())) {
      return v.json;
    }
    const text = v.json.toString('utf8');
    const cut = view({
      resourceType: type,
      id: v.id,
      versionId: 0,
      lastUpdated: '',
      release: v.release,
      seq: 0,
      active: v.active,
      deleted: false,
      json: text,
    }).json;
    return cut === text ? v.json : Buffer.from(cut);
  };
}
