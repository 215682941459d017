/**
 * `Extraction_Correspondance_MSSante_*.txt`: one line per MSSanté mailbox, UTF-8, `|`-separated, 31 columns, a
 * header, no trailing `|`. Personal (`PER`) mailboxes of professionals, then organisational (`ORG`) ones of
 * establishments. Format: ../shared/reference/annuaire-formats.md §2.1.
 *
 * Addresses are unique and stable from day to day: every mailbox ever created reserves its address, in slot
 * order, including those of professionals removed since. A mailbox present at registration takes
 * `prenom.nom`, then `prenom.nom2`…; one created later takes `prenom.nom.NNNN` (last digits of the national
 * id), a form the first kind never uses, so a later mailbox never takes an address an earlier-registered
 * homonym will claim.
 */
import { MSSANTE } from '../../sources/mssante/columns.js';
import type { Labels } from '../labels.js';
import type { Mailbox, Practitioner, PractitionerFactory, World } from '../practitioner.js';
import { Purpose, rngFor } from '../prng.js';
import { slotsAt } from '../population.js';
import { structureOf } from '../situation-structure.js';
import { mailPart } from '../text.js';
import { headerOf, rowWriter, type RowOf } from './rows.js';
import type { LineSource } from '../zip.js';
import type { Tick } from './ps-libre-acces.js';

const SERVICES: readonly (readonly [string, string])[] = [
  ['secretariat', 'Secrétariat'],
  ['accueil', 'Accueil'],
  ['urgences', 'Urgences'],
  ['cardiologie', 'Cardiologie'],
  ['pediatrie', 'Pédiatrie'],
  ['radiologie', 'Radiologie'],
  ['maternite', 'Maternité'],
  ['direction', 'Direction'],
  ['pharmacie', 'Pharmacie'],
  ['laboratoire', 'Laboratoire'],
  ['chirurgie', 'Chirurgie'],
  ['geriatrie', 'Gériatrie'],
  ['psychiatrie', 'Psychiatrie'],
  ['oncologie', 'Oncologie'],
  ['medecine-interne', 'Médecine interne'],
  ['dim', 'DIM'],
];

function personalAddress(m: Mailbox, person: Practitioner, used: Set<string>): string {
  const local = `${mailPart(m.first)}.${mailPart(m.last)}`;
  if (m.late) {
    const candidate = `${local}.${person.id.slice(-4)}@${m.domain}`;
    const address = used.has(candidate) ? `${local}.${person.id}@${m.domain}` : candidate;
    used.add(address);
    return address;
  }
  for (let n = 1; ; n++) {
    const address = `${local}${n === 1 ? '' : n}@${m.domain}`;
    if (!used.has(address)) {
      used.add(address);
      return address;
    }
  }
}

export function mssanteSource(
  world: World,
  factory: PractitionerFactory,
  labels: Labels,
  tick: Tick,
): LineSource {
  const row = rowWriter(MSSANTE, '|', false);
  return {
    lines: function* (): Generator<string> {
      yield headerOf(MSSANTE, '|', false);
      const used = new Set<string>();
      const n = slotsAt(world.population, world.day);
      for (let slot = 0; slot < n; slot++) {
        if ((slot & 1023) === 0) {
          tick(slot);
        }
        const person = factory.at(slot);
        const present = person.removedDay > world.day;
        // The registration mailbox keeps (or reserves) its address even when it is closed or its owner gone.
        const first = person.firstMailbox ? personalAddress(person.firstMailbox, person, used) : undefined;
        const m = present ? person.mailbox : undefined;
        if (!m) {
          continue;
        }
        const address = m === person.firstMailbox ? first! : personalAddress(m, person, used);
        const spec = person.profession.spec;
        const s = person.situations[0];
        const rng = rngFor(world.seed, Purpose.MAILBOX, person.slot, 1);
        let where: RowOf<typeof MSSANTE> = {};
        if (s) {
          const st = structureOf(world, person, s);
          const a = st.address;
          where = {
            typeIdentifiantStructure: st.idType,
            identificationStructure: st.technicalId,
            raisonSociale: st.raisonSociale,
            enseigne: st.enseigne,
            complementLocalisation: st.complement,
            numeroVoie: a.numero,
            complementNumeroVoie: a.indice,
            typeVoie: a.typeVoie,
            libelleVoie: a.voie,
            lieuDitMention: a.lieuDit,
            ligneAcheminement: a.commune.acheminement,
            codePostal: a.commune.codePostal,
            departement: a.departement.code,
            pays: 'FRANCE',
          };
        }
        const sf = person.savoirFaire[0] ?? '';
        yield row({
          typeBal: 'PER',
          adresseBal: address,
          typeIdentifiantPp: person.idType,
          identifiantPp: person.id,
          idNatPs: person.idNat,
          civiliteExercice: person.civiliteExercice,
          nomExercice: person.lastName,
          prenomExercice: person.firstName,
          categorieProfession: spec.category,
          libelleCategorieProfession: labels.of('TRE_R09-CategorieProfessionnelle', spec.category),
          codeProfession: spec.code,
          libelleProfession: labels.of(spec.table, spec.code),
          codeSavoirFaire: sf,
          libelleSavoirFaire: sf ? labels.of('TRE_R38-SpecialiteOrdinale', sf) : '',
          dematerialisation: rng.chance(0.35) ? 'True' : 'False',
          ...where,
        });
      }
      tick(n);
      yield* organisationalLines(world, row);
    },
  };
}

function* organisationalLines(world: World, row: (r: RowOf<typeof MSSANTE>) => string): Generator<string> {
  const domains = new Map<string, number>();
  for (const e of world.establishments.all) {
    if (e.orgMailboxes === 0) {
      continue;
    }
    // Every establishment ever created reserves its domain, so numbering never shifts.
    const seen = (domains.get(e.domain) ?? 0) + 1;
    domains.set(e.domain, seen);
    if (e.closedDay <= world.day) {
      continue;
    }
    const domain = `${e.domain}${seen === 1 ? '' : `-${seen}`}.mssante.fr`;
    const rng = rngFor(world.seed, Purpose.ORG_MAILBOX, e.index);
    // Care services only in hospitals and clinics; elsewhere a secretariat, a reception, a management.
    const style = e.category.style;
    const services =
      style === 'chu' || style === 'hospital' || style === 'clinic'
        ? SERVICES
        : SERVICES.slice(0, 2).concat([SERVICES[7]!]);
    const startAt = rng.int(services.length);
    for (let k = 0; k < Math.min(e.orgMailboxes, services.length); k++) {
      const [local, label] = services[(startAt + k) % services.length]!;
      const a = e.address;
      yield row({
        typeBal: 'ORG',
        adresseBal: `${local}@${domain}`,
        typeIdentifiantStructure: '1',
        identificationStructure: 'F' + e.finess,
        serviceRattachement: label,
        dematerialisation: rng.chance(0.5) ? 'True' : 'False',
        raisonSociale: e.rs,
        complementLocalisation: e.complrs,
        numeroVoie: a.numero,
        complementNumeroVoie: a.indice,
        typeVoie: a.typeVoie,
        libelleVoie: a.voie,
        lieuDitMention: a.lieuDit,
        ligneAcheminement: a.commune.acheminement,
        codePostal: a.commune.codePostal,
        departement: a.departement.code,
        pays: 'FRANCE',
      });
    }
  }
}
