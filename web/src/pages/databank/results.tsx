// The answer: the view switch (table, chart, map), the pivot, the change against an earlier
// period, exports in every format of the API and the share link.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { downloadQuery, name, postQuery, type Lang, type MeasureSummary } from '../../api';
import { BarChart, LineChart } from '../../components/charts';
import { MunicipalityMap } from '../../components/map';
import { formatDate, formatNumber, periodLabel, tr } from '../../i18n';
import { Cube, combinations, readCell, type Dim, type Layout } from './cube';
import { errorMessage } from './errors';
import { categoryLabel, PivotTable } from './table';
import type { AreaOption, BuiltQuery, Change, DatabankState, View } from './state';

type Done = { cube: Cube; built: BuiltQuery; millis: number; seq: number };

const FORMATS: { id: string; da: string; en: string }[] = [
  { id: 'xlsx', da: 'Excel (.xlsx)', en: 'Excel (.xlsx)' },
  { id: 'csv-dk', da: 'CSV (dansk Excel)', en: 'CSV (Danish Excel)' },
  { id: 'csv', da: 'CSV (international)', en: 'CSV (international)' },
  { id: 'px', da: 'PC-Axis (.px)', en: 'PC-Axis (.px)' },
  { id: 'jsonstat', da: 'JSON-stat', en: 'JSON-stat' },
  { id: 'sdmx-csv', da: 'SDMX-CSV', en: 'SDMX-CSV' },
  { id: 'json', da: 'JSON (rækker)', en: 'JSON (rows)' },
];

const VIEWS: { id: View; da: string; en: string }[] = [
  { id: 'table', da: 'Tabel', en: 'Table' },
  { id: 'chart', da: 'Diagram', en: 'Chart' },
  { id: 'map', da: 'Kort', en: 'Map' },
];

type Props = {
  done: Done;
  state: DatabankState;
  setState: (update: (s: DatabankState) => DatabankState) => void;
  lang: Lang;
  busy: boolean;
  dimmed: boolean;  // busy for 0.2 s or more
  measures: MeasureSummary[];
  options: AreaOption[];
  layout: Layout;
  onInfo: (id: string) => void;
};

