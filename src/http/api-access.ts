/**
 * Who is asking: the API key of a request (`ESANTE-API-KEY`, as on the official API, or `Authorization:
 * Bearer`), looked up by the SHA-256 of its secret, and the Access it opens. No key: the public perimeter.
 * An unknown or revoked key answers 401 (never silently public: a client would take the public perimeter for
 * the restricted one).
 *
 * Lookups are cached in memory for a short time, in a bounded map: a revoked key stops working within
 * CACHE_MS on every server.
 */
import type { FastifyRequest } from 'fastify';
import { AnnuaireError } from '../error.js';
import { PUBLIC_ACCESS, SCOPES, type Access, type Scope } from '../fhir/access.js';
import type { ApiKey, Store } from '../store/store.js';
import { sha256 } from './api-key.js';

/** How long a looked-up key is trusted before it is read again (revocations take this long to apply). */
export const CACHE_MS = 10_000;
/** Keys (known or not) remembered at most; the oldest goes first. */
const CACHE_SIZE = 10_000;

/** The secret a request carries, if any. */
export function secretOf(request: FastifyRequest): string | undefined {
  const header = request.headers['esante-api-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && key.trim() !== '') {
    return key.trim();
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return bearer?.[1];
}

export class ApiKeyResolver {
  readonly #store: Store;
  readonly #cache = new Map<string, { at: number; key: ApiKey | undefined }>();
  readonly #now: () => number;

  constructor(store: Store, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** The Access a request opens; throws 401 for an unknown or revoked key. */
  async accessOf(request: FastifyRequest): Promise<Access> {
    const secret = secretOf(request);
    if (secret === undefined) {
      return PUBLIC_ACCESS;
    }
    const key = await this.#lookup(sha256(secret));
    if (!key || key.revokedAt !== undefined) {
      throw new AnnuaireError(
        401,
        'login',
        key
          ? 'this API key was revoked'
          : 'this API key is not known (send it as ESANTE-API-KEY or Authorization: Bearer)',
      );
    }
    const scopes = new Set<Scope>(['public']);
    for (const s of key.scopes) {
      if ((SCOPES as readonly string[]).includes(s)) {
        scopes.add(s as Scope);
      }
    }
    return { scopes, keyId: key.id, ...(key.rateLimit !== undefined ? { rateLimit: key.rateLimit } : {}) };
  }

  async #lookup(hash: string): Promise<ApiKey | undefined> {
    const now = this.#now();
    const cached = this.#cache.get(hash);
    if (cached && now - cached.at < CACHE_MS) {
      return cached.key;
    }
    const key = await this.#store.apiKeyBySecretSha256(hash);
    this.#cache.delete(hash);
    this.#cache.set(hash, { at: now, key });
    if (this.#cache.size > CACHE_SIZE) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    return key;
  }
}
