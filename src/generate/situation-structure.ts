/**
 * The structure of a practice situation as the RPPS and MSSanté extracts describe it: its technical id
 * (`F`+FINESS, `C`+SIRET, `R`+RPPS rang, `C`+ADELI rang), identifiers, name and coordinates. A FINESS
 * establishment's coordinates are exactly those of the FINESS file, so the importer can join them.
 */
import { drawAddress, drawPhone, type Address } from './addresses.js';
import { adeliRang, rppsRang } from './identifiers.js';
import { practiceAt } from './practices.js';
import type { Practitioner, Situation, World } from './practitioner.js';
import { Rng } from './prng.js';

export interface StructureFields {
  /** TRE_G07 type of the id (`1` FINESS, `3` SIRET, `4` RPPS rang, `0` ADELI rang). */
  readonly idType: string;
  readonly technicalId: string;
  readonly formerId: string;
  readonly siret: string;
  readonly siren: string;
  readonly finessSite: string;
  readonly finessEj: string;
  readonly raisonSociale: string;
  readonly enseigne: string;
  readonly complement: string;
  readonly address: Address;
  readonly telephone: string;
  readonly telecopie: string;
  readonly email: string;
  /** TRE_R02. */
  readonly secteur: string;
}

const SHOP_PROFESSIONS = new Set([
  'opticien',
  'audioprothesiste',
  'orthopediste-orthesiste',
  'orthoprothesiste',
  'podo-orthesiste',
]);

export function structureOf(world: World, person: Practitioner, s: Situation): StructureFields {
  const e = s.establishment;
  if (e) {
    return {
      idType: '1',
      technicalId: 'F' + e.finess,
      formerId: '1' + e.finess,
      siret: e.siret,
      siren: e.siret.slice(0, 9),
      finessSite: e.finess,
      finessEj: e.entity.finess,
      raisonSociale: e.rs,
      enseigne: '',
      complement: '',
      address: e.address,
      telephone: e.telephone,
      telecopie: e.telecopie,
      email: '',
      secteur: e.category.secteur,
    };
  }
  const key = person.profession.spec.key;
  if (s.practice !== undefined) {
    const pool = world.practices.pools.get(person.profession.spec.practicePool)!;
    const p = practiceAt(world.practices, pool, s.practice);
    const secteur =
      key === 'pharmacien'
        ? s.target.section === 'C'
          ? 'SA31'
          : 'SA32'
        : SHOP_PROFESSIONS.has(key)
          ? 'SA42'
          : /^(SEL|SCM|SISA)/.test(p.name)
            ? 'SA09'
            : 'SA08';
    return {
      idType: '3',
      technicalId: 'C' + p.siret,
      formerId: '3' + p.siret,
      siret: p.siret,
      siren: p.siret.slice(0, 9),
      finessSite: '',
      finessEj: '',
      raisonSociale: p.name,
      enseigne: SHOP_PROFESSIONS.has(key) ? p.name : '',
      complement: '',
      address: p.address,
      telephone: p.telephone,
      telecopie: p.telecopie,
      email: p.email,
      secteur,
    };
  }
  const rng = new Rng(s.addressSeed);
  const address = drawAddress(rng, s.departement);
  const title = person.profession.spec.doctor ? 'CABINET DU DR' : 'CABINET';
  const adeli = person.idType === '0';
  const rang = adeli ? adeliRang(person.id, s.id) : rppsRang(person.id, s.id);
  return {
    idType: adeli ? '0' : '4',
    technicalId: (adeli ? 'C' : 'R') + rang,
    formerId: (adeli ? '0' : '4') + rang,
    siret: '',
    siren: '',
    finessSite: '',
    finessEj: '',
    raisonSociale: `${title} ${person.lastName} ${person.firstName}`,
    enseigne: '',
    complement: rng.chance(0.05) ? rng.pick(['RESIDENCE LE PARC', 'BATIMENT B', '1ER ETAGE']) : '',
    address,
    telephone: rng.chance(0.9) ? drawPhone(rng, address.commune) : '',
    telecopie: rng.chance(0.1) ? drawPhone(rng, address.commune) : '',
    email: '',
    secteur: 'SA07',
  };
}
