/**
 * FHIR Bulk Data export over HTTP (the async request pattern): kick-off at system and type level, status
 * polling, cancel, file download. The work is publish/export's; this maps it to URLs and headers.
 * https://hl7.org/fhir/uv/bulkdata/export.html
 *
 *   GET    /fhir/$export, /fhir/{type}/$export   202 + Content-Location (needs Prefer: respond-async)
 *   GET    /fhir/$export-status/{job}            202 + X-Progress, Retry-After; then 200 + manifest
 *   DELETE /fhir/$export-status/{job}            202: cancelled, files removed (then 404)
 *   GET    /fhir/$export-files/{job}/{file}      the NDJSON file
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AnnuaireError, invalid } from '../error.js';
import type { Access } from '../fhir/access.js';
import { checkType } from '../fhir/interactions/resource-type.js';
import { outcomeJson } from '../fhir/outcome.js';
import { RESOURCE_TYPES } from '../fhir/search/search-parameters.js';
import type { BulkExporter } from '../publish/export/bulk-exporter.js';
import { parseExportRequest } from '../publish/export/export-request.js';
import { manifestOf, progressOf } from '../publish/export/manifest.js';
import { FHIR_JSON } from './format.js';

export interface ExportRoutesOptions {
  readonly exporter: BulkExporter;
  readonly accessOf: (request: FastifyRequest) => Promise<Access>;
}

/** Seconds a client should wait between status requests. */
const RETRY_AFTER_S = 2;
const NDJSON = 'application/fhir+ndjson';

const baseOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}/fhir`;

const queryPairs = (request: FastifyRequest): [string, string][] => [
  ...new URL(request.raw.url ?? '/', 'http://x').searchParams.entries(),
];

/** https://hl7.org/fhir/uv/bulkdata/export.html#headers */
function checkPrefer(request: FastifyRequest): void {
  if (!/(^|[,;\s])respond-async\b/.test(String(request.headers['prefer'] ?? ''))) {
    throw invalid('$export is asynchronous: send the header Prefer: respond-async', 'Prefer');
  }
}

export function exportRoutes(app: FastifyInstance, options: ExportRoutesOptions): void {
  const { exporter, accessOf } = options;
  app.addHook('onClose', () => exporter.close());

  const kickOff = async (request: FastifyRequest, level: string | undefined): Promise<string> => {
    if (level !== undefined) {
      checkType(level);
    }
    checkPrefer(request);
    const access = await accessOf(request);
    const parsed = parseExportRequest(queryPairs(request), RESOURCE_TYPES, level);
    const job = await exporter.kickOff(parsed, access, `${request.protocol}://${request.host}${request.url}`);
    return `${baseOf(request)}/$export-status/${job.id}`;
  };
  const accepted = (status: string): string =>
    outcomeJson('information', 'informational', [`export started; poll ${status}`]);

  app.get('/fhir/$export', async (request, reply) => {
    const status = await kickOff(request, undefined);
    return reply.code(202).header('content-location', status).type(FHIR_JSON).send(accepted(status));
  });

  app.get('/fhir/:type/$export', async (request, reply) => {
    const status = await kickOff(request, (request.params as { type: string }).type);
    return reply.code(202).header('content-location', status).type(FHIR_JSON).send(accepted(status));
  });

  app.get('/fhir/$export-status/:job', async (request, reply) => {
    const { job: id } = request.params as { job: string };
    const job = await exporter.status(id, await accessOf(request));
    if (job.state === 'running') {
      return reply
        .code(202)
        .header('x-progress', progressOf(job))
        .header('retry-after', String(RETRY_AFTER_S))
        .send();
    }
    if (job.state === 'failed') {
      throw new AnnuaireError(500, 'exception', `export ${id} failed: ${job.error ?? 'unknown error'}`);
    }
    const expires = Date.parse(job.finishedAt ?? job.createdAt) + exporter.ttlMs;
    const manifest = manifestOf(job, (file) => `${baseOf(request)}/$export-files/${id}/${file}`);
    return reply
      .header('expires', new Date(expires).toUTCString())
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(manifest));
  });

  app.delete('/fhir/$export-status/:job', async (request, reply) => {
    const { job: id } = request.params as { job: string };
    await exporter.cancel(id, await accessOf(request));
    return reply
      .code(202)
      .type(FHIR_JSON)
      .send(outcomeJson('information', 'informational', [`export ${id} cancelled`]));
  });

  app.get('/fhir/$export-files/:job/:file', async (request, reply) => {
    const { job: id, file } = request.params as { job: string; file: string };
    const path = await exporter.file(id, file, await accessOf(request));
    return reply.type(NDJSON).send(createReadStream(path));
  });
}
