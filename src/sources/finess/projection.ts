/**
 * FINESS positions are projected coordinates in the system each `geolocalisation` record names: Lambert-93 in
 * mainland France and Corsica, UTM zones overseas. They become WGS84 longitude/latitude with proj4, from the
 * EPSG definitions below (https://epsg.io). A system we do not know leaves the structure without a position, with
 * a warning, rather than a wrong one.
 */
import proj4 from 'proj4';
import type { Position } from '../../domain/coordonnees.js';
import { PROJECTED_CRS } from './crs.js';

/** EPSG code → proj4 definition, for the systems the FINESS file uses. */
export const FINESS_PROJECTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  PROJECTED_CRS.map((c) => [c.code, c.proj4]),
);

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
