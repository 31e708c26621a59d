// A choropleth map of the 98 municipalities. The shapes come from the build
// (scripts/build-map.mjs → src/generated/municipalities-map.json): DAGI kommuneinddeling
// 1:500.000 from Geodatastyrelsen (now Klimadatastyrelsen), CC BY 4.0, simplified, with
// Bornholm in an inset at the upper right and the Copenhagen area enlarged in a box under it.
//
// Values are put into up to five quantile classes coloured with a sequential, colour-blind-safe
// palette (ColorBrewer YlGnBu). The map is one keyboard stop: when it has focus the arrow keys
// move between neighbouring municipalities, and the line under the map (a live region) names
// the municipality under the pointer or the keyboard with its value.
import { useMemo, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Lang } from '../api';
import { tr } from '../i18n';
import mapData from '../generated/municipalities-map.json';
import './map.css';

export type MunicipalityMapProps = {
  title: string;
  values: Map<string, number | null>;
  format: (value: number) => string;
  lang: Lang;
  highlight?: string[];
  caption?: string;
};

type Shape = { code: string; name: string; d: string; cx: number; cy: number };

const ATTRIBUTION =
  'Kort: Indeholder data fra Geodatastyrelsen (nu Klimadatastyrelsen), DAGI kommuneinddeling 1:500.000 (CC BY 4.0)';

// Five classes, light to dark; fewer classes take evenly spread colours from the same ramp.
const PALETTE = ['#e3f4b4', '#8fd3bd', '#3ba3c6', '#2162a8', '#0f2c78'];
const NO_VALUE = '#d4d8de';

const T = {
  noValue: { da: 'Ingen værdi', en: 'No value' },
  highlighted: { da: 'Fremhævet', en: 'Highlighted' },
  legend: { da: 'Signaturforklaring', en: 'Legend' },
  hint: {
    da: 'Peg på en kommune, eller vælg kortet og brug piletasterne, for at se kommunens værdi.',
    en: 'Point at a municipality, or select the map and use the arrow keys, to see its value.',
  },
  mapLabel: {
    da: 'Kort over de 98 kommuner. Brug piletasterne for at gå mellem kommunerne; værdien vises under kortet.',
    en: 'Map of the 98 municipalities. Use the arrow keys to move between municipalities; the value is shown below the map.',
  },
};

