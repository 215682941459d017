/** Conversions between database rows and the Store's types, shared by both engines. */
import type { ReleaseCounts, ReleaseReport } from '../../domain/release.js';
import type { ApiKey, Release, StoredVersion } from '../store.js';
import { OPEN } from './index-rows.js';

export interface VersionDbRow {
  vid: number | string;
  type: string;
  id: string;
  version: number;
  rel_from: number;
  rel_to: number;
  last_updated: string;
  active: number;
  deleted: number;
  json: string;
  /** resource_version.flagged (migration 0008): null for a version written before it; absent before it. */
  flagged?: number | null;
}

const COLUMNS = [
  'vid',
  'type',
  'id',
  'version',
  'rel_from',
  'rel_to',
  'last_updated',
  'active',
  'deleted',
  'json',
];

/**
 * The columns read into a StoredVersion, prefixed with a table alias when given, with the version's stored
 * restricted-element flag when the schema has it (`flags`: migration 0008).
 */
export function versionColumns(flags: boolean, alias?: string): string {
  return [...COLUMNS, ...(flags ? ['flagged'] : [])].map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
}

export function toStoredVersion(row: VersionDbRow): StoredVersion {
  return {
    resourceType: row.type,
    id: row.id,
    versionId: row.version,
    lastUpdated: row.last_updated,
    release: row.rel_from,
    // PostgreSQL returns bigint as text; change-feed positions stay far below 2^53.
    seq: Number(row.vid),
    active: Boolean(row.active),
    deleted: Boolean(row.deleted),
    ...(Number(row.rel_to) < OPEN ? { replacedIn: Number(row.rel_to) } : {}),
    json: row.json,
    ...(row.flagged === null || row.flagged === undefined ? {} : { flagged: Number(row.flagged) === 1 }),
  };
}

export interface ReleaseDbRow {
  id: number;
  started_at: string;
  committed_at: string;
  source: string;
  checksums: string;
  counts: string;
  report: string;
}

export function toRelease(row: ReleaseDbRow): Release {
  return {
    id: row.id,
    startedAt: row.started_at,
    committedAt: row.committed_at,
    source: row.source,
    checksums: JSON.parse(row.checksums) as Record<string, string>,
    counts: JSON.parse(row.counts) as ReleaseCounts,
    report: JSON.parse(row.report) as ReleaseReport,
  };
}

export interface ApiKeyDbRow {
  id: string;
  name: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  rate_limit: number | null;
}

export const API_KEY_COLUMNS = 'id, name, scopes, created_at, revoked_at, rate_limit';

export function toApiKey(row: ApiKeyDbRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes === '' ? [] : row.scopes.split(','),
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
    ...(row.rate_limit !== null ? { rateLimit: Number(row.rate_limit) } : {}),
  };
}
