/**
 * A file to import, wherever its bytes are: on disk, or an entry of a zip as the national site publishes them.
 * It can be opened more than once (decoding restarts from the first byte when UTF-8 fails: decode.ts).
 */
import type { Readable } from 'node:stream';

export interface SourceFile {
  /** The file's own name (for a zip entry: the entry's name), used to recognise its kind. */
  readonly name: string;
  /** Where it is, for messages: `PATH` or `ZIP!ENTRY`. */
  readonly location: string;
  /** Size in bytes (uncompressed), for progress. */
  readonly size: number;
  open(): Promise<Readable>;
}
