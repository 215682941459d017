/**
 * The download service of the open-data files (`annuaire extract` writes them into the extractions folder):
 * - `GET /extractions`: the files offered, JSON: name, kind, date, size, sha256, whether it is a delta;
 * - `GET /extractions/{name}`: a file. A dated name serves that file; an undated one (`PS_LibreAcces.zip`,
 *   `PS_LibreAcces_delta.csv`) the newest of its kind, as the official "extraction" web services do.
 *
 * HTTP semantics of RFC 9110: a strong ETag (the file's SHA-256, which never changes for a name), Last-Modified,
 * 304 on If-None-Match / If-Modified-Since (§13.1), a single byte range with 206 and Content-Range, 416 for a
 * range past the end, If-Range (§13.1.5, §14). Several ranges in one request are answered with the whole file,
 * which §14.2 allows. Files are sent as they are stored, never compressed on the fly (a range is of the stored
 * bytes, and the zips are compressed already). https://www.rfc-editor.org/rfc/rfc9110
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AnnuaireError } from '../error.js';
import { findExtraction, listExtractions, type CatalogEntry } from '../publish/extract/catalog.js';

export interface ExtractionsOptions {
  /** The folder `annuaire extract` writes into. */
  readonly dir: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  zip: 'application/zip',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** A byte range, both ends included (RFC 9110 §14.1.2). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The range a `Range` header asks of a file of `size` bytes: a range, 'unsatisfiable' (416), or undefined to
 * send the whole file (no header, another unit, a malformed header or several ranges: §14.2 lets a server
 * ignore those).
 */
export function byteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) {
    return undefined;
  }
  if (m[1] === '') {
    // A suffix: the last N bytes.
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) {
    return undefined;
  }
  return start >= size ? 'unsatisfiable' : { start, end };
}

const etagOf = (e: CatalogEntry): string => `"${e.sha256}"`;

/** If-None-Match (a list of entity tags, or `*`; weak comparison, §13.1.2) matches the file. */
function noneMatch(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** HTTP dates have a one-second resolution. */
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function notModified(request: FastifyRequest, e: CatalogEntry): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) {
    return noneMatch(inm, etagOf(e));
  }
  const ims = request.headers['if-modified-since'];
  const since = ims === undefined ? NaN : Date.parse(ims);
  return !Number.isNaN(since) && seconds(e.modified) <= Math.floor(since / 1000);
}

/** If-Range: the range applies only while the file is the one the client has (its ETag, or its date). */
function rangeApplies(request: FastifyRequest, e: CatalogEntry): boolean {
  const header = request.headers['if-range'];
  const ifRange = Array.isArray(header) ? header[0] : header;
  if (ifRange === undefined) {
    return true;
  }
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) {
    return ifRange === etagOf(e);
  }
  const date = Date.parse(ifRange);
  return !Number.isNaN(date) && seconds(e.modified) === Math.floor(date / 1000);
}

function send(request: FastifyRequest, reply: FastifyReply, e: CatalogEntry, undated: boolean): FastifyReply {
  void reply
    .header('etag', etagOf(e))
    .header('last-modified', e.modified.toUTCString())
    .header('accept-ranges', 'bytes')
    // An undated name changes file with every release: caches must ask again. A dated name never changes.
    .header('cache-control', undated ? 'no-cache' : 'public, max-age=86400')
    .header('content-disposition', `attachment; filename="${e.name}"`)
    // Scripts of other origins may read what a download client needs (CORS: the files are public).
    .header(
      'access-control-expose-headers',
      'ETag, Last-Modified, Content-Range, Content-Disposition, Accept-Ranges',
    );
  if (notModified(request, e)) {
    return reply.code(304).send();
  }
  void reply.type(CONTENT_TYPES[e.extension] ?? 'application/octet-stream');
  const range = rangeApplies(request, e) ? byteRange(request.headers.range, e.size) : undefined;
  if (range === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${e.size}`);
    throw new AnnuaireError(
      416,
      'invalid',
      `the range "${request.headers.range}" is past the end of ${e.name} (${e.size} bytes)`,
    );
  }
  if (range) {
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${e.size}`)
      .header('content-length', range.end - range.start + 1)
      .send(createReadStream(e.path, { start: range.start, end: range.end }));
  }
  return reply.header('content-length', e.size).send(createReadStream(e.path));
}

export function extractionsRoutes(app: FastifyInstance, options: ExtractionsOptions): void {
  // compress: false — files go out as stored (see above).
  app.get('/extractions', { compress: false }, async (request) => {
    const base = `${request.protocol}://${request.host}/extractions/`;
    const files = await listExtractions(options.dir);
    return {
      files: files.map((e) => ({
        name: e.name,
        kind: e.kind,
        latestAs: e.undated,
        delta: e.delta,
        ...(e.from === undefined ? {} : { from: e.from }),
        stamp: e.stamp,
        date: e.date,
        size: e.size,
        sha256: e.sha256,
        url: base + encodeURIComponent(e.name),
      })),
    };
  });
  app.get<{ Params: { name: string } }>('/extractions/:name', { compress: false }, async (request, reply) => {
    const name = request.params.name;
    const e = await findExtraction(options.dir, name);
    if (!e) {
      throw new AnnuaireError(404, 'not-found', `no extraction file "${name}" (see /extractions)`);
    }
    return send(request, reply, e, e.name !== name);
  });
}
