#!/usr/bin/env node
// Draws the Marketplace icon, resources/icon.png (128x128), from the same
// shapes as resources/datadog-wif.svg (a shield holding a key) on Datadog's
// purple: no image tool needed, only node:zlib to write the PNG.
//   node scripts/make-icon.mjs

import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4; // samples per pixel side, for smooth edges
const S = SIZE / 24; // the SVG's 24-unit box onto the icon
const PURPLE = [0x63, 0x2c, 0xa6];
const WHITE = [0xff, 0xff, 0xff];

function cubic(p0, p1, p2, p3, n) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const t = i / n, u = 1 - t;
    out.push([0, 1].map((k) => u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k]));
  }
  return out;
}
// The shield of the SVG: M12 2.5 4.5 5.5v6c0 4.6 3.1 8.4 7.5 10 4.4-1.6 7.5-5.4 7.5-10v-6z, grown a little to fill the icon.
const left = [[12, 2.5], [4.5, 5.5], [4.5, 11.5], ...cubic([4.5, 11.5], [4.5, 16.1], [7.6, 19.9], [12, 21.5], 16)];
const shield = [...left, ...left.slice(1, -1).reverse().map(([x, y]) => [24 - x, y])].map(([x, y]) => [12 + (x - 12) * 1.12, 12 + (y - 12) * 1.12 - 0.1]);

function inPolygon(x, y, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** The colour at a point of the 24-unit box, and whether it is inside the rounded tile at all. */
function sample(x, y) {
  const r = 4.5; // the tile's corner radius
  const cx = Math.min(Math.max(x, r), 24 - r), cy = Math.min(Math.max(y, r), 24 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return undefined;
  if (!inPolygon(x, y, shield)) return PURPLE;
  // The key: a ring, a stem and two teeth, in purple on the white shield.
  const d = Math.hypot(x - 12, y - 9.3);
  if (d <= 3.3 && d >= 1.6) return PURPLE;
  if (inRect(x, y, 11.2, 12.3, 12.8, 18.6) || inRect(x, y, 12, 14.6, 14.8, 16) || inRect(x, y, 12, 17.2, 14.2, 18.6)) return PURPLE;
  return WHITE;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample((px + (sx + 0.5) / SS) / S, (py + (sy + 0.5) / SS) / S);
        if (!c) continue;
        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 1;
      }
    }
    const o = 1 + px * 4;
    if (acc[3]) for (let k = 0; k < 3; k++) row[o + k] = Math.round(acc[k] / acc[3]);
    row[o + 3] = Math.round((255 * acc[3]) / (SS * SS));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