export function Results(props: Props) {
  const { done, state, setState, lang, busy, layout } = props;
  const { cube } = done;
  const caption = captionOf(cube, layout, state.change, lang);

  const swap = () => setState((s) => ({ ...s, rows: layout.cols.map((d) => d.id), cols: layout.rows.map((d) => d.id) }));
  const move = (dim: Dim, to: 'rows' | 'cols') =>
    setState((s) => {
      const rows = layout.rows.map((d) => d.id).filter((id) => id !== dim.id);
      const cols = layout.cols.map((d) => d.id).filter((id) => id !== dim.id);
      (to === 'rows' ? rows : cols).push(dim.id);
      return { ...s, rows, cols };
    });

  return (
    <div class={busy ? (props.dimmed ? 'results busy dimmed' : 'results busy') : 'results'} aria-busy={busy} data-answer={done.seq}>
      <div class="results__title">
        <h2>{cube.label}</h2>
        <div class="results__measures">
          {props.measures.map((m) => (
            <button type="button" class="link-button small" key={m.id} onClick={() => props.onInfo(m.id)}>
              <span class="info-button" aria-hidden="true">i</span> {tr({ da: 'Om', en: 'About' }, lang)} {name(m.name, lang)}
            </button>
          ))}
        </div>
        <p class="muted small">
          {tr({ da: 'Udgivelse', en: 'Release' }, lang)} {cube.release} · {tr({ da: 'data til og med', en: 'data up to' }, lang)}{' '}
          {formatDate(cube.cutOffDay, lang)} · {tr({ da: 'beregnet på', en: 'computed in' }, lang)} {done.millis} ms
          {busy && <span role="status"> · {tr({ da: 'beregner …', en: 'computing …' }, lang)}</span>}
        </p>
      </div>

      <div class="toolbar">
        <div class="tabs" role="tablist" aria-label={tr({ da: 'Visning', en: 'View' }, lang)}>
          {VIEWS.map((v) => (
            <button
              type="button"
              role="tab"
              key={v.id}
              id={`tab-${v.id}`}
              aria-selected={state.view === v.id}
              aria-controls="view-panel"
              tabIndex={state.view === v.id ? 0 : -1}
              onClick={() => setState((s) => ({ ...s, view: v.id }))}
              onKeyDown={(e) => {
                const index = VIEWS.findIndex((x) => x.id === state.view);
                const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                if (!step) return;
                const next = VIEWS[(index + step + VIEWS.length) % VIEWS.length];
                setState((s) => ({ ...s, view: next.id }));
                // Every tab is already in the page, so focus moves with the key press itself:
                // a focus deferred to the next frame lagged the selection (and a test saw it).
                document.getElementById(`tab-${next.id}`)?.focus();
                e.preventDefault();
              }}
            >
              {tr(v, lang)}
            </button>
          ))}
        </div>
        <div class="field inline-field">
          <label for="change">{tr({ da: 'Vis', en: 'Show' }, lang)}</label>
          <select id="change" value={state.change} onChange={(e) => setState((s) => ({ ...s, change: (e.target as HTMLSelectElement).value as Change }))}>
            <option value="none">{tr({ da: 'Tal', en: 'Numbers' }, lang)}</option>
            <option value="previous">{tr({ da: 'Ændring i % fra forrige periode', en: 'Change in % from the previous period' }, lang)}</option>
            <option value="year">{tr({ da: 'Ændring i % fra samme periode året før', en: 'Change in % from the same period a year before' }, lang)}</option>
          </select>
        </div>
      </div>

      <div id="view-panel" role="tabpanel" aria-labelledby={`tab-${state.view}`}>
        {state.view === 'table' && (
          <>
            <div class="pivot-controls" aria-label={tr({ da: 'Tabellens opbygning', en: 'Table layout' }, lang)} role="group">
              <button type="button" class="btn" onClick={swap}>
                ⇄ {tr({ da: 'Byt rækker og kolonner', en: 'Swap rows and columns' }, lang)}
              </button>
              <span class="small muted">{tr({ da: 'Rækker:', en: 'Rows:' }, lang)}</span>
              {layout.rows.map((d) => (
                <button type="button" class="btn small-btn" key={d.id} onClick={() => move(d, 'cols')} aria-label={`${d.label}: ${tr({ da: 'flyt til kolonner', en: 'move to columns' }, lang)}`}>
                  {d.label} →
                </button>
              ))}
              <span class="small muted">{tr({ da: 'Kolonner:', en: 'Columns:' }, lang)}</span>
              {layout.cols.map((d) => (
                <button type="button" class="btn small-btn" key={d.id} onClick={() => move(d, 'rows')} aria-label={`${d.label}: ${tr({ da: 'flyt til rækker', en: 'move to rows' }, lang)}`}>
                  ← {d.label}
                </button>
              ))}
            </div>
            <PivotTable cube={cube} layout={layout} change={state.change} lang={lang} caption={caption} />
          </>
        )}
        {state.view === 'chart' && <ChartView cube={cube} layout={layout} change={state.change} lang={lang} caption={caption} />}
        {state.view === 'map' && <MapView done={done} state={state} lang={lang} />}
      </div>

      <Exports query={{ ...done.built.query, periods: done.built.shownPeriods }} lang={lang} change={state.change} />
      <ShareLink lang={lang} />
    </div>
  );
}

function captionOf(cube: Cube, layout: Layout, change: Change, lang: Lang): string {
  const fixed = layout.fixed.map((f) => `${f.dim.label}: ${categoryLabel(f.dim, f.category, lang)}`);
  const what = change === 'none' ? '' : change === 'previous' ? tr({ da: ' — ændring i % fra forrige periode', en: ' — change in % from the previous period' }, lang) : tr({ da: ' — ændring i % fra samme periode året før', en: ' — change in % from the same period a year before' }, lang);
  return `${cube.label}${what}${fixed.length ? ` (${fixed.join(', ')})` : ''}`;
}

// --- Chart ---------------------------------------------------------------------------------

