/**
 * MOS structures: EntiteJuridique (legal entity, FINESS EJ or SIREN) and EntiteGeographique (site: FINESS ET,
 * SIRET, or an RPPS/ADELI rang for a private practice).
 */
import type { CodedValue } from './coded-value.js';
import type { Adresse, Position, Telecommunication } from './coordonnees.js';
import type { RecordWarning } from './warning.js';
import type { BoiteLettreMSS } from './mssante.js';

export interface EntiteJuridique {
  readonly kind: 'EntiteJuridique';
  /** Technical id (`F`+FINESS EJ, `S`+SIREN…). */
  readonly structureId: string;
  readonly idNatStruct: string;
  readonly finess?: string;
  readonly siren?: string;
  readonly raisonSociale: string;
  readonly statutJuridique?: CodedValue; // TRE_R72
  readonly adresse?: Adresse;
  readonly telecom?: Telecommunication;
  readonly warnings: readonly RecordWarning[];
}

export interface EntiteGeographique {
  readonly kind: 'EntiteGeographique';
  /** Technical id: `F`+FINESS ET, `C`+SIRET, `R`+RPPS rang, `A`+ADELI rang (as `Identifiant technique de la structure`). */
  readonly structureId: string;
  readonly idNatStruct: string;
  readonly finess?: string;
  readonly siret?: string;
  readonly siren?: string;
  readonly raisonSociale: string;
  readonly enseigneCommerciale?: string;
  readonly categorie?: CodedValue; // TRE_R66
  readonly secteurActivite?: CodedValue; // TRE_R02
  /** The legal entity it belongs to (its structureId), when known. */
  readonly entiteJuridiqueId?: string;
  readonly adresse?: Adresse;
  readonly position?: Position;
  readonly telecom?: Telecommunication;
  readonly dateOuverture?: string;
  readonly messageries: readonly BoiteLettreMSS[];
  readonly warnings: readonly RecordWarning[];
}

export type Structure = EntiteJuridique | EntiteGeographique;
