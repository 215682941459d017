/** MOS Adresse, Telecommunication and a geographic position. */
import type { CodedValue } from './coded-value.js';

export interface Adresse {
  readonly complementDestinataire?: string;
  readonly complementPointGeographique?: string;
  readonly numeroVoie?: string;
  readonly indiceRepetitionVoie?: string;
  readonly typeVoie?: CodedValue;
  readonly libelleVoie?: string;
  readonly lieuDitMention?: string;
  readonly bureauCedex?: string;
  /** Ligne d'acheminement, e.g. `01440 VIRIAT`. */
  readonly ligneAcheminement?: string;
  readonly codePostal?: string;
  /** INSEE commune code (COG), 5 characters, 2A/2B in Corsica. */
  readonly codeCommune?: string;
  readonly libelleCommune?: string;
  readonly codeDepartement?: string;
  readonly codePays?: string;
  readonly libellePays?: string;
}

export interface Telecommunication {
  readonly telephone?: string;
  readonly telephone2?: string;
  readonly telecopie?: string;
  readonly email?: string;
}

/** WGS84 position, degrees. */
export interface Position {
  readonly latitude: number;
  readonly longitude: number;
}
