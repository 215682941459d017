/**
 * `annuaire db init | info | reindex | purge`: create or migrate the store's schema, describe the store,
 * rebuild the search index, apply the index retention.
 */
import { invalid } from '../../error.js';
import type { Store, StoreInfo } from '../../store/store.js';
import type { Command, CliContext } from '../context.js';
import { dbOption, dbUrl, parse } from '../options.js';

export const DB_HELP = `annuaire db init  [--db URL]            create the store, or migrate its schema to this version
annuaire db info  [--db URL] [--json]   engine, schema version, releases, resource counts per type
annuaire db reindex [--db URL]          rebuild the search index with this version's indexer
annuaire db purge [--db URL] --keep-releases N
                                        drop search-index rows closed more than N releases ago`;

/** Opens the store of `url`, runs `work` on it and closes it. */
export async function withStore<T>(
  ctx: CliContext,
  url: string,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await ctx.openStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export const db: Command = async (args, ctx) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'init': {
      const { values } = parse(rest, dbOption);
      const { from, to } = await withStore(ctx, dbUrl(values.db, ctx.env), (s) => s.migrate());
      ctx.io.out(
        from === to
          ? `schema is up to date (version ${to})\n`
          : `schema migrated from version ${from} to ${to}\n`,
      );
      return;
    }
    case 'info': {
      const { values } = parse(rest, { ...dbOption, json: { type: 'boolean' } });
      const info = await withStore(ctx, dbUrl(values.db, ctx.env), (s) => s.info());
      ctx.io.out(values.json ? JSON.stringify(info, null, 2) + '\n' : formatInfo(info));
      return;
    }
    case 'reindex': {
      const { values } = parse(rest, dbOption);
      const { versions } = await withStore(ctx, dbUrl(values.db, ctx.env), (s) => s.reindex());
      ctx.io.out(`search index rebuilt: ${versions} versions\n`);
      return;
    }
    case 'purge': {
      const { values } = parse(rest, { ...dbOption, 'keep-releases': { type: 'string' } });
      const keep = Number(values['keep-releases']);
      if (!Number.isInteger(keep) || keep < 1) {
        throw invalid('--keep-releases needs a whole number of at least 1', '--keep-releases');
      }
      const r = await withStore(ctx, dbUrl(values.db, ctx.env), (s) => s.purge({ keepReleases: keep }));
      ctx.io.out(
        `purged ${r.rows} index rows; searches as of release ${r.purgedThrough} or older are no longer possible\n`,
      );
      return;
    }
    default:
      throw invalid(`unknown db command "${sub ?? ''}"; expected init, info, reindex or purge`);
  }
};

export function formatInfo(info: StoreInfo): string {
  const lines = [
    `engine:          ${info.engine}`,
    `location:        ${info.location}`,
    `schema version:  ${info.schemaVersion}${info.schemaVersion < info.latestSchemaVersion ? ` (this program needs ${info.latestSchemaVersion}: run "annuaire db init")` : ''}`,
    `releases:        ${info.releases}${info.releases > 0 ? ` (current: ${info.currentRelease})` : ''}`,
  ];
  if (info.purgedThrough > 0) {
    lines.push(`purged through:  release ${info.purgedThrough}`);
  }
  const types = Object.entries(info.counts);
  lines.push(types.length === 0 ? 'resources:       none' : 'resources:');
  for (const [type, c] of types) {
    lines.push(`  ${type.padEnd(18)} ${String(c.total).padStart(10)}  (${c.active} active)`);
  }
  return lines.join('\n') + '\n';
}
