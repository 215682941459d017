/**
 * Private practices with a SIRET (group practices, shops, companies): the `C` structures of professionals'
 * situations. Each profession that owns practices has a pool sized from how many situations it expects there;
 * a practice's details are recomputed from its index, and only its département is kept to find practices near a
 * person (a few bytes each).
 */
import { drawAddress, drawPhone, type Address } from './addresses.js';
import type { Departement, Geography } from './geography.js';
import { siretOf, sirenOf } from './identifiers.js';
import { surname } from './names.js';
import { Purpose, rngFor } from './prng.js';
import type { Population } from './population.js';
import { mailPart, postalCityName, stripAccents } from './text.js';

/** Situations per person, on average (see practitioner.ts). */
const SITUATIONS_PER_PERSON = 1.2;

export interface Practice {
  readonly index: number;
  readonly siret: string;
  readonly name: string;
  readonly address: Address;
  readonly telephone: string;
  readonly telecopie: string;
  readonly email: string;
}

export interface PracticePool {
  readonly offset: number;
  readonly size: number;
  readonly names: readonly string[];
  readonly byDepartement: ReadonlyMap<string, Int32Array>;
}

export interface Practices {
  readonly pools: ReadonlyMap<string, PracticePool>;
  readonly geography: Geography;
  readonly seed: number;
}

export function buildPractices(seed: number, pop: Population, geography: Geography): Practices {
  const expected = new Map<string, number>();
  for (const p of pop.professions) {
    const total = p.spec.targets.reduce((s, t) => s + t.weight, 0);
    const c = p.spec.targets.filter((t) => t.kind === 'C').reduce((s, t) => s + t.weight, 0);
    if (c > 0) {
      expected.set(
        p.spec.practicePool,
        (expected.get(p.spec.practicePool) ?? 0) + (p.count * SITUATIONS_PER_PERSON * c) / total,
      );
    }
  }
  const pools = new Map<string, PracticePool>();
  let offset = 0;
  for (const p of pop.professions) {
    const n = expected.get(p.spec.key);
    if (n === undefined || pools.has(p.spec.key)) {
      continue;
    }
    const size = Math.max(1, Math.round(n / p.spec.practiceSize));
    const lists = new Map<string, number[]>();
    for (let i = 0; i < size; i++) {
      const dep = practiceDepartement(seed, geography, offset + i).code;
      const list = lists.get(dep) ?? [];
      list.push(offset + i);
      lists.set(dep, list);
    }
    pools.set(p.spec.key, {
      offset,
      size,
      names: p.spec.practiceNames.length ? p.spec.practiceNames : ['CABINET {NOM}'],
      byDepartement: new Map([...lists].map(([k, v]) => [k, Int32Array.from(v)])),
    });
    offset += size;
  }
  return { pools, geography, seed };
}

const practiceDepartement = (seed: number, geography: Geography, index: number): Departement =>
  geography.departements.draw(rngFor(seed, Purpose.PRACTICE, index));

/** The practice at global `index` of `pool`, recomputed from the seed. */
export function practiceAt(practices: Practices, pool: PracticePool, index: number): Practice {
  const rng = rngFor(practices.seed, Purpose.PRACTICE, index);
  const departement = practices.geography.departements.draw(rng);
  const address = drawAddress(rng, departement);
  const nom = stripAccents(surname(practices.seed, rng));
  const name = rng
    .pick(pool.names)
    .replace('{NOM}', nom)
    .replace('{COMMUNE}', postalCityName(address.commune.nom))
    .replace('{VOIE}', address.voie);
  const siren = sirenOf(rng.chance(0.5) ? 8 : 9, index);
  return {
    index,
    siret: siretOf(siren, 10 + rng.int(20)),
    name,
    address,
    telephone: drawPhone(rng, address.commune),
    telecopie: rng.chance(0.25) ? drawPhone(rng, address.commune) : '',
    email: rng.chance(0.12)
      ? `${mailPart(name).slice(0, 24)}@${rng.pick(['orange.fr', 'wanadoo.fr', 'gmail.com', 'free.fr'])}`
      : '',
  };
}
