/**
 * The HTTP application: FHIR routes, API keys and perimeters, rate limits, compression, CORS, health and
 * metrics. Built by the composition root from the parts it is given (no module state); tests build it the same
 * way on a real port.
 */
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { PUBLIC_ACCESS, type Access } from '../fhir/access.js';
import type { FhirContext } from '../fhir/context.js';
import type { BulkExporter } from '../publish/export/bulk-exporter.js';
import { secretOf } from './api-access.js';
import { installErrorHandlers } from './errors.js';
import { exportRoutes } from './export-routes.js';
import { extractionsRoutes, type ExtractionsOptions } from './extractions-routes.js';
import { fhirRoutes } from './fhir-routes.js';
import { installMetrics } from './metrics.js';
import { rateLimiter, type RateLimits } from './rate-limits.js';

export interface AppOptions {
  readonly fhir: FhirContext;
  readonly version: string;
  /**
   * Structured logs (JSON lines, pino) on stdout, or on the stream given, or off. API keys are never logged:
   * their headers are redacted.
   */
  readonly logger: boolean | { readonly stream: { write(line: string): void } };
  /**
   * The access of a request that carries an API key (http/api-access.ts); a request without one is public.
   * Without this option, every request is public.
   */
  readonly accessOf?: (request: FastifyRequest) => Promise<Access>;
  /** Requests per second per IP and per key (http/rate-limits.ts); no limits without. */
  readonly rateLimits?: RateLimits;
  /** Bulk Data $export (http/export-routes.ts); not served without. */
  readonly bulkExport?: BulkExporter;
  /** The open-data files' download service at /extractions (http/extractions-routes.ts); off without. */
  readonly extractions?: ExtractionsOptions;
}

const PUBLIC = Promise.resolve(PUBLIC_ACCESS);

/** Headers that carry API keys: never written to logs. */
const REDACTED = ['req.headers.authorization', 'req.headers["esante-api-key"]'];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger =
    options.logger === false
      ? false
      : {
          level: 'info',
          redact: REDACTED,
          ...(options.logger === true ? {} : { stream: options.logger.stream }),
        };
  const app = Fastify({
    logger,
    // Behind a load balancer, links are written with the client's scheme and host.
    trustProxy: true,
    // Idle keep-alive connections stay open longer than the usual load balancer timeout (60 s).
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandlers(app);
  // The access of a request is resolved once (rate limits and routes both ask), its failure kept for the route.
  const resolved = new WeakMap<FastifyRequest, Promise<Access>>();
  const resolve = options.accessOf ?? ((): Promise<Access> => Promise.resolve(PUBLIC_ACCESS));
  const accessOf = (request: FastifyRequest): Promise<Access> => {
    if (secretOf(request) === undefined) {
      // No key, the public perimeter: nothing to look up or to log.
      return PUBLIC;
    }
    let access = resolved.get(request);
    if (!access) {
      access = resolve(request).then((a) => {
        // Who saw what: the key of every request that has one (the audit trail of restricted data).
        if (a.keyId !== undefined) {
          request.log.info({ keyId: a.keyId, scopes: [...a.scopes] }, 'api key');
        }
        return a;
      });
      // Handled by whoever awaits it; this keeps an unawaited rejection from being reported as unhandled.
      access.catch(() => undefined);
      resolved.set(request, access);
    }
    return access;
  };
  installMetrics(app, options.fhir.store);
  // Brotli's default quality (11) compresses a 1.5 MB page of 1000 resources at about 1 MB/s; quality 4 is
  // about as fast as gzip and still smaller. https://nodejs.org/api/zlib.html#brotli-constants
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 5 },
    // Request bodies are small forms (POST _search): none is taken compressed, and no route pays the hook.
    globalDecompression: false,
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  // Other bodies are read and left to the routes: a write answers 405 whatever its content type.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  const limit = options.rateLimits ? rateLimiter(options.rateLimits) : undefined;
  // One hook for what every request needs before its route: CORS headers, the access of its key, its rate
  // limit. A callback rather than a promise, and one hook rather than three: this runs before every read, the
  // API's hottest path (bench: api, reads).
  app.addHook('onRequest', (request, reply, done) => {
    // CORS: the directory is public data, read from any origin's pages.
    void reply.header('access-control-allow-origin', '*');
    // The same URL answers differently with another key (its perimeter): shared caches must keep them apart.
    void reply.header('vary', 'Authorization, ESANTE-API-KEY, Accept-Encoding');
    void reply.header(
      'access-control-expose-headers',
      'ETag, Last-Modified, Location, Content-Location, Retry-After',
    );
    if (request.method === 'OPTIONS') {
      void reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header(
          'access-control-allow-headers',
          'Authorization, ESANTE-API-KEY, Content-Type, Prefer, If-None-Match',
        )
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
      return;
    }
    if (secretOf(request) === undefined) {
      done(limit?.(request, reply, undefined));
      return;
    }
    accessOf(request).then(
      (access) => done(limit?.(request, reply, access)),
      // An unknown or revoked key counts against its IP (made-up keys buy no allowance), then answers 401 on
      // every FHIR route, those that serve only public data (metadata, CodeSystem) too.
      (e: Error) =>
        done(limit?.(request, reply, undefined) ?? (request.url.startsWith('/fhir') ? e : undefined)),
    );
  });
  // 503 when the store does not answer, so a load balancer takes the node out.
  app.get('/health', { config: { rateLimit: false } }, async (request, reply) => {
    try {
      const release = await options.fhir.store.currentRelease();
      return { status: 'ok', release };
    } catch (e) {
      request.log.error({ err: e }, 'health: the store does not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'the store does not answer' });
    }
  });
  if (options.bulkExport) {
    exportRoutes(app, { exporter: options.bulkExport, accessOf });
  }
  fhirRoutes(app, { fhir: options.fhir, version: options.version, accessOf });
  if (options.extractions) {
    extractionsRoutes(app, options.extractions);
  }
  return app;
}