function ChartView({ cube, layout, change, lang, caption }: { cube: Cube; layout: Layout; change: Change; lang: Lang; caption: string }) {
  const all = [...layout.rows, ...layout.cols];
  // Survival curves run over the weeks since the start; everything else over the periods.
  const period = all.find((d) => d.id === 'survival_week') ?? all.find((d) => d.id === 'period');
  const area = all.find((d) => d.id === 'area');
  const [kind, setKind] = useState<'line' | 'bar'>(period ? 'line' : 'bar');
  const effective = kind === 'line' && !period ? 'bar' : kind;
  const fixedIds: Record<string, string> = {};
  for (const f of layout.fixed) fixedIds[f.dim.id] = f.category.id;
  const decimals = change === 'none' ? cube.decimalsOf(fixedIds.statistic ?? cube.dims[0].categories[0].id) : 1;
  const format = (v: number) => formatNumber(v, decimals, lang);
  const MAX_SERIES = 12;

  let chart = null;
  let note = '';
  if (effective === 'line' && period) {
    const others = all.filter((d) => d !== period);
    let combos = combinations(others);
    if (combos.length > MAX_SERIES) {
      note = tr({ da: `Diagrammet viser de første ${MAX_SERIES} af ${combos.length} serier; tabellen har dem alle.`, en: `The chart shows the first ${MAX_SERIES} of ${combos.length} series; the table has all.` }, lang);
      combos = combos.slice(0, MAX_SERIES);
    }
    const series = combos.map((combo) => ({
      name: combo.map((c, i) => categoryLabel(others[i], c, lang)).join(' · ') || caption,
      values: period.categories.map((p) => {
        const ids: Record<string, string> = { ...fixedIds, [period.id]: p.id };
        others.forEach((d, i) => (ids[d.id] = combo[i].id));
        return readCell(cube, ids, change).value;
      }),
    }));
    chart = <LineChart title={caption} xLabels={period.categories.map((p) => categoryLabel(period, p, lang))} series={series} format={format} />;
  } else {
    const across = area ?? all.find((d) => d.id !== 'period') ?? all[0];
    const periods = all.find((d) => d.id === 'period');
    const lastPeriod = periods ? periods.categories[periods.categories.length - 1] : undefined;
    const others = all.filter((d) => d !== across && d !== periods);
    let combos = combinations(others);
    if (combos.length > MAX_SERIES) combos = combos.slice(0, MAX_SERIES);
    const series = combos.map((combo) => ({
      name: combo.map((c, i) => categoryLabel(others[i], c, lang)).join(' · ') || caption,
      values: (across?.categories ?? [{ id: '', label: '' }]).map((c) => {
        const ids: Record<string, string> = { ...fixedIds };
        if (lastPeriod) ids.period = lastPeriod.id;
        if (across) ids[across.id] = c.id;
        others.forEach((d, i) => (ids[d.id] = combo[i].id));
        return readCell(cube, ids, change).value;
      }),
    }));
    const title = lastPeriod ? `${caption} — ${periodLabel(lastPeriod.id, lang)}` : caption;
    chart = <BarChart title={title} categories={(across?.categories ?? []).map((c) => (across ? categoryLabel(across, c, lang) : ''))} series={series} format={format} />;
  }
  return (
    <div class="chart-view">
      <div class="segmented" role="radiogroup" aria-label={tr({ da: 'Diagramtype', en: 'Kind of chart' }, lang)}>
        <label class={effective === 'line' ? 'checked' : undefined}>
          <input type="radio" name="chart-kind" checked={effective === 'line'} disabled={!period} onChange={() => setKind('line')} />
          {period?.id === 'survival_week' ? tr({ da: 'Overlevelseskurve', en: 'Survival curve' }, lang) : tr({ da: 'Linje over tid', en: 'Line over time' }, lang)}
        </label>
        <label class={effective === 'bar' ? 'checked' : undefined}>
          <input type="radio" name="chart-kind" checked={effective === 'bar'} onChange={() => setKind('bar')} />
          {tr({ da: 'Søjler på tværs af områder (seneste periode)', en: 'Bars across areas (latest period)' }, lang)}
        </label>
      </div>
      {note && <p class="muted small">{note}</p>}
      {chart}
    </div>
  );
}

// --- Map -----------------------------------------------------------------------------------

