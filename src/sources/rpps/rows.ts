/**
 * The lines of the PS_LibreAcces files as typed rows. A line that cannot be read (field count, identifiers that
 * do not agree, no profession) gives the reason instead, and is rejected by the importer.
 */
import type { CodedValue } from '../../domain/coded-value.js';
import { coded } from '../coded.js';
import { field, splitFields, type PipeTable } from '../input/pipe-table.js';
import type { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from './columns.js';

export type PersonneActiviteKey = keyof typeof PERSONNE_ACTIVITE;
export type DiplAutExercKey = keyof typeof DIPL_AUT_EXERC;
export type SavoirFaireKey = keyof typeof SAVOIR_FAIRE;

/** The columns every Personne_activite layout has (the legacy one lacks role and genre). */
export const PERSONNE_ACTIVITE_REQUIRED: readonly PersonneActiviteKey[] = [
  'typeIdentifiant',
  'identifiant',
  'idNatPs',
  'nomExercice',
  'prenomExercice',
  'codeProfession',
  'structureId',
];
export const DIPL_AUT_EXERC_REQUIRED: readonly DiplAutExercKey[] = [
  'typeIdentifiant',
  'identifiant',
  'idNatPs',
  'codeTypeDiplome',
  'codeDiplome',
  'codeTypeAutorisation',
];
export const SAVOIR_FAIRE_REQUIRED: readonly SavoirFaireKey[] = [
  'typeIdentifiant',
  'identifiant',
  'idNatPs',
  'codeProfession',
  'codeTypeSavoirFaire',
  'codeSavoirFaire',
];

/** The person columns all three files share. */
export interface PersonColumns {
  readonly typeIdentifiant: string;
  readonly identifiant: string;
  readonly idNatPs: string;
  readonly nomExercice: string;
  readonly prenomExercice: string;
}

/** TRE_R04 savoir-faire type → the NOS table of its values (JDV_J107 is their union). */
export const SAVOIR_FAIRE_TABLES: Readonly<Record<string, string>> = {
  S: 'TRE_R38-SpecialiteOrdinale',
  C: 'TRE_R39-CompetenceOrdinale',
  CEX: 'TRE_R40-CompetenceExclusive',
  CAPA: 'TRE_R42-CapaciteSavoirFaire',
  DESC: 'TRE_R43-DescNonQualifiant',
  PAC: 'TRE_R44-QualificationPAC',
  ORIE: 'TRE_R45-OrientationParticuliere',
  FQ: 'TRE_R97-FonctionQualifiee',
  SP: 'TRE_R38-SpecialiteOrdinale',
};

export interface SavoirFaireValue {
  readonly type: CodedValue; // TRE_R04
  readonly value: CodedValue;
}

export interface PersonneActiviteRow extends PersonColumns {
  readonly civiliteExercice?: CodedValue;
  readonly civilite?: CodedValue;
  readonly profession: CodedValue;
  readonly categorie?: CodedValue;
  readonly savoirFaire?: SavoirFaireValue;
  readonly modeExercice?: CodedValue;
  readonly role?: CodedValue;
  readonly genreActivite?: CodedValue;
  readonly secteurActivite?: CodedValue;
  readonly sectionPharmacien?: CodedValue;
  readonly autoriteEnregistrement: string;
  /** Structure columns; `structureId` '' for a person without practice situation. */
  readonly structureId: string;
  readonly siret: string;
  readonly siren: string;
  readonly finessSite: string;
  readonly finessJuridique: string;
  readonly raisonSociale: string;
  readonly enseigne: string;
  readonly complementDestinataire: string;
  readonly complementPointGeographique: string;
  readonly numeroVoie: string;
  readonly indiceRepetitionVoie: string;
  readonly typeVoie?: CodedValue;
  readonly libelleVoie: string;
  readonly mentionDistribution: string;
  readonly bureauCedex: string;
  readonly codePostal: string;
  readonly codeCommune: string;
  readonly libelleCommune: string;
  readonly codePays: string;
  readonly libellePays: string;
  readonly telephone: string;
  readonly telephone2: string;
  readonly telecopie: string;
  readonly email: string;
  readonly codeDepartement: string;
}

export interface DiplAutExercRow extends PersonColumns {
  readonly typeDiplome?: CodedValue;
  readonly diplome?: CodedValue;
  readonly typeAutorisation?: CodedValue;
  readonly disciplineAutorisation?: CodedValue;
}

export interface SavoirFaireRow extends PersonColumns {
  readonly profession: CodedValue;
  readonly categorie?: CodedValue;
  readonly savoirFaire: SavoirFaireValue;
}

function person<K extends string>(
  t: PipeTable<K | keyof PersonColumns>,
  f: readonly string[],
): PersonColumns | string {
  const typeIdentifiant = field(t, f, 'typeIdentifiant');
  const identifiant = field(t, f, 'identifiant');
  const idNatPs = field(t, f, 'idNatPs');
  if (identifiant === '' || idNatPs === '') {
    return 'no person identifier';
  }
  if (!/^\d$/.test(typeIdentifiant)) {
    return `identifier type "${typeIdentifiant}" is not a TRE_G08 code`;
  }
  if (idNatPs !== typeIdentifiant + identifiant) {
    return `national id "${idNatPs}" is not the identifier type "${typeIdentifiant}" followed by the identifier "${identifiant}"`;
  }
  return {
    typeIdentifiant,
    identifiant,
    idNatPs,
    nomExercice: field(t, f, 'nomExercice'),
    prenomExercice: field(t, f, 'prenomExercice'),
  };
}

/** A line's fields, checked for its person columns, with an accessor by column key. */
function personLine<K extends string>(
  t: PipeTable<K | keyof PersonColumns>,
  text: string,
): { readonly person: PersonColumns; readonly v: (k: K) => string } | string {
  const f = splitFields(t, text);
  if (typeof f === 'string') {
    return f;
  }
  const p = person(t, f);
  return typeof p === 'string' ? p : { person: p, v: (k) => field(t, f, k) };
}

function savoirFaire(
  type: string,
  typeLabel: string,
  code: string,
  label: string,
): SavoirFaireValue | undefined {
  const t = coded('TRE_R04-TypeSavoirFaire', type, typeLabel);
  const table = SAVOIR_FAIRE_TABLES[type] ?? 'JDV_J107-EnsembleSavoirFaire-RASS';
  const value = coded(table, code, label);
  return t && value ? { type: t, value } : undefined;
}

export function personneActiviteRow(
  t: PipeTable<PersonneActiviteKey>,
  text: string,
): PersonneActiviteRow | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const { person: p, v } = line;
  const profession = coded('TRE_G15-ProfessionSante', v('codeProfession'), v('libelleProfession'));
  if (!profession) {
    return 'no profession code';
  }
  const structureId = v('structureId');
  if (structureId !== '' && !/^[A-Za-z0-9\-.]{1,64}$/.test(structureId)) {
    return `structure id "${structureId}" has characters outside [A-Za-z0-9-.]`;
  }
  // Written out, not spread: V8 builds a spread-then-extended literal of this size through a slow path
  // (measured 100 µs a line against 5).
  return {
    typeIdentifiant: p.typeIdentifiant,
    identifiant: p.identifiant,
    idNatPs: p.idNatPs,
    nomExercice: p.nomExercice,
    prenomExercice: p.prenomExercice,
    civiliteExercice: coded(
      'TRE_R11-CiviliteExercice',
      v('codeCiviliteExercice'),
      v('libelleCiviliteExercice'),
    ),
    civilite: coded('TRE_R81-Civilite', v('codeCivilite'), v('libelleCivilite')),
    profession,
    categorie: coded('TRE_R09-CategorieProfessionnelle', v('codeCategorie'), v('libelleCategorie')),
    savoirFaire: savoirFaire(
      v('codeTypeSavoirFaire'),
      v('libelleTypeSavoirFaire'),
      v('codeSavoirFaire'),
      v('libelleSavoirFaire'),
    ),
    modeExercice: coded('TRE_R23-ModeExercice', v('codeModeExercice'), v('libelleModeExercice')),
    role: coded('TRE_R21-Fonction', v('codeRole'), v('libelleRole')),
    genreActivite: coded('TRE_R22-GenreActivite', v('codeGenreActivite'), v('libelleGenreActivite')),
    secteurActivite: coded('TRE_R02-SecteurActivite', v('codeSecteurActivite'), v('libelleSecteurActivite')),
    sectionPharmacien: coded(
      'TRE_R06-SectionTableauCNOP',
      v('codeSectionPharmacien'),
      v('libelleSectionPharmacien'),
    ),
    autoriteEnregistrement: v('autoriteEnregistrement'),
    structureId,
    siret: v('siret'),
    siren: v('siren'),
    finessSite: v('finessSite'),
    finessJuridique: v('finessJuridique'),
    raisonSociale: v('raisonSociale'),
    enseigne: v('enseigne'),
    complementDestinataire: v('complementDestinataire'),
    complementPointGeographique: v('complementPointGeographique'),
    numeroVoie: v('numeroVoie'),
    indiceRepetitionVoie: v('indiceRepetitionVoie'),
    typeVoie: coded('TRE_R35-TypeVoie', v('codeTypeVoie'), v('libelleTypeVoie')),
    libelleVoie: v('libelleVoie'),
    mentionDistribution: v('mentionDistribution'),
    bureauCedex: v('bureauCedex'),
    codePostal: v('codePostal'),
    codeCommune: v('codeCommune'),
    libelleCommune: v('libelleCommune'),
    codePays: v('codePays'),
    libellePays: v('libellePays'),
    telephone: v('telephone'),
    telephone2: v('telephone2'),
    telecopie: v('telecopie'),
    email: v('email'),
    codeDepartement: v('codeDepartement'),
  };
}

