// Line and bar charts for the Databank, drawn as SVG by our own code (no chart library).
// The SVG's viewBox follows the measured width of its container, so text stays 12 px and
// lines stay thin at every size; before the first measurement it scales from 700 px.
// Colours: the Okabe–Ito palette (colour-blind safe), without its yellow.
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { tr, useLang } from '../i18n';
import './charts.css';

export type ChartSeries = { name: string; values: (number | null)[] };

export type LineChartProps = {
  title: string;
  xLabels: string[];
  series: ChartSeries[];
  format: (value: number) => string;
  unitLabel?: string;
};

export type BarChartProps = {
  title: string;
  categories: string[];
  series: ChartSeries[];
  format: (value: number) => string;
  unitLabel?: string;
  highlight?: string[];
};

export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const colourOf = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length];

const T = {
  noValue: { da: 'Ingen værdi', en: 'No value' },
  noData: { da: 'Ingen tal at vise.', en: 'No figures to show.' },
  lineChart: { da: 'Kurvediagram', en: 'Line chart' },
  barChart: { da: 'Søjlediagram', en: 'Bar chart' },
};

const CHAR = 6.8; // average width of a 12 px character, for layout estimates

function textWidth(text: string): number {
  return text.length * CHAR;
}

function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const w = Math.round(element.clientWidth);
      if (w > 0) setWidth((old) => (old === w ? old : w));
    };
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

// "Nice" ticks (1, 2, 2.5, 5 × 10^k) covering [lo, hi]; the step grows until the formatted
// labels differ, so a format with few decimals never shows the same label twice.
function niceTicks(
  lo: number,
  hi: number,
  target: number,
  format: (v: number) => string,
  maxCount = Infinity,
): number[] {
  if (!(hi > lo)) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1;
    if (lo >= 0 && hi >= 0) return niceTicks(0, hi + pad, target, format, maxCount);
    return niceTicks(lo - pad, hi + pad, target, format, maxCount);
  }
  const rough = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const steps = [1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500].map((m) => m * mag).filter((s) => s >= rough * 0.7);
  for (const step of steps) {
    const first = Math.floor(lo / step + 1e-9) * step;
    const last = Math.ceil(hi / step - 1e-9) * step;
    const ticks: number[] = [];
    for (let v = first; v <= last + step * 1e-6; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    const labels = new Set(ticks.map(format));
    if (labels.size === ticks.length && ticks.length <= Math.min(target + 3, Math.max(2, maxCount))) return ticks;
  }
  return [lo, hi];
}

