/**
 * Organization resources (as-dp-organization): a FINESS establishment (EntiteGeographique) with its position,
 * its legal entity (EntiteJuridique, `partOf`), and the practice sites the RPPS activity file names (SIRET sites,
 * private practices). Ids are the structures' technical ids (`F`+FINESS, `C`+SIRET, `R`+RPPS rang…), as the
 * activity file writes them, so a role's `organization` reference and the FINESS file meet.
 */
import { checkFiness, checkSiret } from '../domain/identifiers.js';
import { organizationId } from '../domain/resource-ids.js';
import type { Position } from '../domain/coordonnees.js';
import type { StructureEtRow } from '../sources/finess/rows.js';
import type { MssanteRow } from '../sources/mssante/rows.js';
import type { PersonneActiviteRow } from '../sources/rpps/rows.js';
import type { Resource } from '../store/store.js';
import type { Coder } from './coder.js';
import { dataTrace } from './data-trace.js';
import { nonEmpty } from './non-empty.js';
import { fhirAddress, phoneTelecom, splitAcheminement, streetLine } from './fhir-address.js';
import { byAddress, mailboxTelecom } from './mailbox.js';
import { EXTENSION, identifier, META_SOURCE, PROFILE, SYSTEM } from './vocabulary.js';

/** The technical id of a FINESS structure, as the activity file writes it. */
export const finessStructureId = (finess: string): string => `F${finess}`;

const organizationType = (
  coder: Coder,
  kind: string,
  coding: Record<string, unknown>,
): Record<string, unknown> => ({
  extension: [{ url: EXTENSION.organizationTypes, valueCode: kind }],
  coding: [coding],
});

const entityType = (code: 'LEGAL-ENTITY' | 'GEOGRAPHICAL-ENTITY'): Record<string, unknown> => ({
  extension: [{ url: EXTENSION.organizationTypes, valueCode: 'organizationType' }],
  coding: [{ system: SYSTEM.organizationType, code }],
});

function meta(coder: Coder, system: 'RPPS' | 'FINESS'): Record<string, unknown> {
  return { source: META_SOURCE, profile: PROFILE.organization, extension: [dataTrace(coder, system)] };
}

/** `partOf` the legal entity with this FINESS number, when there is one. */
const partOf = (finessEj: string): { partOf?: { reference: string } } =>
  finessEj ? { partOf: { reference: `Organization/${organizationId(finessStructureId(finessEj))}` } } : {};

/** Structures' mailboxes, and the warnings their identifiers raise, are collected by the caller. */
export interface OrganizationContext {
  readonly coder: Coder;
  readonly mailboxes: ReadonlyMap<string, readonly MssanteRow[]>;
  readonly warn: (message: string) => void;
}

function mailboxes(ctx: OrganizationContext, id: string): Record<string, unknown>[] {
  return [...(ctx.mailboxes.get(id) ?? [])].sort(byAddress).map((m) => mailboxTelecom(m, ctx.coder));
}

