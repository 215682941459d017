/**
 * `annuaire keys create | list | revoke`: the API keys that open the restricted and historized perimeters of
 * the FHIR API (and carry their own rate limit). A secret is printed once, at creation; the store keeps only
 * its SHA-256.
 */
import { invalid, notFound } from '../../error.js';
import { SCOPES, type Scope } from '../../fhir/access.js';
import { newSecret } from '../../http/api-key.js';
import type { ApiKey, Store } from '../../store/store.js';
import type { CliContext, Command } from '../context.js';
import { dbOption, dbUrl, parse } from '../options.js';
import { withStore } from './db.js';

export const KEYS_HELP = `annuaire keys create --scope S[,S] [--name TEXT] [--rate-limit N] [--db URL]
                                        create an API key (scopes public, restricted, historized);
                                        prints its secret, once
annuaire keys list [--db URL] [--json]  id, name, scopes, created, revoked (never secrets)
annuaire keys revoke ID [--db URL]      revoke a key (requests with it then answer 401)`;

/** The store, checked to hold the api_key table (migration 0004). */
function withKeyStore<T>(ctx: CliContext, url: string, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(ctx, url, async (store) => {
    const info = await store.info();
    if (info.schemaVersion < info.latestSchemaVersion) {
      throw invalid(
        `the store's schema is at version ${info.schemaVersion}, API keys need ${info.latestSchemaVersion}: run "annuaire db init"`,
        '--db',
      );
    }
    return work(store);
  });
}

function parseScopes(text: string | undefined): Scope[] {
  if (text === undefined || text.trim() === '') {
    throw invalid(`--scope is required: one or more of ${SCOPES.join(', ')}, comma-separated`, '--scope');
  }
  const scopes = [...new Set(text.split(',').map((s) => s.trim()))];
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw invalid(`--scope: "${s}" is not one of ${SCOPES.join(', ')}`, '--scope');
    }
  }
  return scopes as Scope[];
}

export const keys: Command = async (args, ctx) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, {
        ...dbOption,
        scope: { type: 'string' },
        name: { type: 'string' },
        'rate-limit': { type: 'string' },
      });
      const scopes = parseScopes(values.scope);
      const limitText = values['rate-limit'];
      const rateLimit = limitText === undefined ? undefined : Number(limitText);
      if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
        throw invalid(
          `--rate-limit: "${limitText}" is not a whole number of requests per second`,
          '--rate-limit',
        );
      }
      const { id, secret, secretSha256 } = newSecret();
      const key = await withKeyStore(ctx, dbUrl(values.db, ctx.env), (s) =>
        s.createApiKey({
          id,
          name: values.name ?? '',
          scopes,
          secretSha256,
          ...(rateLimit !== undefined ? { rateLimit } : {}),
        }),
      );
      ctx.io.out(
        `key ${key.id} created (scopes ${key.scopes.join(', ')})\n` +
          `secret: ${secret}\n` +
          'Keep the secret now: it is not stored and cannot be shown again. Send it as the ESANTE-API-KEY\n' +
          'header or as Authorization: Bearer.\n',
      );
      return;
    }
    case 'list': {
      const { values } = parse(rest, { ...dbOption, json: { type: 'boolean' } });
      const list = await withKeyStore(ctx, dbUrl(values.db, ctx.env), (s) => s.apiKeys());
      ctx.io.out(values.json ? JSON.stringify(list, null, 2) + '\n' : formatKeys(list));
      return;
    }
    case 'revoke': {
      const { values, positionals } = parse(rest, dbOption, true);
      if (positionals.length !== 1) {
        throw invalid('keys revoke takes one key id (see annuaire keys list)');
      }
      const id = positionals[0]!;
      const key = await withKeyStore(ctx, dbUrl(values.db, ctx.env), (s) => s.revokeApiKey(id));
      if (!key) {
        throw notFound(`there is no API key ${id} (see annuaire keys list)`);
      }
      ctx.io.out(`key ${key.id} revoked at ${key.revokedAt ?? ''}\n`);
      return;
    }
    default:
      throw invalid(`unknown keys command "${sub ?? ''}"; expected create, list or revoke`);
  }
};

function formatKeys(list: readonly ApiKey[]): string {
  if (list.length === 0) {
    return 'no API keys\n';
  }
  const rows = list.map((k) => [
    k.id,
    k.name === '' ? '-' : k.name,
    k.scopes.join(','),
    k.createdAt,
    k.revokedAt ?? '-',
    k.rateLimit === undefined ? '-' : `${k.rateLimit}/s`,
  ]);
  const head = ['id', 'name', 'scopes', 'created', 'revoked', 'rate limit'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return (
    [head, ...rows]
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
