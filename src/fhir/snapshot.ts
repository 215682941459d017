/**
 * Snapshots and the historized perimeter: a page link pins a search or a history to a release, so that every
 * page sees the directory as the first did. Once a newer release has replaced it, that snapshot is past data.
 */
import { AnnuaireError } from '../error.js';
import type { Store } from '../store/store.js';
import type { Access } from './access.js';

/**
 * How long, after a newer release commits, a page pinned to the release before it still serves clients
 * without the historized scope: long enough to finish a crawl, short enough that a hand-made page link
 * (links are not signed) cannot browse old snapshots, which are historized data.
 */
export const SNAPSHOT_GRACE_MS = 24 * 60 * 60 * 1000;

/** Throws 403 when a page is pinned to a snapshot the access may no longer see. */
export async function checkSnapshot(
  store: Store,
  access: Access,
  release: number,
  now: number = Date.now(),
): Promise<void> {
  if (access.scopes.has('historized')) {
    return;
  }
  const next = await store.release(release + 1);
  if (next && now - Date.parse(next.committedAt) > SNAPSHOT_GRACE_MS) {
    throw new AnnuaireError(
      403,
      'forbidden',
      `this page is pinned to release ${release}, replaced on ${next.committedAt}: older snapshots need an API key with the historized scope; start again from the first page`,
      '_page',
    );
  }
}
