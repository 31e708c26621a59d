#!/usr/bin/env node
// Builds the Databank's municipality map from catalog/areas/municipalities.geojson (DAGI
// kommuneinddeling 1:500.000, WGS84) into web/src/generated/municipalities-map.json:
//
//   { "viewBox": "0 0 W H",
//     "municipalities": [{ "code": "101", "name": "København", "d": "M…z" }, …],
//     "insetFrame": { "x": …, "y": …, "w": …, "h": … },
//     "zoom": { "source": {x, y, w, h}, "frame": {x, y, w, h}, "scale": … } }
//
// Steps: drop Christiansø (411); project equirectangularly (x = lon·cos 56°, y = −lat);
// cut every ring into arcs at the points where neighbouring municipalities meet, so that a
// shared border is simplified once and both neighbours get exactly the same line (no gaps,
// no overlaps); simplify each arc with Douglas–Peucker; drop islands below an area threshold
// but always keep each municipality's largest polygon; move Bornholm (400) into a framed
// inset at the upper right; define an enlarged box of the Copenhagen area under it; quantize
// to integers; write paths with relative commands.
// Plain Node, no dependencies. Attribution wherever shown: "Indeholder data fra
// Geodatastyrelsen (nu Klimadatastyrelsen), DAGI kommuneinddeling 1:500.000" (CC BY 4.0).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = resolve(here, '../../catalog/areas/municipalities.geojson');
const TARGET = resolve(here, '../src/generated/municipalities-map.json');

const WIDTH = 800; // approximate width of the viewBox in map units
const MARGIN = 6; // empty border around the map, in map units
const TOLERANCE = 0.55; // Douglas–Peucker tolerance, in map units
const MIN_ISLAND_AREA = 6; // islands smaller than this (map units², ≈ 0.8 km²) are dropped
const DROPPED = new Set([411]); // Christiansø: not a municipality
const BORNHOLM = 400;
const INSET_PAD = 9; // space between Bornholm and its frame, in map units
const INSET_GAP = 4; // space between the frame and the map's top and right edge
// The Copenhagen area, where municipalities are a few kilometres across, is repeated
// enlarged in a second framed box under Bornholm's (lon/lat bounds, and the enlargement).
const ZOOM_AREA = { lon0: 12.23, lon1: 12.71, lat0: 55.55, lat1: 55.83 };
const ZOOM_SCALE = 2.25;

const started = process.hrtime.bigint();
const geojson = JSON.parse(readFileSync(SOURCE, 'utf8'));
const COS = Math.cos((56 * Math.PI) / 180);

// ---- Features and rings -------------------------------------------------------------------
// ring: { keys: string[] (source coordinates, for topology), pts: [x, y][] (projected) }
const features = [];
for (const feature of geojson.features) {
  const code = Number(feature.properties.code);
  if (DROPPED.has(code)) continue;
  const geometry = feature.geometry;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  features.push({
    code,
    name: String(feature.properties.KOMNAVN),
    polygons: polygons.map((rings) =>
      rings.map((ring) => {
        const coords = ring.slice();
        const [a, b] = [coords[0], coords[coords.length - 1]];
        if (coords.length > 1 && a[0] === b[0] && a[1] === b[1]) coords.pop();
        return {
          keys: coords.map((c) => `${c[0]},${c[1]}`),
          pts: coords.map((c) => [c[0] * COS, -c[1]]),
        };
      }),
    ),
  });
}
if (features.length !== 98) throw new Error(`expected 98 municipalities, got ${features.length}`);

// ---- Scale to map units; Bornholm moved into the inset --------------------------------------
function bbox(points) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}
const pointsOf = (list) => list.flatMap((f) => f.polygons.flatMap((p) => p.flatMap((r) => r.pts)));
const main = bbox(pointsOf(features.filter((f) => f.code !== BORNHOLM)));
const scale = (WIDTH - 2 * MARGIN) / (main.x1 - main.x0);
const W = Math.round(WIDTH);
const H = Math.round((main.y1 - main.y0) * scale + 2 * MARGIN);
const toMap = ([x, y]) => [(x - main.x0) * scale + MARGIN, (y - main.y0) * scale + MARGIN];
for (const f of features) for (const p of f.polygons) for (const r of p) r.pts = r.pts.map(toMap);

