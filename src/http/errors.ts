/**
 * Every error answers as an OperationOutcome, through the one converter (fhir/outcome.ts). A 500 is logged
 * with its stack and answered without it.
 */
import type { FastifyInstance } from 'fastify';
import { toOperationOutcome } from '../fhir/outcome.js';
import { AnnuaireError } from '../error.js';
import { FHIR_JSON } from './format.js';

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    let e: unknown = error;
    // Fastify's own client errors (a body too large, a bad content type…) keep their status.
    const status = (error as { statusCode?: number }).statusCode;
    if (!(error instanceof AnnuaireError) && status !== undefined && status >= 400 && status < 500) {
      e = new AnnuaireError(status, status === 429 ? 'throttled' : 'invalid', (error as Error).message);
    }
    const outcome = toOperationOutcome(e);
    if (outcome.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (outcome.status === 401) {
      // https://www.rfc-editor.org/rfc/rfc6750#section-3
      void reply.header('www-authenticate', 'Bearer realm="annuaire"');
    }
    void reply.code(outcome.status).type(FHIR_JSON).send(outcome.json);
  });
  app.setNotFoundHandler((request, reply) => {
    const outcome = toOperationOutcome(
      new AnnuaireError(
        404,
        'not-found',
        `nothing is served at ${request.method} ${request.url.split('?')[0]}`,
      ),
    );
    void reply.code(404).type(FHIR_JSON).send(outcome.json);
  });
}
