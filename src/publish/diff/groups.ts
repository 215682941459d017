/**
 * Groups of lines: the consecutive lines of a file that share their group column (a person, a mailbox), read
 * with the importer's readers, each data line checked for its field count while its key is found.
 */
import { invalid } from '../../error.js';
import { lineReader } from '../../sources/input/lines.js';
import type { SourceFile } from '../../sources/input/source-file.js';

export interface GroupSink {
  /** The file's column names, before any group. */
  header(names: string[]): void;
  /** A run of consecutive lines with the same key (a key can come back later in a file not grouped by it). */
  group(key: string, lines: string[]): void;
  /** After each batch of lines (progress; a returned promise is awaited). */
  batch?(bytesRead: number, lines: number): void | Promise<void>;
}

/** Reads `file` into `sink`; `onRestart` when it is read again as Windows-1252 (sources/input/lines.ts). */
export async function readGroups(
  file: SourceFile,
  groupBy: string,
  sink: GroupSink,
  onRestart: () => void,
): Promise<number> {
  let width = 0;
  let groupAt = -1;
  let lines = 0;
  let key: string | undefined;
  let run: string[] = [];
  await lineReader(file, () => {
    onRestart();
    lines = 0;
    key = undefined;
    run = [];
  }).read(async (batch, bytes) => {
    for (const line of batch) {
      if (line.number === 1) {
        const names = headerNames(line.text);
        width = names.length;
        groupAt = names.indexOf(groupBy);
        if (groupAt < 0) {
          throw invalid(`the header lacks the column "${groupBy}"`, `${file.location}:1`);
        }
        sink.header(names);
        continue;
      }
      if (line.text.trim() === '') {
        continue;
      }
      const k = groupKey(line.text, width, groupAt, `${file.location}:${line.number}`);
      if (k !== key) {
        if (key !== undefined) {
          sink.group(key, run);
        }
        key = k;
        run = [];
      }
      run.push(line.text);
      lines++;
    }
    await sink.batch?.(bytes, lines);
  });
  if (key !== undefined) {
    sink.group(key, run);
  }
  return lines;
}

/** A header's column names (trailing `|` or not, BOM or not). */
export function headerNames(line: string): string[] {
  const names = line
    .replace(/^\uFEFF/, '')
    .split('|')
    .map((n) => n.trim());
  if (names.length > 1 && names[names.length - 1] === '') {
    names.pop();
  }
  return names;
}

/**
 * The group column's value of a data line, checking its field count in the same scan (a line has `width`
 * fields, or `width + 1` when it ends with the trailing `|`).
 */
export function groupKey(text: string, width: number, groupAt: number, where: string): string {
  let separators = 0;
  let start = groupAt === 0 ? 0 : -1;
  let end = -1;
  for (let pos = text.indexOf('|'); pos >= 0; pos = text.indexOf('|', pos + 1)) {
    separators++;
    if (separators === groupAt) {
      start = pos + 1;
    } else if (separators === groupAt + 1) {
      end = pos;
    }
  }
  const fields = separators + 1;
  if (fields !== width && !(fields === width + 1 && text.endsWith('|'))) {
    throw invalid(`expected ${width} fields, found ${fields}`, where);
  }
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** The field at `index` of a line already checked. */
export function fieldAt(text: string, index: number): string {
  let start = 0;
  for (let i = 0; i < index; i++) {
    start = text.indexOf('|', start) + 1;
  }
  const end = text.indexOf('|', start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}
