/**
 * The HTTP application: FHIR routes, compression, CORS, health. Built by the composition root from the parts
 * it is given (no module state); tests build it the same way on a real port.
 */
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { PUBLIC_ACCESS, type Access } from '../fhir/access.js';
import type { FhirContext } from '../fhir/context.js';
import { installErrorHandlers } from './errors.js';
import { fhirRoutes } from './fhir-routes.js';

export interface AppOptions {
  readonly fhir: FhirContext;
  readonly version: string;
  /** Structured logs (JSON lines, pino) on stdout, or off. */
  readonly logger: boolean;
  readonly accessOf?: (request: FastifyRequest) => Promise<Access>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    // Behind a load balancer, links are written with the client's scheme and host.
    trustProxy: true,
    // Idle keep-alive connections stay open longer than the usual load balancer timeout (60 s).
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandlers(app);
  // Brotli's default quality (11) compresses a 1.5 MB page of 1000 resources at about 1 MB/s; quality 4 is
  // about as fast as gzip and still smaller. https://nodejs.org/api/zlib.html#brotli-constants
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 5 },
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  // Other bodies are read and left to the routes: a write answers 405 whatever its content type.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  // CORS: the directory is public data, read from any origin's pages.
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('access-control-allow-origin', '*');
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
    }
  });
  app.get('/health', async () => {
    const release = await options.fhir.store.currentRelease();
    return { status: 'ok', release };
  });
  fhirRoutes(app, {
    fhir: options.fhir,
    version: options.version,
    accessOf: options.accessOf ?? (() => Promise.resolve(PUBLIC_ACCESS)),
  });
  return app;
}
