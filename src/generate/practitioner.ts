/**
 * A professional's state on day D, computed from (seed, slot, D) alone: the day-0 (or registration-day) state
 * drawn from per-purpose generators, then the change events of days 1…D. Events form a chain per person whose
 * gaps are geometric (≈1% chance a day), so the cost is the number of events, not D.
 */
import type { Departement } from './geography.js';
import { countCreatedBy, type Establishment, type EstablishmentUniverse } from './establishments.js';
import { adeliOf, rppsOf } from './identifiers.js';
import { firstName, surname, written } from './names.js';
import type { Practices } from './practices.js';
import { hash4, Purpose, Rng, rngFor, unit, WeightedTable } from './prng.js';
import { slotInfo, type Population, type ProfessionCount } from './population.js';
import type { SituationTarget } from './professions.js';

/** Chance per day that something about a professional changes. */
export const CHANGE_RATE = 0.01;
const CARD_VALIDITY_DAYS = 3 * 365;

export interface Situation {
  readonly id: number;
  readonly createdDay: number;
  readonly target: SituationTarget;
  readonly establishment?: Establishment;
  /** Global index of a `C` practice. */
  readonly practice?: number;
  readonly departement: Departement;
  /** Seed of an individual (`R`) practice's address. */
  readonly addressSeed: number;
  /** TRE_R22. */
  readonly genre: string;
}

export interface Mailbox {
  readonly createdDay: number;
  /** Created after the person's registration: its address uses the late form (see files/mssante.ts). */
  readonly late: boolean;
  readonly first: string;
  readonly last: string;
  readonly domain: string;
}

export interface Card {
  readonly serial: number;
  readonly start: number;
  readonly end: number;
  readonly opposition?: number;
  readonly idNat: string;
}

export interface Practitioner {
  readonly slot: number;
  readonly profession: ProfessionCount;
  readonly createdDay: number;
  removedDay: number;
  /** `8` (RPPS) or `0` (ADELI). */
  readonly idType: '8' | '0';
  readonly id: string;
  readonly idNat: string;
  readonly female: boolean;
  readonly accents: boolean;
  readonly firstName: string;
  lastName: string;
  readonly civiliteExercice: string;
  readonly homeDepartement: Departement;
  readonly situations: Situation[];
  readonly savoirFaire: string[];
  /** The day-0/registration mailbox, even if closed since: it reserves its address. */
  readonly firstMailbox?: Mailbox;
  mailbox?: Mailbox;
  readonly cards: Card[];
  /** The last day something changed (for dates of update). */
  updatedDay: number;
}

export interface World {
  readonly seed: number;
  readonly day: number;
  readonly population: Population;
  readonly establishments: EstablishmentUniverse;
  readonly practices: Practices;
}

const SITUATION_COUNT = new WeightedTable([0, 1, 2, 3], (n) => [0.07, 0.7, 0.18, 0.05][n]!);

function targetTable(
  p: ProfessionCount,
  cache: Map<ProfessionCount, WeightedTable<SituationTarget>>,
): WeightedTable<SituationTarget> {
  let t = cache.get(p);
  if (!t) {
    t = new WeightedTable(p.spec.targets, (x) => x.weight);
    cache.set(p, t);
  }
  return t;
}

/** Resolves where a new situation is: near `home` when given (later situations), anywhere otherwise. */
function resolveSituation(
  world: World,
  p: ProfessionCount,
  targets: WeightedTable<SituationTarget>,
  rng: Rng,
  id: number,
  createdDay: number,
  home: Departement | undefined,
): Situation | undefined {
  const target = targets.draw(rng);
  const near = home !== undefined && rng.chance(0.85);
  const genre = target.role === 'FON-22' ? 'GENR02' : rng.chance(0.01) ? 'GENR04' : 'GENR01';
  const addressSeed = rng.int(0x7fffffff);
  if (target.kind === 'F') {
    const idx = world.establishments.byCategory.get(target.category);
    if (!idx) {
      return undefined;
    }
    const local = near ? idx.byDepartement.get(home.code) : undefined;
    const list = local && countCreatedBy(local, createdDay) > 0 ? local : idx.all;
    const n = countCreatedBy(list, createdDay);
    if (n === 0) {
      return undefined;
    }
    const e = list[rng.int(n)]!;
    return {
      id,
      createdDay,
      target,
      establishment: e,
      departement: e.address.departement,
      addressSeed,
      genre,
    };
  }
  if (target.kind === 'C') {
    const pool = world.practices.pools.get(p.spec.practicePool);
    if (!pool) {
      return undefined;
    }
    const local = near ? pool.byDepartement.get(home.code) : undefined;
    const practice = local ? local[rng.int(local.length)]! : pool.offset + rng.int(pool.size);
    const departement = world.practices.geography.departements.draw(
      rngFor(world.seed, Purpose.PRACTICE, practice),
    );
    return { id, createdDay, target, practice, departement, addressSeed, genre };
  }
  const departement = near ? home : world.practices.geography.departements.draw(rng);
  return { id, createdDay, target, departement, addressSeed, genre };
}

