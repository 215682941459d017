/**
 * The schema, written once; each engine fills in its own types (the thin dialect override of STYLE.md §3).
 * Migrations are append-only: a released migration is never edited, a new one is added.
 *
 * - resource_version: every version of every resource, as FHIR JSON text. vid (the change-feed position)
 *   grows with every version written; [rel_from, rel_to) is the range of releases in which it is current.
 * - resource_current: one narrow row per resource pointing at its current version, with the content hash
 *   that lets a re-import skip unchanged resources.
 * - idx_*: search-index rows, valid over [rel_from, rel_to), keyed for range scans (see index-rows.ts);
 *   or, where the dialect keeps documents, search_doc: one full-text document per version (rowid = vid),
 *   valid over that version's range (see index-terms.ts).
 * - release: one row per committed release, with its counts and rejection report.
 * - source_unit: per unit of a source (an importer's notion, e.g. one professional), the hash of its source
 *   lines and the resources they produced, so a re-import skips units whose lines did not change.
 * - api_key: the API keys of the FHIR API, by the SHA-256 of their secret (never the secret itself).
 */
import type { IndexKind } from '../store.js';
import { OPEN } from './index-rows.js';

export interface Dialect {
  /** Text compared bytewise, so that prefix ranges work (PostgreSQL needs COLLATE "C"). */
  readonly text: string;
  readonly bigint: string;
  /** Table option for tables whose primary key is the access path (SQLite's WITHOUT ROWID). */
  readonly clustered: string;
  /** Column definition of an auto-assigned 64-bit key. */
  readonly vidColumn: string;
  /**
   * Token, string and reference entries kept as one full-text document per version (index-terms.ts) rather
   * than as rows; dates stay rows either way.
   */
  readonly documents: boolean;
}

/** The schema version from which the search lookups of migration 0007 exist. */
export const SEARCH_LOOKUPS_SCHEMA = 7;
/** The schema version from which versions carry their classifier's flag (migration 0008). */
export const VERSION_FLAG_SCHEMA = 8;

/** The kinds of index entries a dialect keeps in documents. */
export const documentKinds = (d: Dialect): ReadonlySet<IndexKind> =>
  new Set<IndexKind>(d.documents ? ['token', 'string'] : []);

