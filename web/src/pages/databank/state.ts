// The Databank's choices, their address form (the share link) and the JSON query they make.
//
// Address form, close to the GET parameters of the API (docs/api.md):
//   /databank?m=sdp_persons,sdp_fte            measures
//            &b=duration:26-39,40-&b=sex        breakdowns (bands or values after the colon)
//            &a=municipality:151;region:84;country   areas (level:code, ';' between them)
//            &g=Vestegnen:151,153,165           own groups of municipalities (repeatable)
//            &t=1                               total of the areas
//            &p=latest:12M | 2026M01,2026M02    periods
//            &view=table|chart|map &rows=area,duration &cols=period &chg=previous|year
// A link that cannot be read in full keeps what it could and says what it dropped.
import type { Areas } from '../../api';

export type AreaLevel =
  | 'country'
  | 'region'
  | 'landsdel'
  | 'municipality_group'
  | 'jobcentre'
  | 'municipality'
  | 'cluster';

export const AREA_LEVELS: AreaLevel[] = [
  'country',
  'region',
  'landsdel',
  'municipality_group',
  'jobcentre',
  'municipality',
  'cluster',
];

// code '*' = every area of the level.
export type AreaRef = { level: AreaLevel; code: string };
export type AreaGroup = { name: string; members: string[] };
export type Breakdown = { by: string; option: string };
export type PeriodType = 'M' | 'Q' | 'Y' | 'W' | 'R12' | 'YTD';
export type Periods = { kind: 'latest'; n: number; type: PeriodType } | { kind: 'list'; ids: string[] };
export type View = 'table' | 'chart' | 'map';
export type Change = 'none' | 'previous' | 'year';

export type DatabankState = {
  measures: string[];
  breakdowns: Breakdown[];
  areas: AreaRef[];
  groups: AreaGroup[];
  areaTotal: boolean;
  periods: Periods;
  view: View;
  rows: string[];
  cols: string[];
  change: Change;
};

export const DEFAULT_STATE: DatabankState = {
  measures: [],
  breakdowns: [],
  areas: [{ level: 'country', code: '_' }],
  groups: [],
  areaTotal: false,
  periods: { kind: 'latest', n: 12, type: 'M' },
  view: 'table',
  rows: [],
  cols: [],
  change: 'none',
};

export const BAND_BREAKDOWNS = new Set(['age', 'duration']);
export const MAX_PERIODS = 260;

const ID = /^[A-Za-z0-9_]{1,64}$/;
const BAND = /^\d{1,3}-(\d{1,3})?$/;
const PERIOD = /^(\d{4}|\d{4}M\d{2}|\d{4}Q[1-4]|\d{4}W\d{2}|\d{4}M\d{2}R12|\d{4}M\d{2}YTD)$/;

export type ParseProblem = { parameter: string; value: string; why: { da: string; en: string } };

function problem(parameter: string, value: string, da: string, en: string): ParseProblem {
  return { parameter, value, why: { da, en } };
}