/** Computes professional `slot` as of `world.day` (undefined before their registration). */
export class PractitionerFactory {
  readonly #targets = new Map<ProfessionCount, WeightedTable<SituationTarget>>();
  readonly #specialties = new Map<ProfessionCount, WeightedTable<readonly [string, number]>>();

  constructor(readonly world: World) {}

  #specialty(p: ProfessionCount, rng: Rng, except: readonly string[]): string | undefined {
    if (p.spec.specialties.length === 0) {
      return undefined;
    }
    let t = this.#specialties.get(p);
    if (!t) {
      t = new WeightedTable(p.spec.specialties, ([, w]) => w);
      this.#specialties.set(p, t);
    }
    const code = t.draw(rng)[0];
    return except.includes(code) ? undefined : code;
  }

  #mailboxDomain(p: ProfessionCount, situations: readonly Situation[]): string {
    const e = situations[0]?.establishment;
    const style = e?.category.style;
    return e && (style === 'chu' || style === 'hospital' || style === 'clinic')
      ? `${e.domain}.mssante.fr`
      : p.spec.mailDomain;
  }

  at(slot: number): Practitioner {
    const { seed } = this.world;
    const info = slotInfo(this.world.population, seed, slot);
    const p = info.profession;
    const spec = p.spec;
    const targets = targetTable(p, this.#targets);
    const rng = rngFor(seed, Purpose.IDENTITY, slot);
    const female = rng.chance(spec.femaleShare);
    const accents = rng.chance(0.25);
    const first = written(firstName(rng, female), accents);
    const last = written(surname(seed, rng), accents);
    const civiliteExercice = spec.doctor ? (spec.key === 'medecin' && rng.chance(0.02) ? 'PR' : 'DR') : '';

    const situations: Situation[] = [];
    const srng = rngFor(seed, Purpose.SITUATION, slot);
    const n = spec.category === 'E' ? 1 : SITUATION_COUNT.draw(srng);
    let home: Departement | undefined;
    let nextId = 0;
    for (let s = 0; s < n; s++) {
      const sit = resolveSituation(
        this.world,
        p,
        targets,
        rngFor(seed, Purpose.SITUATION, slot, ++nextId),
        nextId,
        info.createdDay,
        home,
      );
      if (sit) {
        situations.push(sit);
        home ??= sit.departement;
      }
    }
    home ??= this.world.practices.geography.departements.draw(rng);

    const savoirFaire: string[] = [];
    const frng = rngFor(seed, Purpose.SAVOIR_FAIRE, slot);
    if (frng.chance(spec.specialtyShare)) {
      const code = this.#specialty(p, frng, savoirFaire);
      if (code) {
        savoirFaire.push(code);
      }
      if (spec.key === 'medecin' && frng.chance(0.04)) {
        const second = this.#specialty(p, frng, savoirFaire);
        if (second) {
          savoirFaire.push(second);
        }
      }
    }

    const idType = info.adeliOrdinal >= 0 ? '0' : '8';
    const id = idType === '0' ? adeliOf(home.code, info.adeliOrdinal) : rppsOf(slot);
    const idNat = idType + id;

    const mrng = rngFor(seed, Purpose.MAILBOX, slot);
    const firstMailbox: Mailbox | undefined = mrng.chance(spec.mailboxShare)
      ? { createdDay: info.createdDay, late: false, first, last, domain: this.#mailboxDomain(p, situations) }
      : undefined;

    const cards: Card[] = [];
    const crng = rngFor(seed, Purpose.CARD, slot);
    if (crng.chance(spec.cardShare)) {
      const start = info.createdDay > 0 ? info.createdDay + crng.int(20) : -crng.int(CARD_VALIDITY_DAYS - 30);
      if (crng.chance(0.015)) {
        const opposed = start - 200 - crng.int(400);
        cards.push({
          serial: 0,
          start: opposed,
          end: opposed + CARD_VALIDITY_DAYS,
          opposition: start - crng.int(10),
          idNat,
        });
        cards.push({ serial: 1, start, end: start + CARD_VALIDITY_DAYS, idNat });
      } else {
        cards.push({ serial: 0, start, end: start + CARD_VALIDITY_DAYS, idNat });
      }
    }

    const person: Practitioner = {
      slot,
      profession: p,
      createdDay: info.createdDay,
      removedDay: Infinity,
      idType,
      id,
      idNat,
      female,
      accents,
      firstName: first,
      lastName: last,
      civiliteExercice,
      homeDepartement: home,
      situations,
      savoirFaire,
      ...(firstMailbox ? { firstMailbox, mailbox: firstMailbox } : {}),
      cards,
      updatedDay: info.createdDay,
    };
    this.#applyEvents(person, targets, nextId);
    this.#closeAtClosedEstablishments(person);
    this.#renewExpiredCards(person);
    return person;
  }

  #applyEvents(person: Practitioner, targets: WeightedTable<SituationTarget>, nextId: number): void {
    const { seed, day } = this.world;
    let d = person.createdDay;
    for (let k = 0; ; k++) {
      const u = unit(hash4(seed, Purpose.EVENT, person.slot, k));
      d += 1 + Math.floor(Math.log(1 - u) / Math.log(1 - CHANGE_RATE));
      if (d > day) {
        return;
      }
      const rng = new Rng(hash4(seed, Purpose.EVENT_KIND, person.slot, k));
      const kind = rng.next();
      person.updatedDay = d;
      if (kind < 0.05) {
        person.removedDay = d;
        return;
      } else if (kind < 0.15) {
        person.lastName = written(surname(seed, rng), person.accents);
      } else if (kind < 0.4) {
        const sit = resolveSituation(
          this.world,
          person.profession,
          targets,
          rng,
          ++nextId,
          d,
          person.homeDepartement,
        );
        if (sit) {
          person.situations.push(sit);
        }
      } else if (kind < 0.58) {
        if (person.situations.length > 0) {
          person.situations.splice(rng.int(person.situations.length), 1);
        }
      } else if (kind < 0.65) {
        const code = this.#specialty(person.profession, rng, person.savoirFaire);
        if (code) {
          person.savoirFaire.push(code);
        }
      } else if (kind < 0.77) {
        person.mailbox ??= {
          createdDay: d,
          late: true,
          first: person.firstName,
          last: person.lastName,
          domain: this.#mailboxDomain(person.profession, person.situations),
        };
      } else if (kind < 0.8) {
        delete person.mailbox;
      } else {
        const last = person.cards[person.cards.length - 1];
        const serial = last ? last.serial + 1 : 0;
        if (serial < 8) {
          const opposed = last && rng.chance(0.4);
          if (last) {
            person.cards.length = 0;
            if (opposed) {
              person.cards.push({ ...last, opposition: d });
            }
          }
          person.cards.push({ serial, start: d, end: d + CARD_VALIDITY_DAYS, idNat: person.idNat });
        }
      }
    }
  }

  /** A situation in an establishment that has closed ends with it. */
  #closeAtClosedEstablishments(person: Practitioner): void {
    const day = this.world.day;
    for (let i = person.situations.length - 1; i >= 0; i--) {
      const e = person.situations[i]!.establishment;
      if (e && e.closedDay <= day) {
        person.situations.splice(i, 1);
      }
    }
  }

  /** Cards are renewed a few weeks before they expire. */
  #renewExpiredCards(person: Practitioner): void {
    const day = this.world.day;
    const last = person.cards[person.cards.length - 1];
    if (!last || last.end > day + 20) {
      return;
    }
    let card = last;
    while (card.end <= day + 20 && card.serial < 7) {
      const start = card.end - 20;
      card = { serial: card.serial + 1, start, end: start + CARD_VALIDITY_DAYS, idNat: person.idNat };
    }
    person.cards.length = 0;
    person.cards.push(card);
  }
}