export function migrationsFor(d: Dialect): Record<string, readonly string[]> {
  const t = d.text;
  const index = (table: string, keys: string, payload = ''): string =>
    `CREATE TABLE ${table} (pid INTEGER NOT NULL, ${keys
      .split(', ')
      .map((k) => `${k} ${k === 'sid' ? 'INTEGER' : t} NOT NULL`)
      .join(
        ', ',
      )}, id ${t} NOT NULL, rel_from INTEGER NOT NULL, rel_to INTEGER NOT NULL DEFAULT ${OPEN},${payload}
      PRIMARY KEY (pid, ${keys}, id, rel_from))${d.clustered}`;
  return {
    '0001-initial': [
      `CREATE TABLE release (id INTEGER PRIMARY KEY, started_at ${t} NOT NULL, committed_at ${t} NOT NULL,
        source ${t} NOT NULL, checksums ${t} NOT NULL, counts ${t} NOT NULL, report ${t} NOT NULL,
        first_vid ${d.bigint} NOT NULL, last_vid ${d.bigint} NOT NULL)`,
      `CREATE TABLE resource_version (${d.vidColumn}, type ${t} NOT NULL, id ${t} NOT NULL,
        version INTEGER NOT NULL, rel_from INTEGER NOT NULL, rel_to INTEGER NOT NULL DEFAULT ${OPEN},
        last_updated ${t} NOT NULL, active INTEGER NOT NULL, deleted INTEGER NOT NULL, json ${t} NOT NULL)`,
      'CREATE UNIQUE INDEX resource_version_key ON resource_version (type, id, version)',
      `CREATE TABLE resource_current (type ${t} NOT NULL, id ${t} NOT NULL, vid ${d.bigint} NOT NULL,
        version INTEGER NOT NULL, rel_from INTEGER NOT NULL, hash ${t} NOT NULL, active INTEGER NOT NULL,
        deleted INTEGER NOT NULL, PRIMARY KEY (type, id))${d.clustered}`,
      `CREATE TABLE search_param (pid INTEGER PRIMARY KEY, type ${t} NOT NULL, code ${t} NOT NULL,
        kind ${t} NOT NULL, UNIQUE (type, code, kind))`,
      `CREATE TABLE token_system (sid INTEGER PRIMARY KEY, system ${t} NOT NULL UNIQUE)`,
      ...(d.documents
        ? [
            // Contentless (the text is in resource_version), deletable (retention purge), no positions.
            `CREATE VIRTUAL TABLE search_doc USING fts5(terms, content='', contentless_delete=1,
              detail=none, tokenize="ascii tokenchars '_'")`,
          ]
        : [
            index('idx_token', 'value, sid', ` type ${t} NOT NULL DEFAULT '',`),
            index('idx_string', 'norm, exact'),
            index('idx_reference', 'target'),
          ]),
      index('idx_date', 'low, high'),
      `CREATE TABLE store_meta (key ${t} PRIMARY KEY, value ${t} NOT NULL)`,
    ],
    // What each unit of a source (a professional's lines) produced, with a hash of those lines: a re-import
    // keeps the resources of an unchanged unit without rebuilding them (ReleaseWriter.sourceUnits).
    '0002-source-units': [
      `CREATE TABLE source_unit (key ${t} PRIMARY KEY, hash ${t} NOT NULL, resources ${t} NOT NULL,
        rel_from INTEGER NOT NULL)${d.clustered}`,
    ],
    // `:contains` from an index, never a scan: on SQLite the FTS5 term dictionary (the distinct values, see
    // value-dictionary.ts), on PostgreSQL a trigram index of the folded values (https://www.postgresql.org/docs/current/pgtrgm.html).
    '0003-contains': d.documents
      ? ['CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_doc, row)']
      : [
          'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public',
          'CREATE INDEX idx_string_trigram ON idx_string USING gin (norm public.gin_trgm_ops)',
        ],
    // API keys (Store.createApiKey): scopes as a comma-separated list, the secret's SHA-256 in hex, an optional
    // rate limit of their own (requests per second). Revoked keys stay, for the record.
    '0004-api-keys': [
      `CREATE TABLE api_key (id ${t} PRIMARY KEY, name ${t} NOT NULL, scopes ${t} NOT NULL,
        secret_sha256 ${t} NOT NULL UNIQUE, created_at ${t} NOT NULL, revoked_at ${t},
        rate_limit INTEGER)`,
    ],
    // The versions that were replaced, by type: few beside the current ones, so a count can tell cheaply when
    // none could hit and the index alone counts (sql-store.ts count()).
    '0005-replaced-versions': [
      `CREATE INDEX resource_version_closed ON resource_version (type, rel_to) WHERE rel_to < ${OPEN}`,
    ],
    // References as rows on SQLite too (they were FTS5 terms): a chain or a reverse chain is then a join in
    // SQL (search-sql.ts), where thousands of terms OR-ed in FTS5 cost a seek each. The store refuses releases
    // until `annuaire db reindex` fills the table (indexer 7).
    '0006-reference-rows': d.documents ? [index('idx_reference', 'target')] : [],
    // Lookups that searches make without reading whole versions (IF NOT EXISTS: an index is never harmful twice).
    // - The references of a resource, by the resource: a reverse chain (`_has`) goes from the matching sources
    //   to what they point at, which the primary key (by target) answers only by scanning every reference of the
    //   parameter. Covering, so the lookup never reads the table.
    // - SQLite: a version's type, id and range by its seq, where FTS5 gives seqs. A version row holds its JSON
    //   (a few per 16 KiB page): checking thousands of matches (a chain through `address-city=paris`) read as
    //   many pages; this narrow index holds hundreds of entries per page, and the row is read only for the
    //   versions a page returns (SQLite's deferred seek). Appended in seq order, as versions are written. The
    //   range comes second: after it no column can serve as a key, so that `id IN (…)` stays a filter (as a key
    //   it made SQLite probe every listed id for every match).
    '0007-search-lookups': [
      'CREATE INDEX IF NOT EXISTS idx_reference_source ON idx_reference (pid, id, target, rel_from, rel_to)',
      ...(d.documents
        ? [
            `CREATE INDEX IF NOT EXISTS resource_version_seq
              ON resource_version (vid, rel_to, rel_from, type, id, deleted)`,
          ]
        : []),
    ],
    // A version's flag, the answer of the store's classifier when it was written (classifier.ts): whether its text
    // may hold restricted elements. Null for versions written before, or without a classifier: readers then
    // work it out from the text.
    '0008-version-flag': ['ALTER TABLE resource_version ADD COLUMN flagged INTEGER'],
  };
}
