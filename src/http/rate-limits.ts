/**
 * Rate limits: per API key when a valid one is given, per client IP otherwise (an unknown key counts against
 * its IP, so made-up keys do not buy fresh allowances). Over the limit: 429 with Retry-After, as an
 * OperationOutcome (throttled). Limits are per server process, in memory.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AnnuaireError } from '../error.js';
import type { Access } from '../fhir/access.js';
import { secretOf } from './api-access.js';

export interface RateLimits {
  /** Requests per second from one IP address without a key. */
  readonly perIp: number;
  /** Requests per second with one key (unless the key has a limit of its own). */
  readonly perKey: number;
  /** The window requests are counted over, in milliseconds (default one second: limits per second). */
  readonly windowMs?: number;
}

/** Defaults: well above the official API's 17 requests per second per application. */
export const DEFAULT_RATE_LIMITS: RateLimits = { perIp: 50, perKey: 200 };

export async function installRateLimits(
  app: FastifyInstance,
  limits: RateLimits,
  accessOf: (request: FastifyRequest) => Promise<Access>,
): Promise<void> {
  const access = (request: FastifyRequest): Promise<Access | undefined> =>
    accessOf(request).catch(() => undefined);
  await app.register(rateLimit, {
    global: true,
    timeWindow: limits.windowMs ?? 1000,
    // Without a key the answers are known at once: no promise on the common path.
    keyGenerator: (request) =>
      secretOf(request) === undefined
        ? `ip:${request.ip}`
        : access(request).then((a) => (a?.keyId !== undefined ? `key:${a.keyId}` : `ip:${request.ip}`)),
    max: (request, key) =>
      key.startsWith('key:')
        ? access(request).then((a) => a?.rateLimit ?? limits.perKey)
        : Promise.resolve(limits.perIp),
    errorResponseBuilder: (_request, context) =>
      new AnnuaireError(
        429,
        'throttled',
        `more than ${context.max} requests in ${limits.windowMs ?? 1000} ms; retry in ${context.after}`,
      ),
  });
}
