/**
 * MOS records of a health professional: Professionnel / PersonnePhysique, their ExerciceProfessionnel (profession
 * and its practice situations) and their qualifications. https://esante.gouv.fr/interoperabilite/mos-nos
 */
import type { CodedValue } from './coded-value.js';
import type { Adresse, Telecommunication } from './coordonnees.js';
import type { PersonIdType } from './identifiers.js';
import type { RecordWarning } from './warning.js';
import type { CarteProfessionnel } from './carte.js';
import type { BoiteLettreMSS } from './mssante.js';

export interface PersonnePhysique {
  readonly civilite?: CodedValue; // TRE_R81
  readonly nomUsage?: string;
  readonly prenomUsuel?: string;
}

export interface Professionnel {
  /** idNat_PS: type prefix + identifier (`8` + RPPS, `0` + ADELI). */
  readonly idNatPs: string;
  readonly typeIdentifiant: PersonIdType;
  /** RPPS or ADELI number, leading zeros kept. */
  readonly identifiant: string;
  readonly personne: PersonnePhysique;
  readonly exercices: readonly ExerciceProfessionnel[];
  readonly diplomes: readonly Diplome[];
  readonly autorisations: readonly AutorisationExercice[];
  readonly cartes: readonly CarteProfessionnel[];
  readonly messageries: readonly BoiteLettreMSS[];
  readonly warnings: readonly RecordWarning[];
}

/** A profession practised, with its practice name and the situations where it is practised. */
export interface ExerciceProfessionnel {
  readonly profession: CodedValue; // TRE_G15
  readonly categorie?: CodedValue; // TRE_R09
  readonly civiliteExercice?: CodedValue; // TRE_R11
  readonly nomExercice: string;
  readonly prenomExercice?: string;
  readonly savoirFaire: readonly SavoirFaire[];
  readonly situations: readonly SituationExercice[];
}

/** Specialty, competence, capacity… (TRE_R04 type + value from the table of that type). */
export interface SavoirFaire {
  readonly type: CodedValue; // TRE_R04
  readonly savoirFaire: CodedValue; // TRE_R38, …
}

/** A practice situation: where (structure), how (mode), in which role and activity genre. */
export interface SituationExercice {
  readonly modeExercice?: CodedValue; // TRE_R23
  readonly role?: CodedValue; // TRE_R21 (Fonction)
  readonly genreActivite?: CodedValue; // TRE_R22
  readonly secteurActivite?: CodedValue; // TRE_R02
  readonly sectionTableauPharmaciens?: CodedValue; // TRE_R06
  readonly autoriteEnregistrement?: string;
  /** The structure's technical id (`F`+FINESS, `C`+SIRET, `R`+RPPS rang…), when there is a structure. */
  readonly structureId?: string;
}

export interface Diplome {
  readonly type: CodedValue; // TRE_R14
  readonly diplome: CodedValue; // TRE_R48, …
}

export interface AutorisationExercice {
  readonly type: CodedValue; // TRE_R17
  readonly discipline?: CodedValue; // TRE_R18
}

export type { Adresse, Telecommunication };
