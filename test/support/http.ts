/** The HTTP application on a real loopback port, as `annuaire serve` builds it, for end-to-end tests. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { newSecret } from '../../src/http/api-key.js';
import { composeSystem } from '../../src/main.js';
import type { Store } from '../../src/store/store.js';

export interface Served {
  readonly app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly close: () => Promise<void>;
}

export async function serve(store: Store, extra: Partial<AppOptions> = {}): Promise<Served> {
  const app = await buildApp({ ...composeSystem().http(store), logger: false, ...extra });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Creates an API key in the store; returns its id and secret. */
export async function createKey(
  store: Store,
  scopes: string[],
  rateLimit?: number,
): Promise<{ id: string; secret: string }> {
  const { id, secret, secretSha256 } = newSecret();
  await store.createApiKey({
    id,
    name: `test ${scopes.join(',')}`,
    scopes,
    secretSha256,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  });
  return { id, secret };
}
