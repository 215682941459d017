/**
 * A professional's lines in the open-data files, from their public Practitioner, PractitionerRoles and the
 * Organizations those name: the inverse of reconcile/person.ts.
 *
 * - Personne_activite: one line per situation × savoir-faire, as the national file writes them (a person
 *   without situation: one line per profession with empty structure columns). The situation's profession
 *   category is the one the Practitioner's qualification gives that profession.
 * - SavoirFaire: one line per savoir-faire; Dipl_AutExerc: one per diploma, then one per authorisation.
 * - Porteurs_CPS_CPF: one line per card (the opposition date is restricted data, never written).
 * - MSSanté: one line per mailbox: those of the Practitioner (no structure), those of each role (its structure).
 *
 * Not kept by the resources, so left empty: the civility (`Code civilité`, not the civility of practice), the
 * savoir-faire of a situation apart from the person's (every situation line carries all of them, as the
 * generated and national files do), a card's national id and update date.
 */
import type { PORTEURS_CPS_CPF } from '../../sources/cps/columns.js';
import type { DIPL_AUT_EXERC, SAVOIR_FAIRE } from '../../sources/rpps/columns.js';
import { PROFESSION_TABLES } from '../../reconcile/coder.js';
import { EXTENSION, SYSTEM } from '../../reconcile/vocabulary.js';
import type { Resource } from '../../store/store.js';
import { codingsOf, columnsOf, NO_CODE, type CodeColumns, type CodeReader, type Coding } from './codes.js';
import { mailboxColumns, mailboxesOf, type MssanteColumns } from './mailbox-columns.js';
import { siteColumns, type PersonneActiviteColumns } from './site-columns.js';
import { arrayOf, referenceId, text, type Json } from './json.js';

export type DiplAutExercColumns = Partial<Record<keyof typeof DIPL_AUT_EXERC, string>>;
export type SavoirFaireColumns = Partial<Record<keyof typeof SAVOIR_FAIRE, string>>;
export type CpsColumns = Partial<Record<keyof typeof PORTEURS_CPS_CPF, string>>;

export interface PersonRows {
  readonly activites: PersonneActiviteColumns[];
  readonly diplomes: DiplAutExercColumns[];
  readonly savoirFaire: SavoirFaireColumns[];
  readonly cartes: CpsColumns[];
  readonly mailboxes: MssanteColumns[];
}

const SAVOIR_FAIRE_TYPE = 'TRE_R04-TypeSavoirFaire';

interface Profession {
  readonly profession: CodeColumns;
  readonly categorie: CodeColumns;
}

/** `YYYY-MM-DD` → `DD/MM/YYYY`, the CPS file's dates. */
const frenchDate = (iso: unknown): string =>
  typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso)
    ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
    : '';

/** The registration authority of the data-trace in meta (reconcile/data-trace.ts). */
function authorityOf(resource: Resource, codes: CodeReader): string {
  const trace = arrayOf(resource.meta?.['extension']).find((e) => e['url'] === EXTENSION.dataTrace);
  const authority = arrayOf(trace?.['extension']).find((e) => e['url'] === 'autorite-enregistrement');
  return codes.find(authority?.['valueCodeableConcept'], 'TRE_R60-AutoriteEnregistrement')?.code ?? '';
}

const pair = (c: CodeColumns): [string, string] => [c.code, c.label];