export function parseState(search: URLSearchParams): { state: DatabankState; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const state: DatabankState = structuredClone(DEFAULT_STATE);
  const known = new Set(['m', 'b', 'a', 'g', 't', 'p', 'view', 'rows', 'cols', 'chg', 'subject', 'topic', 'lang', 'entry']);
  for (const key of search.keys()) {
    if (!known.has(key)) {
      problems.push(problem(key, search.get(key) ?? '', 'ukendt parameter — ignoreret', 'unknown parameter — ignored'));
    }
  }

  const m = search.get('m');
  if (m) {
    for (const id of m.split(',').filter(Boolean)) {
      if (ID.test(id) && !state.measures.includes(id)) state.measures.push(id);
      else problems.push(problem('m', id, 'ikke et målings-id', 'not a measure id'));
    }
  }

  for (const text of search.getAll('b')) {
    const [by, option = ''] = splitOnce(text, ':');
    if (!ID.test(by)) {
      problems.push(problem('b', text, 'ikke en opdeling', 'not a breakdown'));
      continue;
    }
    if (state.breakdowns.some((b) => b.by === by)) {
      problems.push(problem('b', text, 'opdelingen står der to gange — den første gælder', 'the breakdown is there twice — the first counts'));
      continue;
    }
    if (BAND_BREAKDOWNS.has(by) && option) {
      const bands = option.split(',');
      const bad = bands.find((band) => !BAND.test(band));
      if (bad !== undefined) {
        problems.push(problem('b', text, `"${bad}" er ikke et interval som 26-39 eller 40- — standardintervallerne bruges`, `"${bad}" is not a band such as 26-39 or 40- — the default bands are used`));
        state.breakdowns.push({ by, option: '' });
        continue;
      }
    }
    state.breakdowns.push({ by, option });
  }

  const a = search.get('a');
  if (a !== null) {
    const areas: AreaRef[] = [];
    for (const part of a.split(';').filter(Boolean)) {
      const [level, code = ''] = splitOnce(part, ':');
      if (!AREA_LEVELS.includes(level as AreaLevel)) {
        problems.push(problem('a', part, 'ukendt områdeniveau', 'unknown area level'));
        continue;
      }
      if (level === 'country') {
        areas.push({ level: 'country', code: '_' });
        continue;
      }
      const codes = code === '' ? ['*'] : code.split(',');
      for (const c of codes) {
        if (c === '*' || /^[A-Za-z0-9_]{1,16}$/.test(c)) areas.push({ level: level as AreaLevel, code: c });
        else problems.push(problem('a', part, 'ikke en områdekode', 'not an area code'));
      }
    }
    state.areas = areas;
  }

  for (const text of search.getAll('g')) {
    const [name, members = ''] = splitOnce(text, ':');
    const codes = members.split(',').filter(Boolean);
    if (!name.trim() || name.length > 60 || codes.length === 0 || codes.some((c) => !/^\d{3}$/.test(c))) {
      problems.push(problem('g', text, 'en gruppe skrives navn:kode,kode med kommunekoder', 'a group is written name:code,code with municipality codes'));
      continue;
    }
    state.groups.push({ name: name.trim(), members: codes });
  }

  state.areaTotal = search.get('t') === '1';

  const p = search.get('p');
  if (p) {
    const latest = /^latest:(\d{1,3})(M|Q|Y|W|R12|YTD)?$/.exec(p);
    if (latest) {
      const n = Number(latest[1]);
      if (n >= 1 && n <= MAX_PERIODS) state.periods = { kind: 'latest', n, type: (latest[2] ?? 'M') as PeriodType };
      else problems.push(problem('p', p, `antal perioder skal være 1-${MAX_PERIODS} — 12 måneder bruges`, `the number of periods must be 1-${MAX_PERIODS} — 12 months are used`));
    } else {
      const ids = p.split(',').filter(Boolean);
      const good = ids.filter((id) => PERIOD.test(id));
      for (const bad of ids.filter((id) => !PERIOD.test(id))) {
        problems.push(problem('p', bad, 'ikke en periode som 2026M03, 2026Q1, 2026, 2026W05', 'not a period such as 2026M03, 2026Q1, 2026, 2026W05'));
      }
      if (good.length) state.periods = { kind: 'list', ids: good.slice(0, MAX_PERIODS) };
    }
  }

  const view = search.get('view');
  if (view) {
    if (view === 'table' || view === 'chart' || view === 'map') state.view = view;
    else problems.push(problem('view', view, 'visningen er table, chart eller map', 'the view is table, chart or map'));
  }
  const chg = search.get('chg');
  if (chg) {
    if (chg === 'previous' || chg === 'year' || chg === 'none') state.change = chg;
    else problems.push(problem('chg', chg, 'ændring er previous eller year', 'change is previous or year'));
  }
  state.rows = (search.get('rows') ?? '').split(',').filter((d) => ID.test(d));
  state.cols = (search.get('cols') ?? '').split(',').filter((d) => ID.test(d));
  return { state, problems };
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

export function stateToSearch(state: DatabankState): string {
  const params: string[] = [];
  const put = (key: string, value: string) => params.push(`${key}=${encodeURIComponent(value).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3B/g, ';')}`);
  if (state.measures.length) put('m', state.measures.join(','));
  for (const b of state.breakdowns) put('b', b.option ? `${b.by}:${b.option}` : b.by);
  put('a', areasToText(state.areas));
  for (const g of state.groups) put('g', `${g.name}:${g.members.join(',')}`);
  if (state.areaTotal) put('t', '1');
  put('p', state.periods.kind === 'latest' ? `latest:${state.periods.n}${state.periods.type}` : state.periods.ids.join(','));
  if (state.view !== 'table') put('view', state.view);
  if (state.rows.length) put('rows', state.rows.join(','));
  if (state.cols.length) put('cols', state.cols.join(','));
  if (state.change !== 'none') put('chg', state.change);
  return params.join('&');
}

function areasToText(areas: AreaRef[]): string {
  const parts: string[] = [];
  for (const area of areas) {
    if (area.level === 'country') parts.push('country');
    else parts.push(`${area.level}:${area.code === '*' ? '' : area.code}`.replace(/:$/, ''));
  }
  return parts.join(';');
}

// --- Periods -------------------------------------------------------------------------------

type YearMonth = { year: number; month: number };

function monthId({ year, month }: YearMonth): string {
  return `${year}M${String(month).padStart(2, '0')}`;
}

function addMonths({ year, month }: YearMonth, delta: number): YearMonth {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

// ISO week (year, week) of a date.
function isoWeek(date: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return { year: d.getUTCFullYear(), week };
}

// The latest n periods of a type, counted back from the period that holds the release's
// cut-off day (as the API's latest:N does).
export function latestPeriods(n: number, type: PeriodType, cutOffDay: string): string[] {
  const [y, m, d] = cutOffDay.split('-').map(Number);
  const last: YearMonth = { year: y, month: m };
  const out: string[] = [];
  switch (type) {
    case 'M':
      for (let i = n - 1; i >= 0; i--) out.push(monthId(addMonths(last, -i)));
      break;
    case 'R12':
      for (let i = n - 1; i >= 0; i--) out.push(`${monthId(addMonths(last, -i))}R12`);
      break;
    case 'YTD':
      for (let i = n - 1; i >= 0; i--) out.push(`${monthId(addMonths(last, -i))}YTD`);
      break;
    case 'Q': {
      const q = y * 4 + Math.floor((m - 1) / 3);
      for (let i = n - 1; i >= 0; i--) out.push(`${Math.floor((q - i) / 4)}Q${((q - i) % 4) + 1}`);
      break;
    }
    case 'Y':
      for (let i = n - 1; i >= 0; i--) out.push(String(y - i));
      break;
    case 'W': {
      const end = new Date(Date.UTC(y, m - 1, d));
      for (let i = n - 1; i >= 0; i--) {
        const w = isoWeek(new Date(end.getTime() - i * 7 * 86400000));
        out.push(`${w.year}W${String(w.week).padStart(2, '0')}`);
      }
      break;
    }
  }
  return out;
}

export function resolvePeriods(periods: Periods, cutOffDay: string): string[] {
  return periods.kind === 'latest' ? latestPeriods(periods.n, periods.type, cutOffDay) : periods.ids;
}

// The period one step before (previous) or one year before (year), or null.
export function referencePeriod(id: string, change: Change): string | null {
  if (change === 'none') return null;
  let m = /^(\d{4})M(\d{2})(R12|YTD)?$/.exec(id);
  if (m) {
    const at: YearMonth = { year: Number(m[1]), month: Number(m[2]) };
    return monthId(addMonths(at, change === 'year' ? -12 : -1)) + (m[3] ?? '');
  }
  m = /^(\d{4})Q([1-4])$/.exec(id);
  if (m) {
    if (change === 'year') return `${Number(m[1]) - 1}Q${m[2]}`;
    const q = Number(m[1]) * 4 + Number(m[2]) - 2;
    return `${Math.floor(q / 4)}Q${(q % 4) + 1}`;
  }
  m = /^(\d{4})W(\d{2})$/.exec(id);
  if (m) {
    if (change === 'year') return Number(m[2]) <= 52 ? `${Number(m[1]) - 1}W${m[2]}` : null;
    const week = Number(m[2]);
    if (week > 1) return `${m[1]}W${String(week - 1).padStart(2, '0')}`;
    // the last ISO week of the year before: the week holding 28 December
    const w = isoWeek(new Date(Date.UTC(Number(m[1]) - 1, 11, 28)));
    return `${w.year}W${String(w.week).padStart(2, '0')}`;
  }
  m = /^(\d{4})$/.exec(id);
  if (m) return String(Number(m[1]) - 1);
  return null;
}

// --- Areas -------------------------------------------------------------------------------

export type AreaOption = { ref: AreaRef; label: string; levelLabel: string; members: string[] };

export const LEVEL_NAMES: Record<AreaLevel, { da: string; en: string }> = {
  country: { da: 'Hele landet', en: 'All of Denmark' },
  region: { da: 'Region', en: 'Region' },
  landsdel: { da: 'Landsdel', en: 'Province' },
  municipality_group: { da: 'Kommunegruppe', en: 'Municipality group' },
  jobcentre: { da: 'Jobcenter', en: 'Jobcentre' },
  municipality: { da: 'Kommune', en: 'Municipality' },
  cluster: { da: 'Klynge', en: 'Cluster' },
};

export const LEVEL_PLURALS: Record<AreaLevel, { da: string; en: string }> = {
  country: { da: 'Hele landet', en: 'All of Denmark' },
  region: { da: 'Alle regioner', en: 'All regions' },
  landsdel: { da: 'Alle landsdele', en: 'All provinces' },
  municipality_group: { da: 'Alle kommunegrupper', en: 'All municipality groups' },
  jobcentre: { da: 'Alle jobcentre', en: 'All jobcentres' },
  municipality: { da: 'Alle kommuner', en: 'All municipalities' },
  cluster: { da: 'Alle klynger', en: 'All clusters' },
};

// Every area a user can pick, with the municipalities it consists of.
export function areaOptions(areas: Areas, lang: 'da' | 'en'): AreaOption[] {
  const options: AreaOption[] = [];
  const all = areas.municipalities.map((m) => m.code);
  options.push({ ref: { level: 'country', code: '_' }, label: LEVEL_NAMES.country[lang], levelLabel: '', members: all });
  const add = (level: AreaLevel, code: (m: Areas['municipalities'][number]) => string, label: (m: Areas['municipalities'][number]) => string) => {
    const byCode = new Map<string, AreaOption>();
    for (const m of areas.municipalities) {
      const c = code(m);
      let option = byCode.get(c);
      if (!option) {
        option = { ref: { level, code: c }, label: label(m), levelLabel: LEVEL_NAMES[level][lang], members: [] };
        byCode.set(c, option);
      }
      option.members.push(m.code);
    }
    options.push(...[...byCode.values()].sort((x, y) => x.label.localeCompare(y.label, 'da')));
  };
  add('region', (m) => m.region, (m) => m.region_name);
  add('landsdel', (m) => m.landsdel, (m) => m.landsdel_name);
  add('municipality_group', (m) => m.municipality_group, (m) => m.municipality_group_name);
  add('jobcentre', (m) => m.jobcentre, (m) => m.jobcentre_name);
  add('municipality', (m) => m.code, (m) => m.name);
  for (const cluster of areas.clusters) {
    options.push({ ref: { level: 'cluster', code: cluster.code }, label: cluster.name[lang], levelLabel: LEVEL_NAMES.cluster[lang], members: cluster.members });
  }
  return options;
}

export function sameRef(a: AreaRef, b: AreaRef): boolean {
  return a.level === b.level && a.code === b.code;
}

// --- The JSON query ---------------------------------------------------------------------

export type BuiltQuery = {
  query: Record<string, unknown>;
  // area category id in the answer → the area it stands for (for the map and highlights)
  areaIds: Map<string, AreaRef | AreaGroup>;
  shownPeriods: string[];
};

export function buildQuery(
  state: DatabankState,
  cutOffDay: string,
  options: AreaOption[],
): BuiltQuery {
  const shownPeriods = resolvePeriods(state.periods, cutOffDay);
  const periods = [...shownPeriods];
  if (state.change !== 'none') {
    for (const id of shownPeriods) {
      const ref = referencePeriod(id, state.change);
      if (ref && !periods.includes(ref)) periods.push(ref);
    }
  }
  const areaIds = new Map<string, AreaRef | AreaGroup>();
  const optionOf = (ref: AreaRef) => options.find((o) => sameRef(o.ref, ref));
  let areas: Record<string, unknown>;
  const explicit = state.areas.filter((a) => a.code !== '*');
  const wholeLevels = state.areas.filter((a) => a.code === '*');
  const levels = new Set(state.areas.map((a) => a.level));

  if (state.groups.length === 0 && levels.size === 1 && !(wholeLevels.length && explicit.length)) {
    // One level: the engine's own level, so labels and codes are the official ones.
    const level = state.areas[0]?.level ?? 'country';
    areas = { level };
    if (level !== 'country' && explicit.length) areas.values = explicit.map((a) => a.code);
    for (const a of state.areas) areaIds.set(a.level === 'country' ? 'DK' : a.code, a);
  } else {
    // Several levels: municipalities as themselves, every other area as a named group of
    // its municipalities (persons counted once in each).
    const values: string[] = [];
    const groups: { name: string; members: string[] }[] = [];
    const expanded: AreaRef[] = [];
    for (const a of state.areas) {
      if (a.code === '*') {
        for (const o of options.filter((o) => o.ref.level === a.level)) expanded.push(o.ref);
      } else {
        expanded.push(a);
      }
    }
    for (const a of expanded) {
      if (a.level === 'municipality') {
        if (!values.includes(a.code)) values.push(a.code);
        areaIds.set(a.code, a);
        continue;
      }
      const option = optionOf(a);
      if (!option) continue;
      let name = option.label;
      if (a.level === 'jobcentre' && options.some((o) => o.ref.level === 'municipality' && o.label === name)) name = `${name} (jobcenter)`;
      if (groups.some((g) => g.name === name)) continue;
      groups.push({ name, members: option.members });
      areaIds.set(name, a);
    }
    for (const g of state.groups) {
      if (groups.some((x) => x.name === g.name)) continue;
      groups.push({ name: g.name, members: g.members });
      areaIds.set(g.name, g);
    }
    areas = { level: 'municipality', values };
    if (groups.length) areas.groups = groups;
  }
  if (state.areaTotal) areas.total = true;

  const breakdowns = state.breakdowns.map((b) => {
    const out: Record<string, unknown> = { by: b.by };
    if (b.option) {
      const items = b.option.split(',').map((s) => s.trim()).filter(Boolean);
      if (BAND_BREAKDOWNS.has(b.by)) out.bands = items;
      else if (b.by === 'status_after') out.months = items.map(Number);
      else if (b.by === 'survival_week') out.weeks = items.map(Number);
      else out.values = items;
    }
    // A total only where it adds something: more than one band, value or group.
    const several = !b.option || b.option.split(',').filter(Boolean).length > 1;
    if (b.by !== 'survival_week' && several) out.total = true;
    return out;
  });
  const query: Record<string, unknown> = { measures: state.measures, periods, areas };
  if (breakdowns.length) query.breakdowns = breakdowns;
  return { query, areaIds, shownPeriods };
}

// Cells the answer will have, counted before anything is sent (the cell limit of /config).
export function estimateCells(built: BuiltQuery, categoriesOf: (by: string, option: string) => number, state: DatabankState): number {
  const areas = built.query.areas as { level: string; values?: string[]; groups?: unknown[]; total?: boolean };
  let areaCount: number;
  if (areas.level === 'country') areaCount = 1;
  else if (areas.values?.length || areas.groups?.length) areaCount = (areas.values?.length ?? 0) + (areas.groups?.length ?? 0);
  else areaCount = areas.level === 'municipality' ? 98 : areas.level === 'jobcentre' ? 96 : areas.level === 'landsdel' ? 11 : 5;
  if (areas.total) areaCount += 1;
  let cells = Math.max(1, state.measures.length) * (built.query.periods as string[]).length * areaCount;
  for (const b of state.breakdowns) cells *= categoriesOf(b.by, b.option) + (b.by === 'survival_week' ? 0 : 1);
  return cells;
}
