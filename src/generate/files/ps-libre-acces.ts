/**
 * The three files of the RPPS open-data extract (`PS_LibreAcces_*`): UTF-8, `|`-separated, unquoted, a header,
 * and a trailing `|` on every line. Personne_activite has one line per person × situation × savoir-faire (a
 * person without situation: one line with empty structure columns), SavoirFaire one per person × savoir-faire,
 * Dipl_AutExerc one per diploma or authorisation. Format: ../shared/reference/annuaire-formats.md §1.
 */
import { DIPL_AUT_EXERC, PERSONNE_ACTIVITE, SAVOIR_FAIRE } from '../../sources/rpps/columns.js';
import type { Labels } from '../labels.js';
import type { Practitioner, PractitionerFactory, World } from '../practitioner.js';
import { Purpose, rngFor } from '../prng.js';
import { slotsAt } from '../population.js';
import { structureOf } from '../situation-structure.js';
import { headerOf, rowWriter, type RowOf } from './rows.js';
import type { LineSource } from '../zip.js';

const R38 = 'TRE_R38-SpecialiteOrdinale';
const R04 = 'TRE_R04-TypeSavoirFaire';
const R09 = 'TRE_R09-CategorieProfessionnelle';
const R14 = 'TRE_R14-TypeDiplome';
const R48 = 'TRE_R48-DiplomeEtatFrancais';
const R17 = 'TRE_R17-TypeAutorisation';
const R18 = 'TRE_R18-DisciplineAutorisation';

/** Called once per slot visited, for progress. */
export type Tick = (slot: number) => void;

/** Every professional present on the world's day, in slot order. */
export function* presentPractitioners(factory: PractitionerFactory, tick: Tick): Generator<Practitioner> {
  const world = factory.world;
  const n = slotsAt(world.population, world.day);
  for (let slot = 0; slot < n; slot++) {
    if ((slot & 1023) === 0) {
      tick(slot);
    }
    const p = factory.at(slot);
    if (p.removedDay > world.day) {
      yield p;
    }
  }
  tick(n);
}

/** The identity columns shared by the three files and the CPS file. */
export function identityColumns(person: Practitioner, labels: Labels): Record<string, string> {
  const spec = person.profession.spec;
  return {
    typeIdentifiant: person.idType,
    identifiant: person.id,
    idNatPs: person.idNat,
    nomExercice: person.lastName,
    prenomExercice: person.firstName,
    codeProfession: spec.code,
    libelleProfession: labels.of(spec.table, spec.code),
    codeCategorie: spec.category,
    libelleCategorie: labels.of(R09, spec.category),
  };
}

