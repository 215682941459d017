/**
 * Reads a source file as numbered text lines (LF or CRLF), in the file's encoding (decode.ts), with the bytes
 * read so far for progress. If UTF-8 fails part-way, the file is read again from the start as Windows-1252 and
 * `onRestart` is told, so a caller that consumed lines can drop what it did with them.
 */
import { decoder, NotUtf8, type TextEncoding } from './decode.js';
import type { SourceFile } from './source-file.js';

export interface Line {
  /** 1-based, as an editor shows it. */
  readonly number: number;
  readonly text: string;
}

export interface ReadResult {
  readonly encoding: TextEncoding;
  /** False when the last line has no end-of-line: with the other signs of a cut file, a truncated download. */
  readonly endsWithNewline: boolean;
}

export interface LineReader {
  /** Calls `each` with batches of lines, in order. */
  read(each: (lines: readonly Line[], bytesRead: number) => void | Promise<void>): Promise<ReadResult>;
}

export function lineReader(
  file: SourceFile,
  onRestart: () => void | Promise<void> = () => undefined,
): LineReader {
  return {
    async read(each) {
      try {
        return { encoding: 'utf-8', endsWithNewline: await pass(file, 'utf-8', each) };
      } catch (e) {
        if (!(e instanceof NotUtf8)) {
          throw e;
        }
      }
      await onRestart();
      return { encoding: 'windows-1252', endsWithNewline: await pass(file, 'windows-1252', each) };
    },
  };
}

/** One pass over the file; returns whether it ended with a newline. */
async function pass(
  file: SourceFile,
  encoding: TextEncoding,
  each: (lines: readonly Line[], bytesRead: number) => void | Promise<void>,
): Promise<boolean> {
  const decode = decoder(encoding);
  const stream = await file.open();
  let rest = '';
  let number = 0;
  let bytes = 0;
  const emit = async (text: string, final: boolean): Promise<void> => {
    const parts = (rest + text).split('\n');
    // The part after the last newline is an incomplete line, kept for the next chunk; at the end of the file
    // it is the last line, unless the file ended with a newline.
    rest = parts.pop()!;
    if (final && rest !== '') {
      parts.push(rest);
    }
    const lines: Line[] = new Array<Line>(parts.length);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      lines[i] = { number: ++number, text: part.endsWith('\r') ? part.slice(0, -1) : part };
    }
    if (lines.length > 0) {
      await each(lines, bytes);
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      await emit(decode(chunk), false);
    }
    const last = rest + decode(undefined);
    rest = '';
    const endsWithNewline = last === '';
    await emit(last, true);
    return endsWithNewline;
  } finally {
    stream.destroy();
  }
}