// The centre of each municipality's largest polygon, for arrow-key navigation. The paths are
// "M x y l dx dy … z" with integers (see the build script).
function centreOf(d: string): [number, number] {
  let best: [number, number] = [0, 0];
  let bestArea = -1;
  for (const sub of d.split('z')) {
    const nums = sub.match(/-?\d+/g);
    if (!nums || nums.length < 6) continue;
    const xs: number[] = [];
    const ys: number[] = [];
    let x = Number(nums[0]);
    let y = Number(nums[1]);
    xs.push(x);
    ys.push(y);
    for (let i = 2; i + 1 < nums.length; i += 2) {
      x += Number(nums[i]);
      y += Number(nums[i + 1]);
      xs.push(x);
      ys.push(y);
    }
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      const f = xs[j] * ys[i] - xs[i] * ys[j];
      a += f;
      cx += (xs[j] + xs[i]) * f;
      cy += (ys[j] + ys[i]) * f;
    }
    if (Math.abs(a) > bestArea && a !== 0) {
      bestArea = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

const SHAPES: Shape[] = mapData.municipalities.map((m) => {
  const [cx, cy] = centreOf(m.d);
  return { code: m.code, name: m.name, d: m.d, cx, cy };
});
const BY_CODE = new Map(SHAPES.map((s) => [s.code, s]));
const FRAME = mapData.insetFrame;
const ZOOM = mapData.zoom;
const zoomTransform =
  `translate(${ZOOM.frame.x} ${ZOOM.frame.y}) scale(${ZOOM.scale}) ` +
  `translate(${-ZOOM.source.x} ${-ZOOM.source.y})`;

type Classes = { thresholds: number[]; colours: string[]; ranges: { min: number; max: number }[] };

// Quantile classes: thresholds t1 < t2 < … (a value v is in class i when t(i-1) < v ≤ t(i)).
// Tied values always share a class, so few distinct values give fewer classes.
function classify(values: Map<string, number | null>): Classes {
  const sorted = [...values.entries()]
    .filter(([code, v]) => BY_CODE.has(code) && v !== null && Number.isFinite(v))
    .map(([, v]) => v as number)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return { thresholds: [], colours: [], ranges: [] };
  const n = sorted.length;
  const max = sorted[n - 1];
  const thresholds: number[] = [];
  for (let k = 1; k < 5; k++) {
    const t = sorted[Math.max(0, Math.ceil((k * n) / 5) - 1)];
    if (t < max && (thresholds.length === 0 || t > thresholds[thresholds.length - 1])) thresholds.push(t);
  }
  const count = thresholds.length + 1;
  const colours = Array.from({ length: count }, (_, i) =>
    PALETTE[count === 1 ? 2 : Math.round((i * (PALETTE.length - 1)) / (count - 1))],
  );
  const ranges = colours.map(() => ({ min: Infinity, max: -Infinity }));
  for (const v of sorted) {
    const r = ranges[classIndex(thresholds, v)];
    r.min = Math.min(r.min, v);
    r.max = Math.max(r.max, v);
  }
  return { thresholds, colours, ranges };
}

function classIndex(thresholds: number[], v: number): number {
  let i = 0;
  while (i < thresholds.length && v > thresholds[i]) i++;
  return i;
}

const KEY_DIRECTIONS: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

// The nearest municipality in a direction, preferring the ones straight ahead.
function neighbour(from: Shape, [dx, dy]: [number, number]): Shape | undefined {
  let best: Shape | undefined;
  let bestScore = Infinity;
  for (const s of SHAPES) {
    if (s === from) continue;
    const vx = s.cx - from.cx;
    const vy = s.cy - from.cy;
    const along = vx * dx + vy * dy;
    if (along <= 0) continue;
    const across = Math.abs(vx * dy - vy * dx);
    if (across > along * 2) continue;
    const score = along + across * 2.5;
    if (score < bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

export function MunicipalityMap(props: MunicipalityMapProps) {
  const { title, values, format, lang, caption } = props;
  const highlight = useMemo(() => new Set(props.highlight ?? []), [props.highlight]);
  const classes = useMemo(() => classify(values), [values]);
  const [active, setActive] = useState<string | null>(null);
  const [infoId] = useState(() => `jm-info-${Math.random().toString(36).slice(2, 9)}`);

  const valueOf = (code: string): number | null => {
    const v = values.get(code);
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };
  const colourOf = (code: string): string => {
    const v = valueOf(code);
    return v === null ? NO_VALUE : classes.colours[classIndex(classes.thresholds, v)];
  };
  const valueText = (code: string): string => {
    const v = valueOf(code);
    return v === null ? tr(T.noValue, lang) : format(v);
  };
  const anyMissing = SHAPES.some((s) => valueOf(s.code) === null);

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<SVGSVGElement>) => {
    const direction = KEY_DIRECTIONS[event.key];
    if (direction) {
      event.preventDefault();
      const from = BY_CODE.get(active ?? '') ?? BY_CODE.get('101');
      if (!from) return;
      if (!active) return setActive(from.code);
      const next = neighbour(from, direction);
      if (next) setActive(next.code);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const sorted = [...SHAPES].sort((a, b) => a.name.localeCompare(b.name, 'da'));
      setActive((event.key === 'Home' ? sorted[0] : sorted[sorted.length - 1]).code);
    } else if (event.key === 'Escape') {
      setActive(null);
    }
  };
  const onFocus = () => {
    if (!active) setActive(props.highlight?.find((c) => BY_CODE.has(c)) ?? '101');
  };
  const onPointerOver = (event: JSX.TargetedPointerEvent<SVGGElement>) => {
    const code = (event.target as Element).getAttribute('data-code');
    if (code) setActive(code);
  };

  const activeShape = active ? BY_CODE.get(active) : undefined;
  const highlighted = SHAPES.filter((s) => highlight.has(s.code));

  // The municipalities with highlight and pointer/keyboard outline: drawn once for the map and
  // once, enlarged and clipped, for the Copenhagen box.
  const layers = (prefix: string) => (
    <>
      <g class="jm-map__areas" onPointerOver={onPointerOver}>
        {SHAPES.map((s) => (
          <path key={`${prefix}${s.code}`} d={s.d} fill={colourOf(s.code)} data-code={s.code}>
            <title>{`${s.name}: ${valueText(s.code)}`}</title>
          </path>
        ))}
      </g>
      <g class="jm-map__highlight" aria-hidden="true">
        {highlighted.map((s) => (
          <path key={`${prefix}h${s.code}`} d={s.d} class="jm-map__halo" />
        ))}
        {highlighted.map((s) => (
          <path key={`${prefix}l${s.code}`} d={s.d} class="jm-map__line" />
        ))}
      </g>
      {activeShape && (
        <g class="jm-map__active" aria-hidden="true">
          <path d={activeShape.d} class="jm-map__active-halo" />
          <path d={activeShape.d} class="jm-map__active-line" />
        </g>
      )}
    </>
  );

  const rangeText = (r: { min: number; max: number }) => {
    const a = format(r.min);
    const b = format(r.max);
    return a === b ? a : `${a} – ${b}`;
  };

  return (
    <figure class="jm-map">
      <figcaption class="jm-map__title">{title}</figcaption>
      <div class="jm-map__body">
        <div class="jm-map__canvas">
          <svg
            viewBox={mapData.viewBox}
            role="img"
            aria-label={`${title}. ${tr(T.mapLabel, lang)}`}
            aria-describedby={infoId}
            tabIndex={0}
            onKeyDown={onKeyDown}
            onFocus={onFocus}
            onPointerLeave={() => setActive(null)}
          >
            <defs>
              <clipPath id={`${infoId}-clip`}>
                <rect x={ZOOM.frame.x} y={ZOOM.frame.y} width={ZOOM.frame.w} height={ZOOM.frame.h} />
              </clipPath>
            </defs>
            {layers('m')}
            <rect class="jm-map__source" x={ZOOM.source.x} y={ZOOM.source.y} width={ZOOM.source.w} height={ZOOM.source.h} />
            <rect class="jm-map__inset" x={FRAME.x} y={FRAME.y} width={FRAME.w} height={FRAME.h} />
            <rect class="jm-map__zoom-paper" x={ZOOM.frame.x} y={ZOOM.frame.y} width={ZOOM.frame.w} height={ZOOM.frame.h} />
            <g clip-path={`url(#${infoId}-clip)`}>
              <g transform={zoomTransform}>{layers('z')}</g>
            </g>
            <rect class="jm-map__inset" x={ZOOM.frame.x} y={ZOOM.frame.y} width={ZOOM.frame.w} height={ZOOM.frame.h} />
          </svg>
        </div>
        <div class="jm-map__legend" role="group" aria-label={tr(T.legend, lang)}>
          <ul>
            {classes.ranges.map((r, i) => (
              <li key={i}>
                <span class="jm-map__swatch" style={{ background: classes.colours[i] }} aria-hidden="true" />
                {rangeText(r)}
              </li>
            ))}
            {anyMissing && (
              <li>
                <span class="jm-map__swatch" style={{ background: NO_VALUE }} aria-hidden="true" />
                {tr(T.noValue, lang)}
              </li>
            )}
            {highlighted.length > 0 && (
              <li>
                <span class="jm-map__swatch jm-map__swatch--highlight" aria-hidden="true" />
                {tr(T.highlighted, lang)}
              </li>
            )}
          </ul>
        </div>
      </div>
      <p class="jm-map__info" id={infoId} aria-live="polite">
        {activeShape ? (
          <>
            <span class="jm-map__swatch" style={{ background: colourOf(activeShape.code) }} aria-hidden="true" />
            <strong>{activeShape.name}</strong>
            {`: ${valueText(activeShape.code)}`}
            {highlight.has(activeShape.code) && <span class="jm-map__tag">{tr(T.highlighted, lang)}</span>}
          </>
        ) : (
          <span class="jm-map__hint">{tr(T.hint, lang)}</span>
        )}
      </p>
      {caption && <p class="jm-map__caption">{caption}</p>}
      <p class="jm-map__attribution">{ATTRIBUTION}</p>
    </figure>
  );
}