const bornholm = features.find((f) => f.code === BORNHOLM);
const bb = bbox(pointsOf([bornholm]));
const frameW = Math.round(bb.x1 - bb.x0 + 2 * INSET_PAD);
const frameH = Math.round(bb.y1 - bb.y0 + 2 * INSET_PAD);
const insetFrame = { x: W - INSET_GAP - frameW, y: INSET_GAP, w: frameW, h: frameH };
const dx = insetFrame.x + INSET_PAD - bb.x0 + (frameW - 2 * INSET_PAD - (bb.x1 - bb.x0)) / 2;
const dy = insetFrame.y + INSET_PAD - bb.y0 + (frameH - 2 * INSET_PAD - (bb.y1 - bb.y0)) / 2;
for (const p of bornholm.polygons) for (const r of p) r.pts = r.pts.map(([x, y]) => [x + dx, y + dy]);

const [zx0, zy0] = toMap([ZOOM_AREA.lon0 * COS, -ZOOM_AREA.lat1]);
const [zx1, zy1] = toMap([ZOOM_AREA.lon1 * COS, -ZOOM_AREA.lat0]);
const zoomSource = { x: Math.round(zx0), y: Math.round(zy0), w: Math.round(zx1 - zx0), h: Math.round(zy1 - zy0) };
const zoomW = Math.round(zoomSource.w * ZOOM_SCALE);
const zoomH = Math.round(zoomSource.h * ZOOM_SCALE);
const zoom = {
  source: zoomSource,
  frame: { x: W - INSET_GAP - zoomW, y: insetFrame.y + insetFrame.h + 10, w: zoomW, h: zoomH },
};
zoom.scale = zoomW / zoomSource.w;
{
  const f = zoom.frame;
  for (const m of features) {
    if (m.code === BORNHOLM) continue;
    const hit = m.polygons.some((p) =>
      p[0].pts.some(([x, y]) => x > f.x - 2 && x < f.x + f.w + 2 && y > f.y - 2 && y < f.y + f.h + 2),
    );
    if (hit) console.warn(`build-map: the Copenhagen box covers part of ${m.name} (${m.code})`);
  }
}

// ---- Islands: drop the small ones, keep every municipality's largest polygon ----------------
function ringArea(pts) {
  let sum = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    sum += (pts[j][0] + pts[i][0]) * (pts[j][1] - pts[i][1]);
  }
  return Math.abs(sum) / 2;
}
for (const f of features) {
  const areas = f.polygons.map((p) => ringArea(p[0].pts));
  const largest = areas.indexOf(Math.max(...areas));
  f.polygons = f.polygons
    .filter((_, i) => i === largest || areas[i] >= MIN_ISLAND_AREA)
    .map((rings) => [rings[0], ...rings.slice(1).filter((hole) => ringArea(hole.pts) >= MIN_ISLAND_AREA)]);
}

// ---- Topology: junctions are points where the set of neighbouring rings changes -------------
const allRings = features.flatMap((f) => f.polygons.flat());
const neighbours = new Map(); // key → "prev|next" (unordered) first seen
const junction = new Set();
for (const ring of allRings) {
  const n = ring.keys.length;
  for (let i = 0; i < n; i++) {
    const k = ring.keys[i];
    const a = ring.keys[(i + n - 1) % n];
    const b = ring.keys[(i + 1) % n];
    const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
    const seen = neighbours.get(k);
    if (seen === undefined) neighbours.set(k, pair);
    else if (seen !== pair) junction.add(k);
  }
}
// A ring without junctions (an island, or Frederiksberg inside København) is cut at its
// smallest key, which its twin ring (if any) shares, so both simplify the same way.
for (const ring of allRings) {
  if (!ring.keys.some((k) => junction.has(k))) {
    junction.add(ring.keys.reduce((m, k) => (k < m ? k : m)));
  }
}

