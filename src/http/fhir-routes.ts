/**
 * Maps FHIR's RESTful URLs to the interactions (fhir/interactions), which know nothing of HTTP.
 * https://hl7.org/fhir/R4/http.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AnnuaireError } from '../error.js';
import type { Access } from '../fhir/access.js';
import type { FhirContext } from '../fhir/context.js';
import { capabilityStatement } from '../fhir/interactions/capabilities.js';
import { readCodeSystem, searchCodeSystems } from '../fhir/interactions/code-system.js';
import { history } from '../fhir/interactions/history.js';
import { read, vread } from '../fhir/interactions/read.js';
import { searchType } from '../fhir/interactions/search-type.js';
import type { StoredVersion } from '../store/store.js';
import { checkFormat, FHIR_JSON, pretty } from './format.js';

export interface FhirRoutesOptions {
  readonly fhir: FhirContext;
  readonly version: string;
  /** The access of a request (from its API key); the public perimeter without one. */
  readonly accessOf: (request: FastifyRequest) => Promise<Access>;
}

type Pairs = [string, string][];

/** The query parameters in order, repeated ones kept (a repeated parameter means AND). */
const queryPairs = (request: FastifyRequest): Pairs => {
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  // Most reads have no query: no URL to parse.
  return q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1)).entries()];
};

/** The base of links: the URL the client used up to /fhir (behind a proxy, X-Forwarded-Proto and -Host). */
const baseOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}/fhir`;

const strictOf = (request: FastifyRequest): boolean =>
  /(^|[,;\s])handling=strict\b/.test(String(request.headers['prefer'] ?? ''));

function send(request: FastifyRequest, reply: FastifyReply, json: string, pairs: Pairs): FastifyReply {
  const get = (k: string): string | undefined => pairs.find(([key]) => key === k)?.[1];
  checkFormat(get('_format'), request.headers.accept);
  return reply.type(FHIR_JSON).send(pretty(json, get('_pretty') === 'true'));
}

/** A resource with ETag and Last-Modified, or 304 when the client's copy is current. */
function sendVersion(
  request: FastifyRequest,
  reply: FastifyReply,
  v: StoredVersion,
  pairs: Pairs,
): FastifyReply {
  const etag = `W/"${v.versionId}"`;
  const modified = new Date(v.lastUpdated);
  void reply.header('etag', etag).header('last-modified', modified.toUTCString());
  const inm = request.headers['if-none-match'];
  const ims = request.headers['if-modified-since'];
  const fresh =
    inm !== undefined
      ? inm.split(',').some((t) => t.trim() === etag || t.trim() === `"${v.versionId}"` || t.trim() === '*')
      : ims !== undefined && Math.floor(modified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
  if (fresh) {
    return reply.code(304).send();
  }
  return send(request, reply, v.json, pairs);
}

export function fhirRoutes(app: FastifyInstance, options: FhirRoutesOptions): void {
  const { fhir } = options;
  const ctx = (request: FastifyRequest): { base: string; strict: boolean } => ({
    base: baseOf(request),
    strict: strictOf(request),
  });

  app.get('/fhir/metadata', async (request, reply) =>
    send(
      request,
      reply,
      capabilityStatement(fhir.params, options.version, baseOf(request), fhir.bulkExport === true),
      queryPairs(request),
    ),
  );

  app.get('/fhir/_history', async (request, reply) => {
    const pairs = queryPairs(request);
    const access = await options.accessOf(request);
    return send(request, reply, await history(fhir, access, {}, pairs, ctx(request)), pairs);
  });

  const search = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pairs: Pairs,
  ): Promise<FastifyReply> => {
    const { type } = request.params as { type: string };
    const access = await options.accessOf(request);
    const json =
      type === 'CodeSystem'
        ? searchCodeSystems(fhir, pairs, ctx(request))
        : await searchType(fhir, access, type, pairs, ctx(request));
    return send(request, reply, json, pairs);
  };

  app.get('/fhir/:type', async (request, reply) => search(request, reply, queryPairs(request)));

  app.post('/fhir/:type/_search', async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    // Parameters may be in the URL, the form body or both: https://hl7.org/fhir/R4/http.html#search
    return search(request, reply, [...queryPairs(request), ...new URLSearchParams(body).entries()]);
  });

  app.get('/fhir/:type/_history', async (request, reply) => {
    const { type } = request.params as { type: string };
    const pairs = queryPairs(request);
    const access = await options.accessOf(request);
    return send(request, reply, await history(fhir, access, { type }, pairs, ctx(request)), pairs);
  });

  app.get('/fhir/:type/:id', async (request, reply) => {
    const { type, id } = request.params as { type: string; id: string };
    const pairs = queryPairs(request);
    if (type === 'CodeSystem') {
      return send(request, reply, readCodeSystem(fhir, id), pairs);
    }
    const access = await options.accessOf(request);
    return sendVersion(request, reply, await read(fhir, access, type, id), pairs);
  });

  app.get('/fhir/:type/:id/_history', async (request, reply) => {
    const { type, id } = request.params as { type: string; id: string };
    const pairs = queryPairs(request);
    const access = await options.accessOf(request);
    return send(request, reply, await history(fhir, access, { type, id }, pairs, ctx(request)), pairs);
  });

  app.get('/fhir/:type/:id/_history/:vid', async (request, reply) => {
    const { type, id, vid } = request.params as { type: string; id: string; vid: string };
    const access = await options.accessOf(request);
    return sendVersion(request, reply, await vread(fhir, access, type, id, vid), queryPairs(request));
  });

  // The directory is written by its sources (imports, RPPS+, the ROR feed), never through the FHIR API.
  app.route({
    method: ['PUT', 'POST', 'DELETE', 'PATCH'],
    url: '/fhir/*',
    handler: () => {
      throw new AnnuaireError(405, 'not-supported', 'the FHIR API of the directory is read-only');
    },
  });
}
