import { internal } from '../../error.js';

/** A JSON path spliced into SQL: only words and indexes, so it can never carry SQL. */
export function checkedPath(path: readonly (string | number)[]): readonly (string | number)[] {
  for (const p of path) {
    if (typeof p === 'number' ? !Number.isInteger(p) || p < 0 : !/^[A-Za-z][A-Za-z0-9]*$/.test(p)) {
      throw internal(`not a JSON path part: ${String(p)}`);
    }
  }
  return path;
}
