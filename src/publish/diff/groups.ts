/**
 * Groups of lines: the consecutive lines of a file that share their group column (a person, a mailbox), read
 * with the importer's readers. Each data line is checked for its field count, either while its key is found
 * or, when the caller asks to check later (merge.ts: only the lines that differ from their counterpart need
 * it, and counting the 56 fields of every line of two national files costs more than reading them), with
 * checkFields() and the line numbers each group carries.
 */
import { invalid } from '../../error.js';
import { lineReader } from '../../sources/input/lines.js';
import type { SourceFile } from '../../sources/input/source-file.js';

export interface GroupSink {
  /** The file's column names, before any group. */
  header(names: string[]): void;
  /**
   * A run of consecutive lines with the same key (a key can come back later in a file not grouped by it), and
   * their line numbers in the file.
   */
  group(key: string, lines: string[], numbers: number[]): void;
  /** After each batch of lines (progress; a returned promise is awaited). */
  batch?(bytesRead: number, lines: number): void | Promise<void>;
}

/**
 * Reads `file` into `sink`; `onRestart` when it is read again as Windows-1252 (sources/input/lines.ts). With
 * `checkLater`, a line's field count is checked only as far as its key (the caller checks the rest).
 */
export async function readGroups(
  file: SourceFile,
  groupBy: string,
  sink: GroupSink,
  onRestart: () => void,
  checkLater = false,
): Promise<number> {
  let width = 0;
  let groupAt = -1;
  let lines = 0;
  let key: string | undefined;
  let run: string[] = [];
  let numbers: number[] = [];
  await lineReader(file, () => {
    onRestart();
    lines = 0;
    key = undefined;
    run = [];
    numbers = [];
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
      const k = checkLater
        ? keyField(line.text, width, groupAt, file.location, line.number)
        : groupKey(line.text, width, groupAt, `${file.location}:${line.number}`);
      if (k !== key) {
        if (key !== undefined) {
          sink.group(key, run, numbers);
        }
        key = k;
        run = [];
        numbers = [];
      }
      run.push(line.text);
      numbers.push(line.number);
      lines++;
    }
    await sink.batch?.(bytes, lines);
  });
  if (key !== undefined) {
    sink.group(key, run, numbers);
  }
  return lines;
}

/** The group column's value of a data line, its fields counted only as far as that column. */
function keyField(text: string, width: number, groupAt: number, location: string, number: number): string {
  let start = 0;
  for (let i = 0; i < groupAt; i++) {
    const pos = text.indexOf('|', start);
    if (pos < 0) {
      throw invalid(`expected ${width} fields, found ${i + 1}`, `${location}:${number}`);
    }
    start = pos + 1;
  }
  const end = text.indexOf('|', start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** Checks the field count of lines read with `checkLater` (their numbers as the group gave them). */
export function checkFields(
  lines: readonly string[],
  numbers: readonly number[],
  width: number,
  location: string,
): void {
  for (let i = 0; i < lines.length; i++) {
    fieldCount(lines[i]!, width, () => `${location}:${numbers[i]}`);
  }
}

/** Counts the fields of a line (`width`, or `width + 1` when it ends with the trailing `|`). */
function fieldCount(text: string, width: number, where: () => string): void {
  let separators = 0;
  for (let pos = text.indexOf('|'); pos >= 0; pos = text.indexOf('|', pos + 1)) {
    separators++;
  }
  const fields = separators + 1;
  if (fields !== width && !(fields === width + 1 && text.endsWith('|'))) {
    throw invalid(`expected ${width} fields, found ${fields}`, where());
  }
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
