/**
 * What a release did, and what it rejected. Every import, registration validation or capacity update commits
 * one release; its counts and report are kept with it.
 */
export interface ReleaseCounts {
  /** Source records read (lines, rows). */
  readonly read: number;
  readonly added: number;
  readonly changed: number;
  readonly deactivated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly deleted: number;
}

export const emptyCounts = (): ReleaseCounts => ({
  read: 0,
  added: 0,
  changed: 0,
  deactivated: 0,
  unchanged: 0,
  rejected: 0,
  deleted: 0,
});

/** A source record that was not imported: where it was and why. */
export interface Rejection {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface ReleaseReport {
  readonly rejections: readonly Rejection[];
  /** Rejections beyond those listed (reports keep the first ones only). */
  readonly moreRejections?: number;
  readonly warnings?: readonly { readonly file: string; readonly message: string }[];
}
