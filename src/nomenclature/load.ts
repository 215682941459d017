/**
 * Reads the vendored NOS tables (data/nos/: one `code;display;dateFin` CSV per table, and tables.json for their
 * canonical URLs). The CSVs are split on `;` without quote handling on purpose: displays contain raw double
 * quotes (TRE_R210 code 1437) and never a `;` (data/nos/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnuaireError } from '../error.js';
import { NosTable, type NosConcept, type NosTableInfo } from './nos-table.js';
import { Nomenclatures } from './nomenclatures.js';

interface TableFile extends NosTableInfo {
  readonly file: string;
}

export function loadNomenclatures(dir: string): Nomenclatures {
  const index = JSON.parse(readFileSync(join(dir, 'tables.json'), 'utf8')) as TableFile[];
  return new Nomenclatures(
    index.map(
      ({ file, ...info }) => new NosTable(info, parseNosCsv(readFileSync(join(dir, file), 'utf8'), file)),
    ),
  );
}

export function parseNosCsv(text: string, file: string): NosConcept[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== 'code;display;dateFin') {
    throw new AnnuaireError(
      500,
      'structure',
      `${file}:1: expected header "code;display;dateFin"`,
      `${file}:1`,
    );
  }
  const concepts: NosConcept[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      continue;
    }
    const [code, display, dateFin, ...rest] = line.split(';');
    if (!code || display === undefined || dateFin === undefined || rest.length > 0) {
      throw new AnnuaireError(500, 'structure', `${file}:${i + 1}: expected 3 fields`, `${file}:${i + 1}`);
    }
    concepts.push(dateFin ? { code, display, dateFin } : { code, display });
  }
  return concepts;
}