// ---- Douglas–Peucker on arcs, cached by the arc's canonical direction -----------------------
function segmentDistance2([px, py], [ax, ay], [bx, by]) {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 === 0 ? 0 : ((px - ax) * vx + (py - ay) * vy) / len2;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * vx - px;
  const ey = ay + t * vy - py;
  return ex * ex + ey * ey;
}
function farthest(pts, first, last) {
  let best = -1;
  let bestD = -1;
  for (let i = first + 1; i < last; i++) {
    const d = segmentDistance2(pts[i], pts[first], pts[last]);
    if (d > bestD) {
      bestD = d;
      best = i;
    }
  }
  return [best, bestD];
}
function douglasPeucker(pts, keep, first, last, tol2) {
  const stack = [[first, last]];
  while (stack.length) {
    const [a, b] = stack.pop();
    if (b - a < 2) continue;
    const [i, d] = farthest(pts, a, b);
    if (d > tol2) {
      keep[i] = 1;
      stack.push([a, i], [i, b]);
    }
  }
}
// Simplifies one arc (points from junction to junction, both kept). Every arc keeps at least
// its farthest interior point, a closed arc at least two, so no ring collapses to a line.
function simplifyArc(pts) {
  const n = pts.length;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const tol2 = TOLERANCE * TOLERANCE;
  if (n <= 2) return pts;
  const closed = pts[0][0] === pts[n - 1][0] && pts[0][1] === pts[n - 1][1];
  if (closed) {
    let far = 1;
    let farD = -1;
    for (let i = 1; i < n - 1; i++) {
      const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
      if (d > farD) [far, farD] = [i, d];
    }
    keep[far] = 1;
    for (const [a, b] of [[0, far], [far, n - 1]]) {
      const [i] = farthest(pts, a, b);
      if (i > 0) keep[i] = 1;
      douglasPeucker(pts, keep, a, b, tol2);
    }
  } else {
    const [i] = farthest(pts, 0, n - 1);
    if (i > 0) keep[i] = 1;
    douglasPeucker(pts, keep, 0, n - 1, tol2);
  }
  return pts.filter((_, i) => keep[i]);
}
const arcCache = new Map();
function simplifiedArc(keys, pts) {
  const n = keys.length;
  let reversed = keys[0] > keys[n - 1] || (keys[0] === keys[n - 1] && n > 2 && keys[1] > keys[n - 2]);
  const ck = reversed ? keys.slice().reverse() : keys;
  const id = ck.join(';');
  let result = arcCache.get(id);
  if (!result) {
    result = simplifyArc(reversed ? pts.slice().reverse() : pts);
    arcCache.set(id, result);
  }
  return reversed ? result.slice().reverse() : result;
}
function simplifyRing(ring) {
  const n = ring.keys.length;
  const start = ring.keys.findIndex((k) => junction.has(k));
  const out = [];
  let arcKeys = [ring.keys[start]];
  let arcPts = [ring.pts[start]];
  for (let s = 1; s <= n; s++) {
    const i = (start + s) % n;
    arcKeys.push(ring.keys[i]);
    arcPts.push(ring.pts[i]);
    if (junction.has(ring.keys[i])) {
      const arc = simplifiedArc(arcKeys, arcPts);
      for (let j = out.length ? 1 : 0; j < arc.length; j++) out.push(arc[j]);
      arcKeys = [ring.keys[i]];
      arcPts = [ring.pts[i]];
    }
  }
  out.pop(); // the closing point repeats the first
  return out;
}

// ---- Quantize and write ----------------------------------------------------------------------
function ringPath(pts) {
  const q = [];
  for (const [x, y] of pts) {
    const p = [Math.round(x), Math.round(y)];
    const last = q[q.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) q.push(p);
  }
  while (q.length > 1 && q[0][0] === q[q.length - 1][0] && q[0][1] === q[q.length - 1][1]) q.pop();
  if (q.length < 3) return null;
  const num = (v, first) => (v < 0 ? `${v}` : first ? `${v}` : ` ${v}`);
  let d = `M${q[0][0]} ${q[0][1]}l`;
  for (let i = 1; i < q.length; i++) {
    d += num(q[i][0] - q[i - 1][0], i === 1) + num(q[i][1] - q[i - 1][1], false);
  }
  return `${d}z`;
}

let points = 0;
const municipalities = features
  .sort((a, b) => a.code - b.code)
  .map((f) => {
    let d = '';
    for (const polygon of f.polygons) {
      const outer = ringPath(simplifyRing(polygon[0]));
      if (!outer) continue;
      d += outer;
      for (const hole of polygon.slice(1)) d += ringPath(simplifyRing(hole)) ?? '';
    }
    points += (d.match(/-?\d+/g) ?? []).length / 2;
    if (!d) throw new Error(`municipality ${f.code} vanished`);
    return { code: String(f.code), name: f.name, d };
  });

const json = JSON.stringify({ viewBox: `0 0 ${W} ${H}`, municipalities, insetFrame, zoom });
mkdirSync(dirname(TARGET), { recursive: true });
writeFileSync(TARGET, `${json}\n`);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(
  `build-map: ${municipalities.length} municipalities, ${Math.round(points)} points, ` +
    `${(json.length / 1024).toFixed(1)} KB → src/generated/municipalities-map.json (${ms.toFixed(0)} ms)`,
);
