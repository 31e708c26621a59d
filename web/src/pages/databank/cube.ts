// A JSON-stat 2.0 answer read as a cube, and the pivot layout that turns it into a table.
import type { CellStatus, JsonStat } from '../../api';
import { referencePeriod, type Change } from './state';

export type Category = { id: string; label: string };
export type Dim = { id: string; label: string; categories: Category[] };

export class Cube {
  readonly dims: Dim[];
  readonly label: string;
  private readonly strides: number[];
  private readonly values: (number | null)[];
  private readonly statuses: (index: number) => CellStatus;
  private readonly units: Record<string, { label: string; decimals: number }>;
  readonly release: string;
  readonly cutOffDay: string;

  constructor(js: JsonStat) {
    this.label = js.label;
    this.dims = js.id.map((id) => {
      const dim = js.dimension[id];
      const entries = Object.entries(dim.category.index).sort((a, b) => a[1] - b[1]);
      return {
        id,
        label: dim.label,
        categories: entries.map(([code]) => ({ id: code, label: dim.category.label?.[code] ?? code })),
      };
    });
    this.strides = new Array(js.size.length).fill(1);
    for (let i = js.size.length - 2; i >= 0; i--) this.strides[i] = this.strides[i + 1] * js.size[i + 1];
    this.values = js.value;
    const status = js.status;
    if (Array.isArray(status)) this.statuses = (i) => status[i] ?? 'ok';
    else if (status) this.statuses = (i) => status[String(i)] ?? 'ok';
    else this.statuses = () => 'ok';
    this.units = js.dimension.statistic?.category.unit ?? {};
    this.release = String(js.extension?.release ?? '');
    this.cutOffDay = String(js.extension?.cut_off_day ?? '');
  }

  dim(id: string): Dim | undefined {
    return this.dims.find((d) => d.id === id);
  }

  // coords: category index per dimension, in the cube's dimension order.
  offset(coords: number[]): number {
    let offset = 0;
    for (let i = 0; i < coords.length; i++) offset += coords[i] * this.strides[i];
    return offset;
  }

  value(coords: number[]): number | null {
    const v = this.values[this.offset(coords)];
    return v === undefined ? null : v;
  }

  status(coords: number[]): CellStatus {
    return this.statuses(this.offset(coords));
  }

  decimalsOf(statistic: string): number {
    return this.units[statistic]?.decimals ?? 0;
  }

  unitOf(statistic: string): string {
    return this.units[statistic]?.label ?? '';
  }
}

export type Cell = { value: number | null; status: CellStatus; decimals: number; isChange: boolean };

// Reads a cell by category ids, with the change against a reference period when asked.
export function readCell(cube: Cube, ids: Record<string, string>, change: Change): Cell {
  const coords = cube.dims.map((d) => d.categories.findIndex((c) => c.id === ids[d.id]));
  const statistic = ids.statistic ?? cube.dims[0].categories[0].id;
  const decimals = cube.decimalsOf(statistic);
  if (coords.some((c) => c < 0)) return { value: null, status: 'missing', decimals, isChange: false };
  const value = cube.value(coords);
  const status = cube.status(coords);
  if (change === 'none') return { value, status, decimals, isChange: false };
  const ref = referencePeriod(ids.period, change);
  const refIndex = ref ? cube.dim('period')!.categories.findIndex((c) => c.id === ref) : -1;
  if (refIndex < 0 || value === null) return { value: null, status: 'no_reference', decimals: 1, isChange: true };
  const refCoords = [...coords];
  refCoords[cube.dims.findIndex((d) => d.id === 'period')] = refIndex;
  const before = cube.value(refCoords);
  if (before === null || before === 0) return { value: null, status: 'no_reference', decimals: 1, isChange: true };
  return { value: ((value - before) / Math.abs(before)) * 100, status, decimals: 1, isChange: true };
}

export type Layout = { rows: Dim[]; cols: Dim[]; fixed: { dim: Dim; category: Category }[] };

// Rows and columns from the user's choice when it names every dimension that has more than
// one category; otherwise periods across and the rest down.
export function layoutOf(cube: Cube, wantedRows: string[], wantedCols: string[], shownPeriods: string[]): Layout {
  const visible = (dim: Dim): Dim =>
    dim.id === 'period' ? { ...dim, categories: dim.categories.filter((c) => shownPeriods.includes(c.id)) } : dim;
  const dims = cube.dims.map(visible);
  const varying = dims.filter((d) => d.categories.length > 1);
  const fixed = dims.filter((d) => d.categories.length === 1).map((dim) => ({ dim, category: dim.categories[0] }));
  const byId = new Map(varying.map((d) => [d.id, d]));
  const rows = wantedRows.map((id) => byId.get(id)).filter((d): d is Dim => !!d);
  const cols = wantedCols.map((id) => byId.get(id)).filter((d): d is Dim => !!d);
  const placed = new Set([...rows, ...cols].map((d) => d.id));
  if (rows.length + cols.length === 0) {
    const period = byId.get('period');
    if (period) cols.push(period);
    else if (varying.length > 1) cols.push(varying[varying.length - 1]);
    for (const d of varying) if (!cols.includes(d)) rows.push(d);
  } else {
    for (const d of varying) if (!placed.has(d.id)) rows.push(d);
  }
  return { rows, cols, fixed };
}

// Every combination of categories of the given dimensions, outermost first.
export function combinations(dims: Dim[]): Category[][] {
  let out: Category[][] = [[]];
  for (const dim of dims) {
    const next: Category[][] = [];
    for (const prefix of out) for (const c of dim.categories) next.push([...prefix, c]);
    out = next;
  }
  return out;
}