function finite(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

function Legend(props: { series: ChartSeries[]; kind: 'line' | 'bar' }) {
  if (props.series.length < 2) return null;
  return (
    <ul class="jc-legend">
      {props.series.map((s, i) => (
        <li key={i}>
          <span
            class={props.kind === 'line' ? 'jc-legend__line' : 'jc-legend__box'}
            style={{ background: colourOf(i) }}
            aria-hidden="true"
          />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

// ---- Line chart -------------------------------------------------------------------------------

export function LineChart(props: LineChartProps) {
  const { title, xLabels, series, format, unitLabel } = props;
  const lang = useLang();
  const [ref, width] = useWidth(700);
  const [hover, setHover] = useState<number | null>(null);

  const n = xLabels.length;
  const all = useMemo(() => series.flatMap((s) => finite(s.values)), [series]);
  if (n === 0 || all.length === 0) {
    return (
      <figure class="jc-chart">
        <figcaption class="jc-title">{title}</figcaption>
        <p class="jc-empty">{tr(T.noData, lang)}</p>
      </figure>
    );
  }

  const W = Math.max(280, width);
  const H = Math.max(220, Math.min(340, Math.round(W * 0.46)));
  const min = Math.min(...all);
  const max = Math.max(...all);
  const ticks = niceTicks(min >= 0 ? 0 : min, max, H < 260 ? 4 : 5, format);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const tickLabels = ticks.map(format);

  const top = unitLabel ? 26 : 12;
  const bottom = 28;
  const firstLabel = textWidth(xLabels[0]);
  const lastLabel = textWidth(xLabels[n - 1]);
  const left = Math.max(Math.max(...tickLabels.map(textWidth)) + 14, n > 1 ? firstLabel / 2 + 4 : 0, 36);
  const right = Math.max(14, n > 1 ? lastLabel / 2 + 4 : 0);
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const xAt = (i: number) => (n === 1 ? left + plotW / 2 : left + (i * plotW) / (n - 1));
  const yAt = (v: number) => top + plotH - ((v - y0) / (y1 - y0)) * plotH;

  // Thin the x labels so that they do not collide; the latest period always has its label.
  const widest = Math.max(...xLabels.map(textWidth)) + 14;
  const room = n > 1 ? plotW / (n - 1) : plotW;
  const every = Math.max(1, Math.ceil(widest / room));
  const showLabel = (i: number) => (n - 1 - i) % every === 0 && (i === n - 1 || xAt(n - 1) - xAt(i) >= widest);

  const showPoints = n <= 24;
  const paths = series.map((s) => {
    let d = '';
    let open = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || i >= n) {
        open = false;
        return;
      }
      d += `${open ? 'L' : 'M'}${xAt(i).toFixed(1)} ${yAt(v).toFixed(1)}`;
      open = true;
    });
    return d;
  });
  const isolated = (values: (number | null)[], i: number) =>
    (i === 0 || values[i - 1] === null) && (i === n - 1 || values[i + 1] === null);

  const onPointerMove = (event: JSX.TargetedPointerEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - rect.left) * W) / rect.width;
    const i = n === 1 ? 0 : Math.round(((x - left) / plotW) * (n - 1));
    setHover(Math.max(0, Math.min(n - 1, i)));
  };

  const valueText = (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) ? tr(T.noValue, lang) : format(v);

  return (
    <figure class="jc-chart">
      <figcaption class="jc-title">{title}</figcaption>
      <Legend series={series} kind="line" />
      <div class="jc-canvas" ref={ref}>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`${tr(T.lineChart, lang)}: ${title}`}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
        >
          {unitLabel && (
            <text class="jc-unit" x={4} y={12}>
              {unitLabel}
            </text>
          )}
          <g class="jc-grid">
            {ticks.map((t, i) => (
              <g key={i}>
                <line
                  x1={left}
                  x2={W - right}
                  y1={yAt(t)}
                  y2={yAt(t)}
                  class={t === 0 ? 'jc-zero' : undefined}
                />
                <text x={left - 8} y={yAt(t)} dy="0.32em" text-anchor="end">
                  {tickLabels[i]}
                </text>
              </g>
            ))}
          </g>
          <g class="jc-axis">
            {xLabels.map((label, i) =>
              showLabel(i) ? (
                <g key={i}>
                  <line x1={xAt(i)} x2={xAt(i)} y1={top + plotH} y2={top + plotH + 4} />
                  <text x={xAt(i)} y={top + plotH + 17} text-anchor="middle">
                    {label}
                  </text>
                </g>
              ) : null,
            )}
          </g>
          {hover !== null && (
            <line class="jc-guide" x1={xAt(hover)} x2={xAt(hover)} y1={top} y2={top + plotH} />
          )}
          {series.map((s, k) => (
            <g key={k} class="jc-series" style={{ color: colourOf(k) }}>
              <path d={paths[k]} class="jc-line" />
              {s.values.map((v, i) =>
                v === null || !Number.isFinite(v) || i >= n ? null : (
                  <circle
                    key={i}
                    cx={xAt(i)}
                    cy={yAt(v)}
                    r={showPoints || isolated(s.values, i) || hover === i ? 3.5 : 5}
                    class={showPoints || isolated(s.values, i) || hover === i ? 'jc-point' : 'jc-target'}
                  >
                    <title>{`${s.name ? `${s.name}, ` : ''}${xLabels[i]}: ${format(v)}`}</title>
                  </circle>
                ),
              )}
            </g>
          ))}
        </svg>
        {hover !== null && (
          <div
            class={`jc-tooltip${xAt(hover) > W * 0.6 ? ' jc-tooltip--left' : ''}`}
            style={{ left: `${(xAt(hover) / W) * 100}%`, top: `${(top / H) * 100}%` }}
            aria-hidden="true"
          >
            <div class="jc-tooltip__head">{xLabels[hover]}</div>
            {series.map((s, k) => (
              <div key={k} class="jc-tooltip__row">
                <span class="jc-legend__line" style={{ background: colourOf(k) }} />
                {series.length > 1 && <span class="jc-tooltip__name">{s.name}</span>}
                <span class="jc-tooltip__value">{valueText(s.values[hover])}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </figure>
  );
}

// ---- Bar chart (horizontal) -------------------------------------------------------------------

function truncate(text: string, maxWidth: number): string {
  if (textWidth(text) <= maxWidth) return text;
  const chars = Math.max(3, Math.floor(maxWidth / CHAR) - 1);
  return `${text.slice(0, chars).trimEnd()}…`;
}

export function BarChart(props: BarChartProps) {
  const { title, categories, series, format, unitLabel } = props;
  const lang = useLang();
  const [ref, width] = useWidth(700);
  const highlight = useMemo(() => new Set(props.highlight ?? []), [props.highlight]);

  const all = useMemo(() => series.flatMap((s) => finite(s.values)), [series]);
  if (categories.length === 0 || series.length === 0 || all.length === 0) {
    return (
      <figure class="jc-chart">
        <figcaption class="jc-title">{title}</figcaption>
        <p class="jc-empty">{tr(T.noData, lang)}</p>
      </figure>
    );
  }

  const W = Math.max(280, width);
  const k = series.length;
  const barH = k === 1 ? 20 : k === 2 ? 15 : 12;
  const inner = 2;
  const groupGap = k === 1 ? 7 : 12;
  const rowH = k * barH + (k - 1) * inner + groupGap;
  const top = 6;
  const axisH = unitLabel ? 38 : 24;
  const H = top + categories.length * rowH - groupGap + 8 + axisH;

  const min = Math.min(0, ...all);
  const max = Math.max(0, ...all);
  const valueLabels = all.map(format);
  const valueW = Math.max(...valueLabels.map(textWidth), textWidth('–')) + 8;
  const labelW = Math.min(Math.max(...categories.map(textWidth)) + 12, W * 0.36);
  // Tick labels need their own width plus some air; the estimate uses the widest value.
  const roughPlotW = W - labelW - valueW * (min < 0 ? 2 : 1) - 10;
  const maxTicks = Math.floor(roughPlotW / (valueW + 10)) + 1;
  const ticks = niceTicks(min, max, Math.max(3, Math.min(6, Math.floor(W / 120))), format, maxTicks);
  const x0 = ticks[0];
  const x1 = ticks[ticks.length - 1];

  const left = labelW + (min < 0 ? valueW : 0) + 4;
  const right = Math.max(valueW, textWidth(format(x1)) / 2) + 6;
  const plotW = Math.max(40, W - left - right);
  const xAt = (v: number) => left + ((v - x0) / (x1 - x0)) * plotW;
  const zero = xAt(0);
  const plotBottom = top + categories.length * rowH - groupGap + 4;

  return (
    <figure class="jc-chart">
      <figcaption class="jc-title">{title}</figcaption>
      <Legend series={series} kind="bar" />
      <div class="jc-canvas" ref={ref}>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${tr(T.barChart, lang)}: ${title}`}>
          <g class="jc-grid">
            {ticks.map((t, i) => (
              <g key={i}>
                <line x1={xAt(t)} x2={xAt(t)} y1={top - 4} y2={plotBottom} />
                <text x={xAt(t)} y={plotBottom + 16} text-anchor="middle">
                  {format(t)}
                </text>
              </g>
            ))}
          </g>
          {unitLabel && (
            <text class="jc-unit" x={left + plotW / 2} y={plotBottom + 32} text-anchor="middle">
              {unitLabel}
            </text>
          )}
          {categories.map((category, c) => {
            const y = top + c * rowH;
            const strong = highlight.has(category);
            const dim = highlight.size > 0 && !strong;
            return (
              <g key={c} class={strong ? 'jc-row jc-row--highlight' : 'jc-row'}>
                <text class="jc-category" x={labelW} y={y + (rowH - groupGap) / 2} dy="0.32em" text-anchor="end">
                  {truncate(category, labelW - 12)}
                  <title>{category}</title>
                </text>
                {series.map((s, j) => {
                  const v = s.values[c];
                  const by = y + j * (barH + inner);
                  const label = k > 1 ? `${category}, ${s.name}` : category;
                  if (v === null || v === undefined || !Number.isFinite(v)) {
                    return (
                      <text key={j} class="jc-value jc-value--missing" x={zero + 4} y={by + barH / 2} dy="0.32em">
                        –<title>{`${label}: ${tr(T.noValue, lang)}`}</title>
                      </text>
                    );
                  }
                  const end = xAt(v);
                  return (
                    <g key={j}>
                      <rect
                        x={Math.min(zero, end)}
                        y={by}
                        width={Math.max(Math.abs(end - zero), 0.5)}
                        height={barH}
                        fill={colourOf(j)}
                        fill-opacity={dim ? 0.42 : 1}
                        rx={1.5}
                      >
                        <title>{`${label}: ${format(v)}`}</title>
                      </rect>
                      <text
                        class="jc-value"
                        x={v < 0 ? end - 4 : end + 4}
                        y={by + barH / 2}
                        dy="0.32em"
                        text-anchor={v < 0 ? 'end' : 'start'}
                      >
                        {format(v)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
          <line class="jc-zero" x1={zero} x2={zero} y1={top - 4} y2={plotBottom} />
        </svg>
      </div>
    </figure>
  );
}
