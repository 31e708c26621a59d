// The portal's client of the Jobindsigt API (/api/v1, docs/api.md). Catalogue answers are
// fetched once per page load and shared; data answers are fetched per query and can be
// cancelled when a newer choice supersedes them.

export type Lang = 'da' | 'en';
export type Names = { da: string; en: string };

export type Subject = {
  id: string;
  name: Names;
  doc: Names;
  order: number;
  benefits: string[];
};
export type Topic = { id: string; name: Names; doc: Names; order: number };
export type MeasureGroup = {
  id: string;
  name: Names;
  doc: Names;
  subject: string;
  topic: string;
  order: number;
  measures: string[];
};
export type Menu = { subjects: Subject[]; topics: Topic[]; groups: MeasureGroup[] };

export type MeasureSummary = {
  id: string;
  name: Names;
  group: string;
  statistic: string;
  benefits: string[];
  unit: string;
  decimals: number;
  default_breakdowns: string[];
  allowed_breakdowns: string[];
  frequency: string;
};

export type MeasureRelease = {
  release: string;
  cut_off_day: string;
  changed: boolean;
  first_changed_period?: string;
};

export type MeasureDoc = MeasureSummary & {
  doc: Names;
  technical: Names;
  sources: string[];
  benefit_codes: string[];
  age_bands?: string;
  duration_bands?: string;
  latest_update?: { release: string; cut_off_day: string };
  next_update?: { covers_until: string; frequency: string };
  releases: MeasureRelease[];
};

export type MunicipalityInfo = {
  code: string;
  name: string;
  region: string;
  region_name: string;
  landsdel: string;
  landsdel_name: string;
  municipality_group: string;
  municipality_group_name: string;
  jobcentre: string;
  jobcentre_name: string;
};
export type Cluster = { code: string; name: Names; members: string[] };
export type Areas = { levels: string[]; municipalities: MunicipalityInfo[]; clusters: Cluster[] };

export type Code = { code: string; name: Names; valid_from: string; valid_to: string | null };
export type CodeList = { list: string; codes: Code[] };

export type ReleaseSummary = {
  id: string;
  created_utc: string;
  cut_off_day: string;
  current: boolean;
  bytes: number;
};
export type BenefitNote = {
  benefit: string;
  changed: boolean;
  first_changed_period?: string;
  new: boolean;
};
export type MeasureNote = {
  measure: string;
  changed: boolean;
  first_changed_period?: string;
  new?: boolean;
};
export type ReleaseDetail = {
  id: string;
  created_utc: string;
  cut_off_day: string;
  notes_by_benefit: BenefitNote[];
  notes_by_measure: MeasureNote[];
  [key: string]: unknown;
};

export type Config = {
  max_cells: number;
  max_body_bytes: number;
  request_timeout_seconds: number;
  rate_limit_per_minute: number;
  formats: string[];
  languages: string[];
};

export type CellStatus = 'ok' | 'preliminary' | 'no_denominator' | 'not_applicable' | string;

export type JsonStatCategory = {
  index: Record<string, number>;
  label?: Record<string, string>;
  unit?: Record<string, { label: string; decimals: number }>;
};
export type JsonStatDimension = { label: string; category: JsonStatCategory };
export type JsonStat = {
  version: string;
  class: 'dataset';
  label: string;
  source?: string;
  updated?: string;
  id: string[];
  size: number[];
  role?: { time?: string[]; geo?: string[]; metric?: string[] };
  dimension: Record<string, JsonStatDimension>;
  value: (number | null)[];
  status?: CellStatus[] | Record<string, CellStatus>;
  extension?: { release?: string; cut_off_day?: string; [key: string]: unknown };
};

// The problem+json body of every API error (RFC 7807, docs/api.md).
export type Problem = {
  type?: string;
  title?: string;
  status: number;
  reason?: string;
  parameter?: string;
  detail?: string;
};

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Problem;
    return { ...body, status: response.status };
  } catch {
    return { status: response.status, title: response.statusText };
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as T;
}

const shared = new Map<string, Promise<unknown>>();

// Catalogue resources change only with a new catalogue; one fetch per page load.
function once<T>(path: string): Promise<T> {
  let pending = shared.get(path) as Promise<T> | undefined;
  if (!pending) {
    pending = getJson<T>(path);
    pending.catch(() => shared.delete(path));
    shared.set(path, pending);
  }
  return pending;
}

export const api = {
  menu: () => once<Menu>('/api/v1/menu'),
  measures: () => once<MeasureSummary[]>('/api/v1/measures'),
  measure: (id: string) => once<MeasureDoc>(`/api/v1/measures/${encodeURIComponent(id)}`),
  areas: () => once<Areas>('/api/v1/areas'),
  codes: (list: string) => once<CodeList>(`/api/v1/codes/${encodeURIComponent(list)}`),
  releases: () => getJson<ReleaseSummary[]>('/api/v1/releases'),
  release: (id: string) => getJson<ReleaseDetail>(`/api/v1/releases/${encodeURIComponent(id)}`),
  config: () => once<Config>('/api/v1/config'),
};

// POSTs a JSON query (docs/query.md) and returns the JSON-stat answer.
export async function postQuery(
  query: unknown,
  lang: Lang,
  signal?: AbortSignal,
): Promise<JsonStat> {
  const response = await fetch(`/api/v1/data?lang=${lang}`, {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(query),
  });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as JsonStat;
}

// Downloads the same query in another format (xlsx, csv-dk, px, …) as a file.
export async function downloadQuery(
  query: unknown,
  format: string,
  lang: Lang,
  labels: 'labels' | 'codes' | 'both' = 'labels',
): Promise<{ blob: Blob; filename: string }> {
  const response = await fetch(`/api/v1/data?format=${format}&lang=${lang}&labels=${labels}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(query),
  });
  if (!response.ok) throw new ApiError(await problemOf(response));
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const filename = match?.[1] ?? `jobindsigt.${format === 'csv-dk' ? 'csv' : format}`;
  return { blob: await response.blob(), filename };
}

export function name(names: Names | undefined, lang: Lang): string {
  if (!names) return '';
  return names[lang] || names.da;
}