export function diplAutExercRow(t: PipeTable<DiplAutExercKey>, text: string): DiplAutExercRow | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const { person: p, v } = line;
  const row: DiplAutExercRow = {
    typeIdentifiant: p.typeIdentifiant,
    identifiant: p.identifiant,
    idNatPs: p.idNatPs,
    nomExercice: p.nomExercice,
    prenomExercice: p.prenomExercice,
    typeDiplome: coded('TRE_R14-TypeDiplome', v('codeTypeDiplome'), v('libelleTypeDiplome')),
    diplome: coded('TRE_R48-DiplomeEtatFrancais', v('codeDiplome'), v('libelleDiplome')),
    typeAutorisation: coded(
      'TRE_R17-TypeAutorisation',
      v('codeTypeAutorisation'),
      v('libelleTypeAutorisation'),
    ),
    disciplineAutorisation: coded(
      'TRE_R18-DisciplineAutorisation',
      v('codeDisciplineAutorisation'),
      v('libelleDisciplineAutorisation'),
    ),
  };
  // Some lines name only the kind of diploma (`AU` Autre type de diplôme) without a diploma code.
  if (!row.diplome && !row.typeDiplome && !row.typeAutorisation) {
    return 'neither a diploma nor an authorisation';
  }
  return row;
}

