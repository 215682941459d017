/**
 * Reads the files of a release (phase 1 of an import): recognises each file, decodes it, checks every line, and
 * keeps what the next phase needs — person lines in the staging table, FINESS establishments and positions,
 * organisational mailboxes — with the lines it rejected (file, line number, reason). Nothing is written to the
 * store here, so a release refused for its rejections leaves no trace.
 */
import type { Rejection } from '../domain/release.js';
import { invalid } from '../error.js';
import { PORTEURS_CPS_CPF } from './cps/columns.js';
import { CPS_REQUIRED, cpsRow } from './cps/rows.js';
import { FINESS_HEADER } from './finess/columns.js';
import { finessRow, type GeolocalisationRow, type StructureEtRow } from './finess/rows.js';
import type { TextEncoding } from './input/decode.js';
import { lineReader, type Line } from './input/lines.js';
import { readHeader, type PipeTable } from './input/pipe-table.js';
import type { SourceFile } from './input/source-file.js';
import { MSSANTE } from './mssante/columns.js';
import { MSSANTE_REQUIRED, mssanteRow, type MssanteRow } from './mssante/rows.js';
import { recognise, type SourceKind } from './recognise.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from './rpps/columns.js';
import {
  DIPL_AUT_EXERC_REQUIRED,
  diplAutExercKey,
  PERSONNE_ACTIVITE_REQUIRED,
  personneActiviteKey,
  SAVOIR_FAIRE_REQUIRED,
  savoirFaireKey,
  type LineKey,
} from './rpps/rows.js';
import type { Staging } from './staging.js';

/** Detailed rejections kept in a release report; the rest are counted. */
export const REPORTED_REJECTIONS = 1000;

export interface FileSummary {
  readonly name: string;
  readonly location: string;
  readonly kind: SourceKind;
  readonly encoding: TextEncoding;
  /** Data lines read (the header and FINESS's first line not counted). */
  readonly lines: number;
  readonly rejected: number;
}

/** What phase 2 needs to build the release's resources. */
export interface ReadRelease {
  readonly kinds: ReadonlySet<SourceKind>;
  readonly files: readonly FileSummary[];
  /** Layout of each `|` file, by its index in `files` (staged lines name their file by index). */
  readonly tables: ReadonlyMap<number, PipeTable<string>>;
  readonly kindOf: ReadonlyMap<number, SourceKind>;
  /** The header line of each `|` file kind: its layout, part of what a person's lines mean. */
  readonly headers: ReadonlyMap<SourceKind, string>;
  readonly establishments: ReadonlyMap<string, StructureEtRow>;
  readonly positions: ReadonlyMap<string, GeolocalisationRow>;
  /** Mailboxes held by structures (no person), by structure technical id. */
  readonly structureMailboxes: ReadonlyMap<string, readonly MssanteRow[]>;
  readonly read: number;
  readonly rejected: number;
  readonly rejections: readonly Rejection[];
}

export type ProgressCallback = (file: SourceFile, bytesRead: number, lines: number) => void;

/**
 * Checks against the nomenclatures that decide whether a line can be read at all. A profession code no
 * profession table has cannot be interpreted (it keys the situation), so the line is rejected; other unknown
 * codes are kept and reported as warnings.
 */
export interface LineChecks {
  readonly isProfession: (code: string) => boolean;
}

interface FileState {
  lines: number;
  rejected: number;
  lastRejectedLine: number;
  lastLine: number;
}

const PIPE_LAYOUTS = {
  'personne-activite': { columns: PERSONNE_ACTIVITE, required: PERSONNE_ACTIVITE_REQUIRED },
  'dipl-aut-exerc': { columns: DIPL_AUT_EXERC, required: DIPL_AUT_EXERC_REQUIRED },
  'savoir-faire': { columns: SAVOIR_FAIRE, required: SAVOIR_FAIRE_REQUIRED },
  mssante: { columns: MSSANTE, required: MSSANTE_REQUIRED },
  cps: { columns: PORTEURS_CPS_CPF, required: CPS_REQUIRED },
} as const;