// The map shows every municipality: its own query for the chosen period, the first measure and
// one category of each breakdown (the total by default).
function MapView({ done, state, lang }: { done: Done; state: DatabankState; lang: Lang }) {
  const query = done.built.query as { measures: string[]; breakdowns?: Record<string, unknown>[] };
  const periods = done.built.shownPeriods;
  const [period, setPeriod] = useState(periods[periods.length - 1]);
  const [measure, setMeasure] = useState(query.measures[0]);
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [cube, setCube] = useState<Cube | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mapQuery = useMemo(
    () => ({
      measures: [measure],
      periods: [periods.includes(period) ? period : periods[periods.length - 1]],
      areas: { level: 'municipality' },
      ...(query.breakdowns ? { breakdowns: query.breakdowns } : {}),
    }),
    [measure, period, JSON.stringify(query.breakdowns), periods.join()],
  );
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    postQuery(mapQuery, lang, controller.signal).then(
      (js) => setCube(new Cube(js)),
      (e: Error) => !controller.signal.aborted && setError(errorMessage(e, lang)),
    );
    return () => controller.abort();
  }, [JSON.stringify(mapQuery), lang]);

  const breakdownDims = cube ? cube.dims.filter((d) => !['statistic', 'period', 'area'].includes(d.id)) : [];
  const values = new Map<string, number | null>();
  if (cube) {
    const ids: Record<string, string> = { statistic: measure, period: mapQuery.periods[0] };
    for (const d of breakdownDims) ids[d.id] = picks[d.id] ?? (d.categories.some((c) => c.id === '_T') ? '_T' : d.categories[0].id);
    for (const c of cube.dim('area')?.categories ?? []) values.set(c.id, readCell(cube, { ...ids, area: c.id }, 'none').value);
  }
  const highlight = state.areas.filter((a) => a.level === 'municipality' && a.code !== '*').map((a) => a.code);
  const decimals = cube ? cube.decimalsOf(measure) : 0;
  const statisticLabel = cube?.dim('statistic')?.categories[0]?.label ?? measure;
  const pickedText = breakdownDims.map((d) => {
    const id = picks[d.id] ?? (d.categories.some((c) => c.id === '_T') ? '_T' : d.categories[0].id);
    return `${d.label}: ${d.categories.find((c) => c.id === id)?.label ?? id}`;
  });
  const title = `${statisticLabel}, ${periodLabel(mapQuery.periods[0], lang)}${pickedText.length ? ` (${pickedText.join(', ')})` : ''}`;

  return (
    <div class="map-view">
      <div class="inline map-controls">
        {query.measures.length > 1 && (
          <div class="field">
            <label for="map-measure">{tr({ da: 'Måling', en: 'Measure' }, lang)}</label>
            <select id="map-measure" value={measure} onChange={(e) => setMeasure((e.target as HTMLSelectElement).value)}>
              {query.measures.map((m) => (
                <option key={m} value={m}>
                  {done.cube.dim('statistic')?.categories.find((c) => c.id === m)?.label ?? m}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="map-period">{tr({ da: 'Periode', en: 'Period' }, lang)}</label>
          <select id="map-period" value={mapQuery.periods[0]} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {periodLabel(p, lang)}
              </option>
            ))}
          </select>
        </div>
        {breakdownDims.map((d) => (
          <div class="field" key={d.id}>
            <label for={`map-${d.id}`}>{d.label}</label>
            <select id={`map-${d.id}`} value={picks[d.id] ?? (d.categories.some((c) => c.id === '_T') ? '_T' : d.categories[0].id)} onChange={(e) => setPicks((p) => ({ ...p, [d.id]: (e.target as HTMLSelectElement).value }))}>
              {d.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small">
        {tr({ da: 'Kortet viser alle 98 kommuner; de valgte kommuner er fremhævet.', en: 'The map shows all 98 municipalities; the chosen ones are highlighted.' }, lang)}
      </p>
      {cube && <MunicipalityMap title={title} values={values} format={(v) => formatNumber(v, decimals, lang)} lang={lang} highlight={highlight} />}
      {!cube && !error && <p class="loading">{tr({ da: 'Henter kortets tal …', en: 'Loading the map’s numbers …' }, lang)}</p>}
    </div>
  );
}

// --- Exports and the share link ---------------------------------------------------------------

function Exports({ query, lang, change }: { query: Record<string, unknown>; lang: Lang; change: Change }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: string) => {
    setBusy(format);
    setError(null);
    try {
      // codes and labels both: the codes for lookups and scripts, the labels to read
      const { blob, filename } = await downloadQuery(query, format, lang, 'both');
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setError(errorMessage(e as Error, lang));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="exports" role="group" aria-labelledby="exports-title">
      <h3 id="exports-title">{tr({ da: 'Hent tabellen', en: 'Download the table' }, lang)}</h3>
      <div class="exports__buttons">
        {FORMATS.map((f) => (
          <button type="button" class={f.id === 'xlsx' ? 'btn primary' : 'btn'} key={f.id} disabled={busy !== null} onClick={() => download(f.id)}>
            {busy === f.id ? '…' : '↓'} {tr(f, lang)}
          </button>
        ))}
      </div>
      {change !== 'none' && (
        <p class="small muted">{tr({ da: 'Filerne indeholder tallene, ikke ændringerne i %.', en: 'The files hold the numbers, not the changes in %.' }, lang)}</p>
      )}
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function ShareLink({ lang }: { lang: Lang }) {
  const [copied, setCopied] = useState(false);
  const url = location.href;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      (document.getElementById('share-url') as HTMLInputElement | null)?.select();
      setCopied(false);
    }
  };
  useEffect(() => setCopied(false), [url]);
  return (
    <div class="share">
      <label for="share-url">{tr({ da: 'Link til tabellen', en: 'Link to the table' }, lang)}</label>
      <div class="inline">
        <input id="share-url" type="text" readOnly value={url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <button type="button" class="btn" onClick={copy}>
          {tr({ da: 'Kopiér link', en: 'Copy link' }, lang)}
        </button>
        <span role="status" class="small">
          {copied ? tr({ da: 'Kopieret', en: 'Copied' }, lang) : ''}
        </span>
      </div>
      <p class="small muted">{tr({ da: 'Linket åbner tabellen med de nyeste tal, når perioden er "seneste".', en: 'The link opens the table with the newest numbers when the period is "latest".' }, lang)}</p>
    </div>
  );
}