export function personneActiviteSource(
  world: World,
  factory: PractitionerFactory,
  labels: Labels,
  tick: Tick,
): LineSource {
  const row = rowWriter(PERSONNE_ACTIVITE, '|', true);
  return {
    lines: function* (): Generator<string> {
      yield headerOf(PERSONNE_ACTIVITE, '|', true);
      for (const person of presentPractitioners(factory, tick)) {
        const spec = person.profession.spec;
        const authority =
          person.idType === '0' ? 'ARS/CPAM/CPAM' : `${spec.authority}/${spec.authority}/${spec.authority}`;
        const base: RowOf<typeof PERSONNE_ACTIVITE> = {
          ...identityColumns(person, labels),
          codeCiviliteExercice: person.civiliteExercice,
          libelleCiviliteExercice: person.civiliteExercice
            ? labels.of('TRE_R11-CiviliteExercice', person.civiliteExercice)
            : '',
          codeCivilite: person.female ? 'MME' : 'M',
          libelleCivilite: person.female ? 'Madame' : 'Monsieur',
          autoriteEnregistrement: authority,
        };
        const savoirFaire = person.savoirFaire.length > 0 ? person.savoirFaire : [''];
        const situations = person.situations.length > 0 ? person.situations : [undefined];
        for (const s of situations) {
          let where: RowOf<typeof PERSONNE_ACTIVITE> = {};
          if (s) {
            const st = structureOf(world, person, s);
            const a = st.address;
            let section = s.target.section ?? '';
            if ((section === 'A' || section === 'D') && a.departement.code.length === 3) {
              section = 'E';
            }
            where = {
              codeModeExercice: s.target.mode,
              libelleModeExercice: labels.of('TRE_R23-ModeExercice', s.target.mode),
              siret: st.siret,
              siren: st.siren,
              finessSite: st.finessSite,
              finessJuridique: st.finessEj,
              structureId: st.technicalId,
              raisonSociale: st.raisonSociale,
              enseigne: st.enseigne,
              complementDestinataire: st.complement,
              numeroVoie: a.numero,
              indiceRepetitionVoie: a.indice,
              codeTypeVoie: a.typeVoie,
              libelleTypeVoie: a.libelleTypeVoie,
              libelleVoie: a.voie,
              mentionDistribution: a.lieuDit,
              bureauCedex: a.commune.acheminement,
              codePostal: a.commune.codePostal,
              codeCommune: a.commune.code,
              libelleCommune: a.commune.nom,
              codePays: '99100',
              libellePays: 'France',
              telephone: st.telephone,
              telecopie: st.telecopie,
              email: st.email,
              codeDepartement: a.departement.code,
              libelleDepartement: a.departement.nom,
              ancienIdentifiantStructure: st.formerId,
              codeSecteurActivite: st.secteur,
              libelleSecteurActivite: labels.of('TRE_R02-SecteurActivite', st.secteur),
              codeSectionPharmacien: section,
              libelleSectionPharmacien: section ? labels.of('TRE_R06-SectionTableauCNOP', section) : '',
              codeRole: s.target.role,
              libelleRole: labels.of('TRE_R21-Fonction', s.target.role),
              codeGenreActivite: s.genre,
              libelleGenreActivite: labels.of('TRE_R22-GenreActivite', s.genre),
            };
          }
          // One record per situation, its savoir-faire columns rewritten per line (no copy per line).
          const record: RowOf<typeof PERSONNE_ACTIVITE> = { ...base, ...where };
          for (const sf of savoirFaire) {
            record.codeTypeSavoirFaire = sf ? 'S' : '';
            record.libelleTypeSavoirFaire = sf ? labels.of(R04, 'S') : '';
            record.codeSavoirFaire = sf;
            record.libelleSavoirFaire = sf ? labels.of(R38, sf) : '';
            yield row(record);
          }
        }
      }
    },
  };
}

export function savoirFaireSource(factory: PractitionerFactory, labels: Labels, tick: Tick): LineSource {
  const row = rowWriter(SAVOIR_FAIRE, '|', true);
  return {
    lines: function* (): Generator<string> {
      yield headerOf(SAVOIR_FAIRE, '|', true);
      for (const person of presentPractitioners(factory, tick)) {
        if (person.savoirFaire.length === 0) {
          continue;
        }
        const identity = identityColumns(person, labels);
        for (const sf of person.savoirFaire) {
          yield row({
            ...identity,
            codeTypeSavoirFaire: 'S',
            libelleTypeSavoirFaire: labels.of(R04, 'S'),
            codeSavoirFaire: sf,
            libelleSavoirFaire: labels.of(R38, sf),
          });
        }
      }
    },
  };
}

