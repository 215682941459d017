/**
 * FINESS positions are projected coordinates in the system each `geolocalisation` record names: Lambert-93 in
 * mainland France and Corsica, UTM zones overseas. They become WGS84 longitude/latitude with proj4, from the
 * EPSG definitions below (https://epsg.io). A system we do not know leaves the structure without a position, with
 * a warning, rather than a wrong one.
 */
import proj4 from 'proj4';
import type { Position } from '../../domain/coordonnees.js';

const GRS80 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

/** EPSG code → proj4 definition, for the systems the FINESS file uses. */
export const FINESS_PROJECTIONS: Readonly<Record<string, string>> = {
  // RGF93 v1 / Lambert-93 (mainland France, Corsica)
  'EPSG:2154': `+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 ${GRS80}`,
  // RGAF09 / UTM zone 20N (Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy)
  'EPSG:5490': `+proj=utm +zone=20 ${GRS80}`,
  // RGFG95 / UTM zone 22N (Guyane)
  'EPSG:2972': `+proj=utm +zone=22 ${GRS80}`,
  // RGR92 / UTM zone 40S (La Réunion)
  'EPSG:2975': `+proj=utm +zone=40 +south ${GRS80}`,
  // RGM04 / UTM zone 38S (Mayotte)
  'EPSG:4471': `+proj=utm +zone=38 +south ${GRS80}`,
  // WGS 84 / UTM zone 21N (Saint-Pierre-et-Miquelon)
  'EPSG:32621': '+proj=utm +zone=21 +datum=WGS84 +units=m +no_defs',
};

/** Older records name the system in words (`…,IGN,BD_ADRESSE,V2.2,LAMBERT_93`). */
const NAMED: Readonly<Record<string, string>> = {
  LAMBERT_93: 'EPSG:2154',
  UTM_N20: 'EPSG:5490',
  UTM_N22: 'EPSG:2972',
  UTM_S40: 'EPSG:2975',
  UTM_S38: 'EPSG:4471',
  UTM_N21: 'EPSG:32621',
};

/** The EPSG code a `sourcecoordet` names, or undefined. */
export function projectionOf(source: string): string | undefined {
  const epsg = /EPSG:(\d+)/.exec(source);
  if (epsg) {
    return `EPSG:${epsg[1]}`;
  }
  const named = Object.keys(NAMED).find((k) => source.toUpperCase().includes(k));
  return named === undefined ? undefined : NAMED[named];
}

export type Projector = (x: number, y: number, epsg: string) => Position | undefined;

/** A projector with its converters built once (proj4 parses a definition each time it is given one). */
export function wgs84Projector(): Projector {
  const converters = new Map<string, proj4.Converter>();
  for (const [code, def] of Object.entries(FINESS_PROJECTIONS)) {
    converters.set(code, proj4(def, 'WGS84'));
  }
  return (x, y, epsg) => {
    const converter = converters.get(epsg);
    if (!converter || !Number.isFinite(x) || !Number.isFinite(y)) {
      return undefined;
    }
    const [longitude, latitude] = converter.forward<[number, number]>([x, y]);
    if (!Number.isFinite(longitude) || !Number.isFinite(latitude) || Math.abs(latitude) > 90) {
      return undefined;
    }
    // 7 decimals: about a centimetre, more than the source's precision.
    return { latitude: Math.round(latitude * 1e7) / 1e7, longitude: Math.round(longitude * 1e7) / 1e7 };
  };
}
