/**
 * Recognises a national file by its name, and checks its first line: a file renamed by a user is still
 * recognised by its header, and a file whose header is not the one its name promises is refused (a release
 * never imports a file it does not understand).
 */
import { invalid } from '../error.js';
import { PORTEURS_CPS_CPF, PORTEURS_CPS_CPF_FILE } from './cps/columns.js';
import { FINESS_FILE, FINESS_HEADER } from './finess/columns.js';
import { headerMatches } from './input/pipe-table.js';
import { MSSANTE, MSSANTE_FILE } from './mssante/columns.js';
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, PS_LIBRE_ACCES_TXT, SAVOIR_FAIRE } from './rpps/columns.js';

export type SourceKind =
  'personne-activite' | 'dipl-aut-exerc' | 'savoir-faire' | 'mssante' | 'cps' | 'finess';

/** Distinctive columns of each `|` file, to tell them apart by header. */
const SIGNATURES: Readonly<Record<Exclude<SourceKind, 'finess'>, readonly string[]>> = {
  'personne-activite': [PERSONNE_ACTIVITE.codeModeExercice, PERSONNE_ACTIVITE.structureId],
  'dipl-aut-exerc': [DIPL_AUT_EXERC.codeDiplome, DIPL_AUT_EXERC.codeTypeAutorisation],
  'savoir-faire': [SAVOIR_FAIRE.codeSavoirFaire, SAVOIR_FAIRE.codeProfession],
  mssante: [MSSANTE.adresseBal, MSSANTE.typeBal],
  cps: [PORTEURS_CPS_CPF.numeroCarte, PORTEURS_CPS_CPF.codeTypeCarte],
};

function byName(name: string): SourceKind | undefined {
  const ps = PS_LIBRE_ACCES_TXT.exec(name);
  if (ps) {
    return (
      {
        Personne_activite: 'personne-activite',
        Dipl_AutExerc: 'dipl-aut-exerc',
        SavoirFaire: 'savoir-faire',
      } as const
    )[ps[1] as 'Personne_activite' | 'Dipl_AutExerc' | 'SavoirFaire'];
  }
  if (MSSANTE_FILE.test(name)) {
    return 'mssante';
  }
  if (PORTEURS_CPS_CPF_FILE.test(name)) {
    return 'cps';
  }
  if (FINESS_FILE.test(name)) {
    return 'finess';
  }
  return undefined;
}

function byHeader(firstLine: string): SourceKind | undefined {
  if (FINESS_HEADER.test(firstLine)) {
    return 'finess';
  }
  for (const [kind, columns] of Object.entries(SIGNATURES)) {
    if (headerMatches(firstLine, columns) === columns.length) {
      return kind as SourceKind;
    }
  }
  return undefined;
}

/** The kind of a file, from its name and first line; an unknown or mismatched header is an error. */
export function recognise(name: string, firstLine: string, location: string): SourceKind {
  const named = byName(name);
  const headed = byHeader(firstLine.replace(/^\uFEFF/, ''));
  if (headed === undefined) {
    throw invalid(
      named === undefined
        ? `${name} is not a known national file: neither its name nor its first line is recognised`
        : `${name} is named as a ${named} file but its header is not one: "${firstLine.slice(0, 80)}"`,
      `${location}:1`,
    );
  }
  if (named !== undefined && named !== headed) {
    throw invalid(
      `${name} is named as a ${named} file but its header is a ${headed} header`,
      `${location}:1`,
    );
  }
  return headed;
}