/** Discipline of a medical authorisation (TRE_R18) for a specialty (TRE_R38); general medicine otherwise. */
const DISCIPLINE: Readonly<Record<string, string>> = {
  SM54: 'DAUT26',
  SM53: 'DAUT26',
  SM26: 'DAUT26',
  SM04: 'DAUT17',
  SM42: 'DAUT35',
  SM40: 'DAUT33',
  SM02: 'DAUT16',
  SM38: 'DAUT13',
  SM44: 'DAUT36',
  SM20: 'DAUT11',
  SM15: 'DAUT18',
  SM24: 'DAUT20',
  SM41: 'DAUT34',
  SM32: 'DAUT31',
  SM48: 'DAUT38',
  SM59: 'DAUT25',
  SM03: 'DAUT01',
  SM08: 'DAUT05',
  SM14: 'DAUT10',
  SM34: 'DAUT14',
  SM18: 'DAUT22',
  SM27: 'DAUT27',
  SM30: 'DAUT30',
  SM25: 'DAUT40',
  SM16: 'DAUT19',
  SM21: 'DAUT24',
  SM36: 'DAUT32',
  SM01: 'DAUT15',
  SM19: 'DAUT23',
  SM29: 'DAUT29',
  SM12: 'DAUT08',
  SM28: 'DAUT28',
  SM49: 'DAUT39',
  SM13: 'DAUT09',
  SM11: 'DAUT07',
  SM31: 'DAUT12',
  SM10: 'DAUT06',
  SM50: 'DAUT41',
  SM09: 'DAUT03',
  SM17: 'DAUT21',
  SM46: 'DAUT37',
};

/** Specialised nurses' state diplomas (TRE_R48) by specialty (TRE_R38). */
const NURSE_DIPLOMA: Readonly<Record<string, string>> = {
  SI06: 'DE19',
  SI07: 'DE20',
  SI08: 'DE21',
  SI01: 'DE23',
  SI02: 'DE24',
  SI03: 'DE25',
  SI04: 'DE26',
  SI05: 'DE27',
};

export function diplomaSource(
  world: World,
  factory: PractitionerFactory,
  labels: Labels,
  tick: Tick,
): LineSource {
  const row = rowWriter(DIPL_AUT_EXERC, '|', true);
  return {
    lines: function* (): Generator<string> {
      yield headerOf(DIPL_AUT_EXERC, '|', true);
      for (const person of presentPractitioners(factory, tick)) {
        const spec = person.profession.spec;
        if (spec.diploma === '') {
          continue;
        }
        const identity = identityColumns(person, labels);
        const who = {
          typeIdentifiant: identity['typeIdentifiant'],
          identifiant: identity['identifiant'],
          idNatPs: identity['idNatPs'],
          nomExercice: identity['nomExercice'],
          prenomExercice: identity['prenomExercice'],
        };
        const diploma = (type: string, code: string): string =>
          row({
            ...who,
            codeTypeDiplome: type,
            libelleTypeDiplome: labels.of(R14, type),
            codeDiplome: code,
            libelleDiplome: code ? labels.of(R48, code) : '',
          });
        const authorisation = (type: string, discipline: string): string =>
          row({
            ...who,
            codeTypeAutorisation: type,
            libelleTypeAutorisation: labels.of(R17, type),
            codeDisciplineAutorisation: discipline,
            libelleDisciplineAutorisation: discipline ? labels.of(R18, discipline) : '',
          });
        const rng = rngFor(world.seed, Purpose.DIPLOMA, person.slot);
        if (spec.diploma.startsWith('AM')) {
          yield authorisation(spec.diploma, '');
          continue;
        }
        if (rng.chance(spec.key === 'medecin' ? 0.06 : 0.025)) {
          const eu = rng.chance(0.5);
          yield diploma(eu ? 'DEEE' : 'DAU', '');
          const discipline =
            spec.key === 'medecin' ? (DISCIPLINE[person.savoirFaire[0] ?? ''] ?? 'DAUT26') : '';
          yield authorisation(eu ? 'AM27' : spec.key === 'psychologue' ? 'AM31' : 'AM01', discipline);
          continue;
        }
        if (spec.diploma === 'AU') {
          yield diploma('AU', '');
          continue;
        }
        const code =
          spec.key === 'pharmacien'
            ? rng.chance(0.8)
              ? 'DE02'
              : 'DE01'
            : spec.key === 'chirurgien-dentiste'
              ? rng.chance(0.7)
                ? 'DE03'
                : 'DE04'
              : spec.diploma;
        yield diploma('DE', code);
        for (const sf of person.savoirFaire) {
          const extra = NURSE_DIPLOMA[sf];
          if (extra) {
            yield diploma('DE', extra);
          }
        }
      }
    },
  };
}
