/**
 * Rate limits: per API key when a valid one is given, per client IP otherwise (an unknown key counts against
 * its IP, so made-up keys do not buy fresh allowances). Over the limit: 429 with Retry-After, as an
 * OperationOutcome (throttled). Limits are per server process, in memory.
 *
 * Each key gets a window that opens with its first request, as @fastify/rate-limit's in-memory store does,
 * with the same X-RateLimit-* headers. Written here rather than taken from that plugin: its promise chain cost
 * 2.8 µs of the 35 µs of CPU a read by id takes, the API's hottest path (bench: api, reads ≥ 60% of a bare
 * server), for a counter in a Map.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnnuaireError } from '../error.js';
import type { Access } from '../fhir/access.js';

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

/** Requests counted per key, each key over a window that opens with its first request. */
export class WindowCounter {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  /** When ended windows are next dropped: the map holds the keys seen in about one window. */
  #sweepAt = 0;

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts a request of `key`: how many its window has now, and in how many ms the window ends. */
  hit(key: string): { count: number; resetInMs: number } {
    const now = this.#now();
    if (now >= this.#sweepAt) {
      for (const [k, w] of this.#windows) {
        if (w.resetAt <= now) {
          this.#windows.delete(k);
        }
      }
      this.#sweepAt = now + this.#windowMs;
    }
    let w = this.#windows.get(key);
    if (w === undefined || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetInMs: w.resetAt - now };
  }
}

/**
 * Counts a request against its key's allowance when `access` carries a valid key, its IP's otherwise (no key, or
 * an unknown or revoked one); sets the X-RateLimit-* headers, and answers the 429 to send when over the limit.
 * Health checks and scrapes (`config: { rateLimit: false }`) are never limited: a load balancer must not take
 * a busy node out.
 */
export type RateLimiter = (
  request: FastifyRequest,
  reply: FastifyReply,
  access: Access | undefined,
) => AnnuaireError | undefined;

export function rateLimiter(limits: RateLimits): RateLimiter {
  const windowMs = limits.windowMs ?? 1000;
  const counter = new WindowCounter(windowMs);
  return (request, reply, access) => {
    if ((request.routeOptions.config as { rateLimit?: boolean } | undefined)?.rateLimit === false) {
      return undefined;
    }
    const byKey = access?.keyId !== undefined;
    const max = byKey ? (access.rateLimit ?? limits.perKey) : limits.perIp;
    const { count, resetInMs } = counter.hit(byKey ? `key:${access.keyId}` : `ip:${request.ip}`);
    const reset = Math.ceil(resetInMs / 1000);
    void reply
      .header('x-ratelimit-limit', max)
      .header('x-ratelimit-remaining', Math.max(0, max - count))
      .header('x-ratelimit-reset', reset);
    if (count <= max) {
      return undefined;
    }
    void reply.header('retry-after', reset);
    return new AnnuaireError(
      429,
      'throttled',
      `more than ${max} requests in ${windowMs} ms; retry in ${reset} s`,
    );
  };
}
