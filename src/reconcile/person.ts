/**
 * A professional's resources from every line that names them: a Practitioner (as-dp-practitioner) with its
 * identifiers, practice name, qualifications (profession and category, savoir-faire, diplomas), exercise
 * authorisations, CPS/CPF cards and personal mailboxes; a PractitionerRole (as-dp-practitionerrole) per practice
 * situation with its codes (TRE_R21/R22/R23/R06) and Organization; and the practice sites those situations name.
 */
import type { CodedValue } from '../domain/coded-value.js';
import { checkAdeli, checkRpps } from '../domain/identifiers.js';
import { practitionerId, practitionerRoleId } from '../domain/resource-ids.js';
import type { CpsRow } from '../sources/cps/rows.js';
import type { MssanteRow } from '../sources/mssante/rows.js';
import type { DiplAutExercRow, PersonneActiviteRow, SavoirFaireRow } from '../sources/rpps/rows.js';
import type { Resource } from '../store/store.js';
import type { Coder } from './coder.js';
import { dataTrace, firstAuthority } from './data-trace.js';
import { byAddress, mailboxTelecom } from './mailbox.js';
import { nonEmpty } from './non-empty.js';
import { organizationId } from '../domain/resource-ids.js';
import { EXTENSION, identifier, META_SOURCE, PROFILE, SYSTEM } from './vocabulary.js';

/** The lines of one person, by file kind. */
export interface PersonLines {
  readonly idNatPs: string;
  readonly activites: readonly PersonneActiviteRow[];
  readonly diplomes: readonly DiplAutExercRow[];
  readonly savoirFaire: readonly SavoirFaireRow[];
  readonly mailboxes: readonly MssanteRow[];
  readonly cartes: readonly CpsRow[];
}

export interface PersonResources {
  readonly practitioner: Resource;
  readonly roles: readonly Resource[];
  /** One activity line per practice site named, to build its Organization if no better source has it. */
  readonly sites: readonly PersonneActiviteRow[];
  readonly warnings: readonly string[];
}

const key = (...values: (CodedValue | undefined)[]): string =>
  values.map((v) => (v ? `${v.table}|${v.code}` : '')).join('\u0000');

/** Distinct items by key, in first-seen order. */
function distinct<T>(items: Iterable<T>, keyOf: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = keyOf(item);
    if (!seen.has(k)) {
      seen.set(k, item);
    }
  }
  return [...seen.values()];
}

const concept = (coder: Coder, ...values: (CodedValue | undefined)[]): Record<string, unknown>[] => {
  const c = coder.concept(...values);
  return c ? [c as unknown as Record<string, unknown>] : [];
};

/**
 * The `period` of a card (as-ext-smartcard), when the file gives its validity. A Period that ends before it
 * starts is invalid FHIR (per-1): such a card is published without one, and a warning says why.
 */
function validity(c: CpsRow, warn: (message: string) => void): Record<string, unknown>[] {
  const { debutValidite: start, finValidite: end } = c;
  if (start && end && end < start) {
    warn(`card ${c.numero} ends (${end}) before it starts (${start}): published without its validity period`);
    return [];
  }
  return start || end
    ? [{ url: 'period', valuePeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) } }]
    : [];
}

