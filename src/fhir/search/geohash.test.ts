import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { coveringCells, distanceKm, geohash } from './geohash.js';

describe('geohash', () => {
  it('encodes known positions', () => {
    // Reference values: https://en.wikipedia.org/wiki/Geohash (57.64911, 10.40744 → u4pruydqqvj).
    assert.equal(geohash(57.64911, 10.40744, 11), 'u4pruydqqvj');
    assert.equal(geohash(48.8566, 2.3522, 5), 'u09tv');
  });

  it('covers every point of a circle with the cells it gives', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: 0.05, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lat, lon, radius, angle, fraction) => {
          const cells = coveringCells(lat, lon, radius);
          // A point inside the circle, by a small-distance approximation kept inside the radius.
          const d = radius * fraction * 0.99;
          const pLat = lat + (d / 111.32) * Math.cos(angle);
          const pLon = lon + (d / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.sin(angle);
          if (distanceKm(lat, lon, pLat, pLon) > radius) {
            return;
          }
          const h = geohash(pLat, pLon);
          assert.ok(
            cells.some((c) => h.startsWith(c)),
            `${pLat},${pLon} not in ${cells.join(',')}`,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('measures distances', () => {
    // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km.
    assert.ok(Math.abs(distanceKm(48.853, 2.3499, 45.7578, 4.832) - 392) < 3);
  });
});