export function savoirFaireRow(t: PipeTable<SavoirFaireKey>, text: string): SavoirFaireRow | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const { person: p, v } = line;
  const profession = coded('TRE_G15-ProfessionSante', v('codeProfession'), v('libelleProfession'));
  const sf = savoirFaire(
    v('codeTypeSavoirFaire'),
    v('libelleTypeSavoirFaire'),
    v('codeSavoirFaire'),
    v('libelleSavoirFaire'),
  );
  if (!profession) {
    return 'no profession code';
  }
  if (!sf) {
    return 'no savoir-faire type and code';
  }
  return {
    typeIdentifiant: p.typeIdentifiant,
    identifiant: p.identifiant,
    idNatPs: p.idNatPs,
    nomExercice: p.nomExercice,
    prenomExercice: p.prenomExercice,
    profession,
    categorie: coded('TRE_R09-CategorieProfessionnelle', v('codeCategorie'), v('libelleCategorie')),
    savoirFaire: sf,
  };
}

/** What the reader of a release needs of a line it stages: its person, and its profession code if it has one. */
export interface LineKey {
  readonly idNatPs: string;
  readonly profession?: string;
}

/**
 * The checks of personneActiviteRow, diplAutExercRow and savoirFaireRow without building the row: the same
 * reason for a line they refuse, the person and profession of a line they read (rows.test.ts holds them to
 * it). Every line is checked when a release is read, and parsed again only when its person is rebuilt.
 */
export function personneActiviteKey(t: PipeTable<PersonneActiviteKey>, text: string): LineKey | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const profession = line.v('codeProfession');
  if (profession === '') {
    return 'no profession code';
  }
  const structureId = line.v('structureId');
  if (structureId !== '' && !/^[A-Za-z0-9\-.]{1,64}$/.test(structureId)) {
    return `structure id "${structureId}" has characters outside [A-Za-z0-9-.]`;
  }
  return { idNatPs: line.person.idNatPs, profession };
}

export function diplAutExercKey(t: PipeTable<DiplAutExercKey>, text: string): LineKey | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const { v } = line;
  if (v('codeDiplome') === '' && v('codeTypeDiplome') === '' && v('codeTypeAutorisation') === '') {
    return 'neither a diploma nor an authorisation';
  }
  return { idNatPs: line.person.idNatPs };
}

export function savoirFaireKey(t: PipeTable<SavoirFaireKey>, text: string): LineKey | string {
  const line = personLine(t, text);
  if (typeof line === 'string') {
    return line;
  }
  const { v } = line;
  const profession = v('codeProfession');
  if (profession === '') {
    return 'no profession code';
  }
  if (v('codeTypeSavoirFaire') === '' || v('codeSavoirFaire') === '') {
    return 'no savoir-faire type and code';
  }
  return { idNatPs: line.person.idNatPs, profession };
}