export function personRows(
  practitioner: Resource,
  roles: readonly Resource[],
  organizations: ReadonlyMap<string, Resource>,
  codes: CodeReader,
): PersonRows {
  const idNatPs = text(
    arrayOf(practitioner['identifier']).find((i) => i['system'] === SYSTEM.idNatPs)?.['value'] ??
      practitioner.id,
  );
  const name = arrayOf(practitioner['name'])[0] ?? {};
  const who = {
    typeIdentifiant: idNatPs.slice(0, 1),
    identifiant: idNatPs.slice(1),
    idNatPs,
    nomExercice: text(name['family']),
    prenomExercice: text(arrayOf(name['given'])[0]),
  };

  const professions: Profession[] = [];
  const savoirFaire: { type: CodeColumns; value: CodeColumns }[] = [];
  const diplomes: { type: CodeColumns; diplome: CodeColumns }[] = [];
  for (const q of arrayOf(practitioner['qualification'])) {
    const codings = codingsOf(q['code']);
    if (codes.isOf(codings[0], ...PROFESSION_TABLES)) {
      professions.push({
        profession: columnsOf(codings[0]),
        categorie: columnsOf(codings.find((c) => codes.isOf(c, 'TRE_R09-CategorieProfessionnelle'))),
      });
    } else if (codings.some((c) => codes.isOf(c, SAVOIR_FAIRE_TYPE))) {
      savoirFaire.push({
        value: columnsOf(codings.find((c) => !codes.isOf(c, SAVOIR_FAIRE_TYPE))),
        type: columnsOf(codings.find((c) => codes.isOf(c, SAVOIR_FAIRE_TYPE))),
      });
    } else {
      diplomes.push({
        diplome: columnsOf(codings.find((c) => codes.isOf(c, 'TRE_R48-DiplomeEtatFrancais'))),
        type: columnsOf(codings.find((c) => codes.isOf(c, 'TRE_R14-TypeDiplome'))),
      });
    }
  }
  const first = professions[0] ?? { profession: NO_CODE, categorie: NO_CODE };
  const professionColumns = (p: Profession): Record<string, string> => {
    const [codeProfession, libelleProfession] = pair(p.profession);
    const [codeCategorie, libelleCategorie] = pair(p.categorie);
    return { codeProfession, libelleProfession, codeCategorie, libelleCategorie };
  };
  const civility = codes.civility(arrayOf(name['prefix']).map(text)[0]);
  const base: PersonneActiviteColumns = {
    ...who,
    codeCiviliteExercice: civility.code,
    libelleCiviliteExercice: civility.label,
    autoriteEnregistrement: authorityOf(practitioner, codes),
  };
  const sfColumns = savoirFaire.length > 0 ? savoirFaire : [undefined];
  const withSavoirFaire = (line: PersonneActiviteColumns): PersonneActiviteColumns[] =>
    sfColumns.map((sf) =>
      sf
        ? {
            ...line,
            codeTypeSavoirFaire: sf.type.code,
            libelleTypeSavoirFaire: sf.type.label,
            codeSavoirFaire: sf.value.code,
            libelleSavoirFaire: sf.value.label,
          }
        : line,
    );

  // Situations, grouped by profession in the order of the qualifications, so the importer finds the
  // professions (and their categories) in the same order; a profession without situation gets a line alone.
  const activites: PersonneActiviteColumns[] = [];
  // The holder's columns of a personal mailbox line (the importer reads only the national id).
  const holder = (p: Profession): MssanteColumns => ({
    typeIdentifiantPp: who.typeIdentifiant,
    identifiantPp: who.identifiant,
    idNatPs,
    civiliteExercice: civility.code,
    nomExercice: who.nomExercice,
    prenomExercice: who.prenomExercice,
    categorieProfession: p.categorie.code,
    libelleCategorieProfession: p.categorie.label,
    codeProfession: p.profession.code,
    libelleProfession: p.profession.label,
    codeSavoirFaire: savoirFaire[0]?.value.code ?? '',
    libelleSavoirFaire: savoirFaire[0]?.value.label ?? '',
  });
  const mailboxes: MssanteColumns[] = mailboxesOf(practitioner).map((m) => ({
    ...mailboxColumns(m),
    ...holder(first),
  }));
  const situations = roles.map((role) => {
    const code = role['code'];
    const concepts = arrayOf(code).map((c) => codingsOf(c)[0]);
    const of = (...tables: string[]): Coding | undefined => concepts.find((c) => codes.isOf(c, ...tables));
    const structureId = referenceId(role['organization'], 'Organization');
    return { role, structureId, profession: columnsOf(of(...PROFESSION_TABLES)), of };
  });
  // A role whose profession no qualification names (not built by the importer) still gets its lines.
  for (const s of situations) {
    if (!professions.some((p) => p.profession.code === s.profession.code)) {
      professions.push({ profession: s.profession, categorie: NO_CODE });
    }
  }
  const written = new Set<string>();
  for (const p of professions) {
    const own = situations.filter((s) => s.profession.code === p.profession.code);
    if (own.length === 0) {
      activites.push(...withSavoirFaire({ ...base, ...professionColumns(p) }));
      continue;
    }
    for (const s of own) {
      const org = organizations.get(s.structureId);
      const site = org ? siteColumns(org, codes) : { structureId: s.structureId };
      const [codeModeExercice, libelleModeExercice] = pair(columnsOf(s.of('TRE_R23-ModeExercice')));
      const [codeRole, libelleRole] = pair(columnsOf(s.of('TRE_R21-Fonction')));
      const [codeGenreActivite, libelleGenreActivite] = pair(columnsOf(s.of('TRE_R22-GenreActivite')));
      const [codeSectionPharmacien, libelleSectionPharmacien] = pair(
        columnsOf(s.of('TRE_R06-SectionTableauCNOP')),
      );
      activites.push(
        ...withSavoirFaire({
          ...base,
          ...professionColumns(p),
          ...site,
          codeModeExercice,
          libelleModeExercice,
          codeRole,
          libelleRole,
          codeGenreActivite,
          libelleGenreActivite,
          codeSectionPharmacien,
          libelleSectionPharmacien,
        }),
      );
      // Every role at a structure carries the structure's mailboxes of the person: one line each.
      for (const m of mailboxesOf(s.role)) {
        const key = `${s.structureId}\u0000${text(m['value'])}`;
        if (written.has(key)) {
          continue;
        }
        written.add(key);
        mailboxes.push({
          ...mailboxColumns(m),
          ...holder(p),
          identificationStructure: s.structureId,
          raisonSociale: site.raisonSociale ?? '',
        });
      }
    }
  }

  const autorisations = arrayOf(practitioner['extension'])
    .filter((e) => e['url'] === EXTENSION.authorization)
    .map((e) => {
      const sub = (url: string): Coding | undefined =>
        codingsOf(arrayOf(e['extension']).find((x) => x['url'] === url)?.['valueCodeableConcept'])[0];
      return { type: columnsOf(sub('type')), discipline: columnsOf(sub('field')) };
    });
  const cartes = arrayOf(practitioner['extension'])
    .filter((e) => e['url'] === EXTENSION.smartcard)
    .map((e): CpsColumns => {
      const sub = (url: string): Json | undefined => arrayOf(e['extension']).find((x) => x['url'] === url);
      const type = columnsOf(codingsOf(sub('type')?.['valueCodeableConcept'])[0]);
      const period = (sub('period')?.['valuePeriod'] ?? {}) as Json;
      return {
        ...who,
        ...professionColumns(first),
        codeTypeCarte: type.code,
        libelleTypeCarte: type.label,
        numeroCarte: text(sub('number')?.['valueString']),
        debutValidite: frenchDate(period['start']),
        finValidite: frenchDate(period['end']),
      };
    });

  return {
    activites,
    diplomes: [
      ...diplomes.map((d): DiplAutExercColumns => ({
        ...who,
        codeTypeDiplome: d.type.code,
        libelleTypeDiplome: d.type.label,
        codeDiplome: d.diplome.code,
        libelleDiplome: d.diplome.label,
      })),
      ...autorisations.map((a): DiplAutExercColumns => ({
        ...who,
        codeTypeAutorisation: a.type.code,
        libelleTypeAutorisation: a.type.label,
        codeDisciplineAutorisation: a.discipline.code,
        libelleDisciplineAutorisation: a.discipline.label,
      })),
    ],
    savoirFaire: savoirFaire.map((sf) => ({
      ...who,
      ...professionColumns(first),
      codeTypeSavoirFaire: sf.type.code,
      libelleTypeSavoirFaire: sf.type.label,
      codeSavoirFaire: sf.value.code,
      libelleSavoirFaire: sf.value.label,
    })),
    cartes,
    mailboxes,
  };
}
