/**
 * Geohash cells, so that `near` is served by the string index: a position is indexed as its 9-character cell
 * (about 5 m), and a circle is found as the prefixes of the cells around its centre, then checked exactly.
 * https://en.wikipedia.org/wiki/Geohash
 */
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

export function geohash(latitude: number, longitude: number, precision = 9): string {
  const lat: [number, number] = [-90, 90];
  const lon: [number, number] = [-180, 180];
  let out = '';
  let bits = 0;
  let value = 0;
  let even = true;
  while (out.length < precision) {
    const range = even ? lon : lat;
    const x = even ? longitude : latitude;
    const mid = (range[0] + range[1]) / 2;
    value = value * 2 + (x >= mid ? 1 : 0);
    if (x >= mid) {
      range[0] = mid;
    } else {
      range[1] = mid;
    }
    even = !even;
    if (++bits === 5) {
      out += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return out;
}

/** Height and width in degrees of a cell of this precision. */
function cellSize(precision: number): { height: number; width: number } {
  const bits = precision * 5;
  return { height: 180 / 2 ** Math.floor(bits / 2), width: 360 / 2 ** Math.ceil(bits / 2) };
}

const KM_PER_DEGREE = 111.32;

/** The cells (as prefixes) that together cover a circle: the finest whose cells are wider than the radius. */
export function coveringCells(latitude: number, longitude: number, radiusKm: number): string[] {
  let precision = 1;
  for (let p = 9; p >= 1; p--) {
    const { height, width } = cellSize(p);
    const cos = Math.max(0.01, Math.cos((latitude * Math.PI) / 180));
    if (height * KM_PER_DEGREE >= radiusKm && width * KM_PER_DEGREE * cos >= radiusKm) {
      precision = p;
      break;
    }
  }
  const { height, width } = cellSize(precision);
  // The centre of the centre's cell, then the centres of its eight neighbours (never a cell's edge).
  const cLat = (Math.floor((latitude + 90) / height) + 0.5) * height - 90;
  const cLon = (Math.floor((longitude + 180) / width) + 0.5) * width - 180;
  const cells = new Set<string>();
  for (const dy of [-1, 0, 1]) {
    for (const dx of [-1, 0, 1]) {
      const lat = Math.max(-90, Math.min(90, cLat + dy * height));
      const lon = ((cLon + dx * width + 540) % 360) - 180;
      cells.add(geohash(lat, lon, precision));
    }
  }
  return [...cells];
}

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
