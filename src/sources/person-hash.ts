/**
 * The hash of a person's staged lines: what a source unit (one professional) is compared by at a re-import.
 * Lines are taken grouped by file kind, in file order — not in the order the files were given — after a seed
 * that stands for everything else their meaning depends on (mapping version, NOS tables, layouts).
 */
import { createHash } from 'node:crypto';

export interface HashedLine {
  readonly src: number;
  readonly line: number;
  readonly text: string;
}

/** `kindOf[src]` is the kind of file `src`. */
export function personHash(seed: string, lines: readonly HashedLine[], kindOf: readonly string[]): string {
  const sorted = lines
    .map((l) => ({ kind: kindOf[l.src] ?? '', line: l.line, text: l.text }))
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.line - b.line));
  const hash = createHash('sha256').update(seed);
  for (const l of sorted) {
    hash.update(`\u0000${l.kind}\u0000${l.text}`);
  }
  return hash.digest('base64url').slice(0, 22);
}
