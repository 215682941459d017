/**
 * The `--db` URL: `sqlite:PATH` (the embedded default, `./data/annuaire.db`) or `postgres://…`.
 */
import { resolve } from 'node:path';
import { invalid } from '../error.js';

export const DEFAULT_DB = 'sqlite:./data/annuaire.db';

export type DbLocation =
  | { readonly engine: 'sqlite'; readonly path: string }
  | { readonly engine: 'postgres'; readonly url: string };

export function parseDbUrl(url: string): DbLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === ':memory:') {
      throw invalid(
        'sqlite: needs a file path (the store uses two connections, which an in-memory database cannot share)',
        '--db',
      );
    }
    return { engine: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw invalid(`"${url}" is not a valid PostgreSQL URL`, '--db');
    }
    return { engine: 'postgres', url };
  }
  throw invalid(`unknown database URL "${url}": use sqlite:PATH or postgres://…`, '--db');
}