export async function readRelease(
  files: readonly SourceFile[],
  staging: Staging,
  checks: LineChecks,
  progress: ProgressCallback = () => undefined,
): Promise<ReadRelease> {
  const summaries: FileSummary[] = [];
  const tables = new Map<number, PipeTable<string>>();
  const kindOf = new Map<number, SourceKind>();
  const headers = new Map<SourceKind, string>();
  const establishments = new Map<string, StructureEtRow>();
  const positions = new Map<string, GeolocalisationRow>();
  const structureMailboxes = new Map<string, MssanteRow[]>();
  let rejections: Rejection[] = [];
  let totalRejected = 0;
  let totalRead = 0;

  for (const [src, file] of files.entries()) {
    const state: FileState = { lines: 0, rejected: 0, lastRejectedLine: 0, lastLine: 0 };
    let kind: SourceKind | undefined;
    let table: PipeTable<string> | undefined;
    let fileMailboxes: MssanteRow[] = [];
    const reject = (line: number, reason: string): void => {
      state.rejected++;
      state.lastRejectedLine = line;
      totalRejected++;
      if (rejections.length < REPORTED_REJECTIONS) {
        rejections.push({ file: file.location, line, reason });
      }
    };
    const onLine = (line: Line): void => {
      state.lastLine = line.number;
      if (line.number === 1) {
        kind = recognise(file.name, line.text, file.location);
        kindOf.set(src, kind);
        if (kind === 'finess') {
          if (!FINESS_HEADER.test(line.text)) {
            throw invalid(`${file.name}: the first line is not a FINESS etalab header`, `${file.location}:1`);
          }
        } else {
          const layout = PIPE_LAYOUTS[kind];
          table = readHeader(line.text, layout.columns, layout.required as readonly string[], file.location);
          tables.set(src, table);
          headers.set(kind, line.text);
        }
        return;
      }
      if (line.text === '') {
        return;
      }
      state.lines++;
      switch (kind!) {
        case 'finess': {
          const row = finessRow(line.text);
          if (typeof row === 'string') {
            reject(line.number, row);
          } else if (row.kind === 'structureet') {
            establishments.set(row.nofinesset, row);
          } else {
            positions.set(row.nofinesset, row);
          }
          return;
        }
        case 'personne-activite':
        case 'dipl-aut-exerc':
        case 'savoir-faire':
        case 'cps': {
          // Checked only: the line is parsed again when its person is built.
          const check: (t: never, text: string) => LineKey | string = {
            'personne-activite': personneActiviteKey,
            'dipl-aut-exerc': diplAutExercKey,
            'savoir-faire': savoirFaireKey,
            cps: cpsRow,
          }[kind];
          const key = check(table as never, line.text);
          if (typeof key === 'string') {
            reject(line.number, key);
          } else if (key.profession !== undefined && !checks.isProfession(key.profession)) {
            reject(
              line.number,
              `profession code "${key.profession}" is not in TRE_G15, TRE_R95, TRE_R94 or TRE_R291`,
            );
          } else {
            staging.add(key.idNatPs, src, line.number, line.text);
          }
          return;
        }
        case 'mssante': {
          const row = mssanteRow(table as never, line.text);
          if (typeof row === 'string') {
            reject(line.number, row);
          } else if (row.idNatPs !== '') {
            staging.add(row.idNatPs, src, line.number, line.text);
          } else {
            fileMailboxes.push(row);
          }
          return;
        }
      }
    };

    const reader = lineReader(file, () => {
      // Read again as Windows-1252: forget what the UTF-8 pass did with this file.
      staging.dropFile(src);
      totalRejected -= state.rejected;
      rejections = rejections.filter((r) => r.file !== file.location);
      Object.assign(state, { lines: 0, rejected: 0, lastRejectedLine: 0, lastLine: 0 });
      fileMailboxes = [];
    });
    const result = await reader.read(async (lines, bytes) => {
      for (const line of lines) {
        onLine(line);
      }
      progress(file, bytes, state.lines);
      // The staging writer's thread inserts the lines: wait when it is too far behind.
      await staging.drain();
    });
    if (kind === undefined) {
      throw invalid(`${file.name} is empty`, file.location);
    }
    // A cut download: no end-of-line after the last line, and that line unreadable.
    if (!result.endsWithNewline && state.lastRejectedLine === state.lastLine && state.lastLine > 1) {
      throw invalid(
        `${file.name} is truncated: its last line (${state.lastLine}) is incomplete`,
        `${file.location}:${state.lastLine}`,
      );
    }
    totalRead += state.lines;
    for (const row of fileMailboxes) {
      const list = structureMailboxes.get(row.structureId) ?? [];
      list.push(row);
      structureMailboxes.set(row.structureId, list);
    }
    summaries.push({
      name: file.name,
      location: file.location,
      kind,
      encoding: result.encoding,
      lines: state.lines,
      rejected: state.rejected,
    });
  }
  return {
    kinds: new Set(summaries.map((s) => s.kind)),
    files: summaries,
    tables,
    kindOf,
    headers,
    establishments,
    positions,
    structureMailboxes,
    read: totalRead,
    rejected: totalRejected,
    rejections,
  };
}