export function personResources(p: PersonLines, coder: Coder): PersonResources {
  const first = p.activites[0]!;
  const id = practitionerId(p.idNatPs);
  const warnings: string[] = [];
  const keyWarning =
    first.typeIdentifiant === '8'
      ? checkRpps(first.identifiant)
      : first.typeIdentifiant === '0'
        ? checkAdeli(first.identifiant)
        : undefined;
  if (keyWarning) {
    warnings.push(`Practitioner/${id}: ${keyWarning.message}`);
  }
  const authority = firstAuthority(first.autoriteEnregistrement);
  const meta = (profile: readonly string[]): Record<string, unknown> => ({
    source: META_SOURCE,
    profile,
    extension: [dataTrace(coder, 'RPPS', authority)],
  });

  // Qualifications: each profession with its category, each savoir-faire (activity and savoir-faire files),
  // each diploma.
  const professions = distinct(p.activites, (r) => key(r.profession, r.categorie));
  const savoirFaire = distinct(
    [
      ...p.activites.flatMap((r) => (r.savoirFaire ? [r.savoirFaire] : [])),
      ...p.savoirFaire.map((r) => r.savoirFaire),
    ],
    (s) => key(s.value, s.type),
  );
  const diplomes = distinct(
    p.diplomes.filter((d) => d.diplome ?? d.typeDiplome),
    (d) => key(d.diplome, d.typeDiplome),
  );
  const qualification = [
    ...professions.map((r) => ({ code: coder.concept(coder.profession(r.profession), r.categorie) })),
    ...savoirFaire.map((s) => ({ code: coder.concept(s.value, s.type) })),
    ...diplomes.map((d) => ({ code: coder.concept(d.diplome, d.typeDiplome) })),
  ];

  const authorizations = distinct(
    p.diplomes.filter((d) => d.typeAutorisation),
    (d) => key(d.typeAutorisation, d.disciplineAutorisation),
  ).map((d) => ({
    url: EXTENSION.authorization,
    extension: [
      { url: 'type', valueCodeableConcept: coder.concept(d.typeAutorisation) },
      ...(d.disciplineAutorisation
        ? [{ url: 'field', valueCodeableConcept: coder.concept(d.disciplineAutorisation) }]
        : []),
    ],
  }));
  const cards = distinct(p.cartes, (c) => `${c.type.code}|${c.numero}`)
    .sort((a, b) => (a.numero < b.numero ? -1 : a.numero > b.numero ? 1 : 0))
    .map((c) => ({
      url: EXTENSION.smartcard,
      extension: [
        { url: 'type', valueCodeableConcept: coder.concept(c.type) },
        { url: 'number', valueString: c.numero },
        ...validity(c, (message) => warnings.push(`Practitioner/${id}: ${message}`)),
        // Restricted data (as-dr-practitioner): kept in the store, left out of the public perimeter by the API.
        ...(c.dateOpposition ? [{ url: 'oppositionDate', valueDate: c.dateOpposition }] : []),
      ],
    }));

  // Situations: one role per (structure, profession, role, mode); a line without structure has no situation.
  const situations = distinct(
    p.activites.filter((r) => r.structureId !== ''),
    (r) => [r.structureId, r.profession.code, r.role?.code ?? '', r.modeExercice?.code ?? ''].join('\u0000'),
  );
  const structureIds = new Set(situations.map((s) => s.structureId));
  const mailboxes = [...p.mailboxes].sort(byAddress);
  const personal = mailboxes.filter((m) => !structureIds.has(m.structureId));

  const name = {
    use: 'usual',
    ...(first.nomExercice ? { family: first.nomExercice } : {}),
    ...(first.prenomExercice ? { given: [first.prenomExercice] } : {}),
    ...(first.civiliteExercice
      ? { prefix: [coder.coding(first.civiliteExercice).display ?? first.civiliteExercice.code] }
      : {}),
  };
  const practitioner: Resource = {
    resourceType: 'Practitioner',
    id,
    meta: meta(PROFILE.practitioner),
    language: 'fr',
    ...nonEmpty('extension', [...authorizations, ...cards]),
    identifier: [
      identifier('IDNPS', SYSTEM.idNatPs, p.idNatPs),
      ...(first.typeIdentifiant === '8' ? [identifier('RPPS', SYSTEM.rpps, first.identifiant)] : []),
    ],
    active: true,
    name: [name],
    ...nonEmpty(
      'telecom',
      personal.map((m) => mailboxTelecom(m, coder)),
    ),
    ...nonEmpty('qualification', qualification),
  };

  const roles = situations.map((s): Resource => {
    const roleId = practitionerRoleId({
      idNatPs: p.idNatPs,
      structureId: s.structureId,
      profession: s.profession.code,
      ...(s.role ? { role: s.role.code } : {}),
      ...(s.modeExercice ? { mode: s.modeExercice.code } : {}),
    });
    return {
      resourceType: 'PractitionerRole',
      id: roleId,
      meta: meta(PROFILE.practitionerRole),
      language: 'fr',
      active: true,
      practitioner: { reference: `Practitioner/${id}` },
      organization: { reference: `Organization/${organizationId(s.structureId)}` },
      ...nonEmpty('code', [
        ...concept(coder, coder.profession(s.profession)),
        ...concept(coder, s.genreActivite),
        ...concept(coder, s.modeExercice),
        ...concept(coder, s.role),
        ...concept(coder, s.sectionPharmacien),
      ]),
      ...nonEmpty(
        'telecom',
        mailboxes.filter((m) => m.structureId === s.structureId).map((m) => mailboxTelecom(m, coder)),
      ),
    };
  });
  const sites = distinct(situations, (s) => s.structureId);
  return { practitioner, roles, sites, warnings };
}
