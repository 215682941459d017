/**
 * A practice site's columns of a Personne_activite line, from its Organization: the inverse of
 * reconcile/organization.ts siteOrganization. Every line that names the site carries them, as in the national
 * file, so the importer builds the same Organization from whichever line it meets first.
 *
 * What the resource does not keep is left empty: the country code (only its label is kept), the département,
 * the cedex office, the former structure id. The address lines are kept as lines, not as their parts: the
 * street line goes whole into `Libellé Voie` (the importer joins number, index, type and name with spaces, so
 * it reads back the same).
 */
import type { PERSONNE_ACTIVITE } from '../../sources/rpps/columns.js';
import type { Resource } from '../../store/store.js';
import { SYSTEM } from '../../reconcile/vocabulary.js';
import { columnsOf, type CodeReader } from './codes.js';
import { arrayOf, referenceId, text, type Json } from './json.js';

export type PersonneActiviteColumns = Partial<Record<keyof typeof PERSONNE_ACTIVITE, string>>;

/** The value of the first identifier with this fr-core type code. */
function identifierValue(org: Resource, type: string): string {
  for (const i of arrayOf(org['identifier'])) {
    const coding = arrayOf((i['type'] as Json | undefined)?.['coding'])[0];
    if (coding?.['code'] === type && coding['system'] === SYSTEM.identifierType) {
      return typeof i['value'] === 'string' ? i['value'] : '';
    }
  }
  return '';
}

/**
 * The four address columns the importer reads as lines, in its order; empty ones are dropped. Lines are put
 * back in order: the street is the last line starting with a house number when that fits, else the last line.
 */
function addressLines(lines: readonly string[]): PersonneActiviteColumns {
  if (lines.length >= 4) {
    return {
      complementDestinataire: lines[0]!,
      complementPointGeographique: lines[1]!,
      libelleVoie: lines[2]!,
      mentionDistribution: lines.slice(3).join(' '),
    };
  }
  const fits = (s: number): boolean => s >= 0 && s <= 2 && lines.length - 1 - s <= 1;
  const numbered = lines.findLastIndex((l) => /^\d+\s/.test(l));
  const street = fits(numbered) ? numbered : Math.max(0, lines.length - 1);
  const before = lines.slice(0, street);
  return {
    complementDestinataire: before[0] ?? '',
    complementPointGeographique: before[1] ?? '',
    libelleVoie: lines[street] ?? '',
    mentionDistribution: lines[street + 1] ?? '',
  };
}

export function siteColumns(org: Resource, codes: CodeReader): PersonneActiviteColumns {
  const address = arrayOf(org['address'])[0];
  const extensions = arrayOf(address?.['extension']);
  const insee = extensions.find((e) => text(e['url']).endsWith('fr-core-address-insee-code'));
  const lines = arrayOf(address?.['line']).map(text);
  const telecom = arrayOf(org['telecom']).filter((t) => t['extension'] === undefined);
  const phones = telecom.filter((t) => t['system'] === 'phone').map((t) => text(t['value']));
  const value = (system: string): string => text(telecom.find((t) => t['system'] === system)?.['value']);
  let secteur;
  for (const t of arrayOf(org['type'])) {
    secteur ??= codes.find(t, 'TRE_R02-SecteurActivite');
  }
  const partOf = referenceId(org['partOf'], 'Organization');
  const name = typeof org['name'] === 'string' ? org['name'] : '';
  const sector = columnsOf(secteur);
  return {
    structureId: org.id,
    finessSite: identifierValue(org, 'FINEG'),
    siret: identifierValue(org, 'SIRET'),
    siren: identifierValue(org, 'SIREN'),
    // `partOf` names the legal entity by its technical id, `F` + FINESS (reconcile/organization.ts).
    finessJuridique: partOf.startsWith('F') ? partOf.slice(1) : '',
    raisonSociale: name,
    enseigne: arrayOf(org['alias']).map(text)[0] ?? '',
    ...addressLines(lines),
    codePostal: text(address?.['postalCode']),
    codeCommune: text((insee?.['valueCoding'] as Json | undefined)?.['code']),
    libelleCommune: text(address?.['city']),
    libellePays: text(address?.['country']),
    telephone: phones[0] ?? '',
    telephone2: phones[1] ?? '',
    telecopie: value('fax'),
    email: value('email'),
    codeSecteurActivite: sector.code,
    libelleSecteurActivite: sector.label,
  };
}
