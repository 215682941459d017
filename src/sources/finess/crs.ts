/**
 * The projected coordinate systems of the FINESS geolocalisation records, as proj4 definitions, and which one
 * each département uses: Lambert-93 in mainland France and Corsica, UTM zones overseas. The `label` is the
 * CRS text the real file writes in `sourcecoordet` (`1,ATLASANTE,96,BAN,<label>`).
 * The importer projects these coordinates back to WGS84 (projection.ts); the generator writes them.
 * Definitions from https://epsg.io.
 */

export interface ProjectedCrs {
  readonly code: string;
  readonly proj4: string;
  readonly label: string;
}

export const LAMBERT_93: ProjectedCrs = {
  code: 'EPSG:2154',
  proj4:
    '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  label: 'EPSG:2154 RGF93 / Lambert-93 (Métropole)',
};

export const UTM_20N_ANTILLES: ProjectedCrs = {
  code: 'EPSG:5490',
  proj4: '+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  label: 'EPSG:5490 RGAF09/UTM Zone 20N (Antilles)',
};

export const UTM_22N_GUYANE: ProjectedCrs = {
  code: 'EPSG:2972',
  proj4: '+proj=utm +zone=22 +ellps=GRS80 +towgs84=2,2,-2,0,0,0,0 +units=m +no_defs +type=crs',
  label: 'EPSG:2972 RGFG95/UTM Zone 22N (Guyane)',
};

export const UTM_40S_REUNION: ProjectedCrs = {
  code: 'EPSG:2975',
  proj4: '+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  label: 'EPSG:2975 RGR92/UTM Zone 40S (Réunion)',
};

export const UTM_38S_MAYOTTE: ProjectedCrs = {
  code: 'EPSG:4471',
  proj4: '+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  label: 'EPSG:4471 RGM04/UTM Zone 38S (Mayotte)',
};

export const UTM_21N_SPM: ProjectedCrs = {
  code: 'EPSG:32621',
  proj4: '+proj=utm +zone=21 +datum=WGS84 +units=m +no_defs +type=crs',
  label: 'EPSG:32621 WGS 84/UTM Zone 21N (Saint-Pierre-et-Miquelon)',
};

export const PROJECTED_CRS: readonly ProjectedCrs[] = [
  LAMBERT_93,
  UTM_20N_ANTILLES,
  UTM_22N_GUYANE,
  UTM_40S_REUNION,
  UTM_38S_MAYOTTE,
  UTM_21N_SPM,
];

/** The system a département's positions are published in (INSEE département code: `01`, `2A`, `971`…). */
export function crsOfDepartement(departement: string): ProjectedCrs {
  switch (departement) {
    case '971':
    case '972':
      return UTM_20N_ANTILLES;
    case '973':
      return UTM_22N_GUYANE;
    case '974':
      return UTM_40S_REUNION;
    case '976':
      return UTM_38S_MAYOTTE;
    case '975':
      return UTM_21N_SPM;
    default:
      return LAMBERT_93;
  }
}

/** The CRS a `sourcecoordet` text names (`…,EPSG:5490 RGAF09/…`), if any. */
export function crsOfSourceText(sourcecoordet: string): ProjectedCrs | undefined {
  const code = /EPSG:(\d+)/.exec(sourcecoordet)?.[0];
  return PROJECTED_CRS.find((c) => c.code === code);
}