/** A FINESS establishment (structureet), with its position when the file gives one. */
export function establishmentOrganization(
  row: StructureEtRow,
  position: Position | undefined,
  ctx: OrganizationContext,
): Resource {
  const id = organizationId(finessStructureId(row.nofinesset));
  for (const w of [checkFiness(row.nofinesset), row.siret ? checkSiret(row.siret) : undefined]) {
    if (w) {
      ctx.warn(`Organization/${id}: ${w.message}`);
    }
  }
  const { postalCode, city } = splitAcheminement(row.ligneacheminement);
  const address = fhirAddress({
    lines: [
      row.complrs,
      streetLine(row.numvoie, row.compvoie, row.typvoie, row.voie),
      row.lieuditbp,
      row.compldistrib,
    ],
    ...(city ? { city } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(row.codeCommune ? { inseeCode: row.codeCommune } : {}),
    ...(position ? { position } : {}),
  });
  const types = [entityType('GEOGRAPHICAL-ENTITY')];
  if (row.categorie) {
    types.push(organizationType(ctx.coder, 'typeEtablissement', { ...ctx.coder.coding(row.categorie) }));
  }
  const name = row.rslongue || row.rs;
  return {
    resourceType: 'Organization',
    id,
    meta: meta(ctx.coder, 'FINESS'),
    language: 'fr',
    ...(row.dateouv
      ? { extension: [{ url: EXTENSION.organizationPeriod, valuePeriod: { start: row.dateouv } }] }
      : {}),
    identifier: [
      identifier('IDNST', SYSTEM.idNatSt, `1${row.nofinesset}`),
      identifier('FINEG', SYSTEM.finess, row.nofinesset),
      ...(row.siret ? [identifier('SIRET', SYSTEM.sirene, row.siret)] : []),
    ],
    active: true,
    type: types,
    name,
    ...(row.rs && row.rs !== name ? { alias: [row.rs] } : {}),
    ...nonEmpty('telecom', [
      ...phoneTelecom('phone', row.telephone),
      ...phoneTelecom('fax', row.telecopie),
      ...mailboxes(ctx, id),
    ]),
    ...(address ? { address: [address] } : {}),
    ...partOf(row.nofinessej),
  };
}

/** A legal entity known by its FINESS number only (the etalab establishment file names it, no more). */
export function legalEntityOrganization(finessEj: string, ctx: OrganizationContext): Resource {
  const id = organizationId(finessStructureId(finessEj));
  return {
    resourceType: 'Organization',
    id,
    meta: meta(ctx.coder, 'FINESS'),
    language: 'fr',
    identifier: [
      identifier('IDNST', SYSTEM.idNatSt, `1${finessEj}`),
      identifier('FINEJ', SYSTEM.finess, finessEj),
    ],
    active: true,
    type: [entityType('LEGAL-ENTITY')],
    ...nonEmpty('telecom', mailboxes(ctx, id)),
  };
}

/** A practice site as the activity file describes it (its columns repeat on every line naming it). */
export function siteOrganization(row: PersonneActiviteRow, ctx: OrganizationContext): Resource {
  const id = organizationId(row.structureId);
  const identifiers: Record<string, unknown>[] = [];
  if (row.finessSite) {
    identifiers.push(
      identifier('IDNST', SYSTEM.idNatSt, `1${row.finessSite}`),
      identifier('FINEG', SYSTEM.finess, row.finessSite),
    );
  } else if (row.siret) {
    identifiers.push(identifier('IDNST', SYSTEM.idNatSt, `3${row.siret}`));
  } else {
    identifiers.push(identifier('INTRN', SYSTEM.rppsRang, row.structureId));
  }
  if (row.siret) {
    identifiers.push(identifier('SIRET', SYSTEM.sirene, row.siret));
  }
  if (row.siren) {
    identifiers.push(identifier('SIREN', SYSTEM.sirene, row.siren));
  }
  const street = streetLine(
    row.numeroVoie,
    row.indiceRepetitionVoie,
    row.typeVoie?.sourceDisplay ?? row.typeVoie?.code ?? '',
    row.libelleVoie,
  );
  const address = fhirAddress({
    lines: [row.complementDestinataire, row.complementPointGeographique, street, row.mentionDistribution],
    ...(row.libelleCommune ? { city: row.libelleCommune } : {}),
    ...(row.codePostal ? { postalCode: row.codePostal } : {}),
    ...(row.codeCommune ? { inseeCode: row.codeCommune } : {}),
    ...(row.libellePays ? { country: row.libellePays } : {}),
  });
  const types = [entityType('GEOGRAPHICAL-ENTITY')];
  if (row.secteurActivite) {
    types.push(
      organizationType(ctx.coder, 'secteurActiviteRASS', { ...ctx.coder.coding(row.secteurActivite) }),
    );
  }
  const name = row.raisonSociale || row.enseigne;
  return {
    resourceType: 'Organization',
    id,
    meta: meta(ctx.coder, 'RPPS'),
    language: 'fr',
    identifier: identifiers,
    active: true,
    type: types,
    ...(name ? { name } : {}),
    ...(row.enseigne && row.enseigne !== name ? { alias: [row.enseigne] } : {}),
    ...nonEmpty('telecom', [
      ...phoneTelecom('phone', row.telephone),
      ...phoneTelecom('phone', row.telephone2),
      ...phoneTelecom('fax', row.telecopie),
      ...phoneTelecom('email', row.email),
      ...mailboxes(ctx, id),
    ]),
    ...(address ? { address: [address] } : {}),
    ...partOf(row.finessJuridique),
  };
}
