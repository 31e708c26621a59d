// The pivot table: column dimensions as header rows, row dimensions as row headers (outer
// ones spanning their group), every cell formatted by its measure's decimals, statuses marked.
// A long table scrolls in its own box under a header that stays in view, and only the rows in
// view (and a few either side) are in the page: a table of the cell limit (250,000) would
// otherwise take seconds to lay out, and even 3,000 cells cost more than the query's own time.
import { Component, type JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../api';
import { formatNumber, periodLabel, tr } from '../../i18n';
import { combinations, readCell, type Category, type Cell, type Cube, type Dim, type Layout } from './cube';
import type { Change } from './state';

export const STATUS_TEXT: Record<string, { mark: string; da: string; en: string }> = {
  preliminary: {
    mark: '*',
    da: 'Foreløbigt tal: perioden indeholder skæringsdagen, så tallet kan stige, når senere leverancer kommer.',
    en: 'Preliminary: the period holds the cut-off day, so the number may rise as later deliveries arrive.',
  },
  no_denominator: {
    mark: '–',
    da: 'Ingen nævner: brøken kan ikke beregnes, fordi nævneren er 0.',
    en: 'No denominator: the ratio cannot be computed because its denominator is 0.',
  },
  not_applicable: {
    mark: '..',
    da: 'Ikke relevant: opdelingen gælder ikke for denne måling.',
    en: 'Not applicable: the breakdown does not apply to this measure.',
  },
  suppressed: {
    mark: '(d)',
    da: 'Diskretioneret: tallet er skjult for at beskytte personer i små grupper.',
    en: 'Suppressed: the number is hidden to protect persons in small groups.',
  },
  no_reference: {
    mark: '·',
    da: 'Ingen sammenligning: tallet for sammenligningsperioden mangler eller er 0.',
    en: 'No comparison: the number of the comparison period is missing or 0.',
  },
};

export function categoryLabel(dim: Dim, category: Category, lang: Lang): string {
  if (dim.id === 'period') return periodLabel(category.id, lang);
  return category.label;
}

export function cellText(value: number | null, status: string, decimals: number, isChange: boolean, lang: Lang): string {
  if (value === null) return STATUS_TEXT[status]?.mark ?? '..';
  const text = formatNumber(value, decimals, lang);
  const signed = isChange && value > 0 ? `+${text}` : text;
  return status === 'preliminary' ? `${signed}*` : signed;
}

type Props = { cube: Cube; layout: Layout; change: Change; lang: Lang; caption: string };

// Tables of more rows than this scroll in their own box with only the rows in view rendered.
export const WINDOW_FROM_ROWS = 40;
// Rows rendered beyond the box's edges, and the step the window moves by (fewer re-renders).
const OVERSCAN_ROWS = 6;
const WINDOW_STEP = 6;
// A body row's height before one is measured (0.9rem text, 0.3rem padding, 1px border).
const ESTIMATED_ROW_PX = 29;

// A table of thousands of cells is rebuilt only when its answer, layout, change, language or
// caption changes, not when the page re-renders for a choice still being computed. (Not
// preact/compat's memo: importing compat would turn every onChange into onInput.)
export class PivotTable extends Component<Props> {
  shouldComponentUpdate(next: Props): boolean {
    const now = this.props;
    return next.cube !== now.cube || next.layout !== now.layout || next.change !== now.change || next.lang !== now.lang || next.caption !== now.caption;
  }

  render(props: Props) {
    return <PivotTableOf {...props} />;
  }
}

// The width in px of a text in the table's font, bold (the widest it is shown in: totals are
// bold), with digits as tabular digits (each the width of a 0, as the table shows them).
let measuring: CanvasRenderingContext2D | null = null;
const measured = new Map<string, number>();
function textPx(text: string): number {
  const key = text.replace(/\d/g, '0');
  let px = measured.get(key);
  if (px === undefined) {
    if (!measuring) {
      measuring = document.createElement('canvas').getContext('2d');
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      if (measuring) measuring.font = `700 ${rem * 0.9}px ${getComputedStyle(document.body).fontFamily}`;
    }
    px = Math.ceil(measuring ? measuring.measureText(key).width : key.length * 10) + 1;
    measured.set(key, px);
  }
  return px;
}

// A cell's width (border box) for a text of `px`: the text, the padding either side, a border.
const cellWidth = (px: number) => `calc(${px}px + 2 * var(--cell-pad-x) + 1px)`;

type GridCell = { cell: Cell; classes: string; ids: Record<string, string> };

// The widest texts a column can show, from the few cells that decide it: per number of
// decimals the largest and the most negative value (a formatted number's length grows with
// its rounded magnitude), with a preliminary mark or a plus sign if any cell has one, and the
// marks of empty cells. Only these are formatted here; every other cell when it is rendered.
class ColumnWidth {
  private readonly extremes = new Map<number, { largest: Cell; lowest: Cell }>();
  private marks = '';
  private preliminary = false;
  private plus = false;

  add(cell: Cell): void {
    if (cell.value === null) {
      const mark = STATUS_TEXT[cell.status]?.mark ?? '..';
      if (mark.length > this.marks.length) this.marks = mark;
      return;
    }
    this.preliminary ||= cell.status === 'preliminary';
    this.plus ||= cell.isChange && cell.value > 0;
    const known = this.extremes.get(cell.decimals);
    if (!known) this.extremes.set(cell.decimals, { largest: cell, lowest: cell });
    else {
      if (Math.abs(cell.value) > Math.abs(known.largest.value ?? 0)) known.largest = cell;
      if (cell.value < (known.lowest.value ?? 0)) known.lowest = cell;
    }
  }

  px(lang: Lang): number {
    let widest = textPx(this.marks);
    for (const { largest, lowest } of this.extremes.values()) {
      for (const cell of [largest, lowest]) {
        let text = formatNumber(cell.value, cell.decimals, lang);
        if (this.plus && (cell.value ?? 0) >= 0) text = `+${text}`;
        if (this.preliminary) text = `${text}*`;
        widest = Math.max(widest, textPx(text));
      }
    }
    return widest;
  }
}

// Every cell of the table, read once per answer and layout (scrolling only picks rows from
// it), and the width of each column's widest text: the columns are given that width at
// least, so they do not change as other rows scroll into view.
function buildGrid(cube: Cube, layout: Layout, change: Change, lang: Lang) {
  const rowCombos = combinations(layout.rows);
  const colCombos = combinations(layout.cols);
  const fixedIds: Record<string, string> = {};
  for (const f of layout.fixed) fixedIds[f.dim.id] = f.category.id;
  const colIsTotal = colCombos.map((col) => col.some((c) => c.id === '_T'));
  const widths = colCombos.map(() => new ColumnWidth());
  const used = new Set<string>();
  const cells: GridCell[][] = rowCombos.map((row) =>
    colCombos.map((col, k) => {
      const ids = { ...fixedIds };
      layout.rows.forEach((d, i) => (ids[d.id] = row[i].id));
      layout.cols.forEach((d, i) => (ids[d.id] = col[i].id));
      const cell = readCell(cube, ids, change);
      if (cell.value === null || cell.status !== 'ok') used.add(cell.status);
      widths[k].add(cell);
      const classes = [cell.status === 'preliminary' ? 'preliminary' : '', cell.value === null ? 'missing' : '', colIsTotal[k] ? 'total' : '']
        .filter(Boolean)
        .join(' ');
      return { cell, classes, ids };
    }),
  );
  // Row header columns: the widest label of each row dimension (its heading included).
  const rowPx = layout.rows.map((dim) => Math.max(textPx(dim.label), ...dim.categories.map((c) => textPx(categoryLabel(dim, c, lang)))));
  const colPx = widths.map((w) => w.px(lang));
  return { rowCombos, colCombos, cells, colPx, rowPx, notes: [...used].filter((s) => STATUS_TEXT[s]) };
}

// The rows to render: all of a short table; of a long one, those in its box's view and a few
// either side, in steps so that scrolling re-renders now and then rather than every row.
// The window never starts so late that it would end past the last row (a scroll position
// left from a longer answer is corrected once the box has its new height).
function windowOf(total: number, scrollTop: number, viewPx: number, rowPx: number, headPx: number) {
  if (total <= WINDOW_FROM_ROWS) return { first: 0, last: total };
  const topRow = Math.floor(Math.max(0, scrollTop - headPx) / rowPx);
  const span = Math.ceil(viewPx / rowPx) + 2 * OVERSCAN_ROWS;  // the least ever rendered
  const aligned = Math.max(0, Math.floor(topRow / WINDOW_STEP) * WINDOW_STEP - OVERSCAN_ROWS);
  const first = Math.min(aligned, Math.max(0, total - span));
  const below = Math.ceil((topRow + span - OVERSCAN_ROWS) / WINDOW_STEP) * WINDOW_STEP;
  return { first, last: Math.min(total, Math.max(below, first + span)) };
}

function PivotTableOf({ cube, layout, change, lang, caption }: Props) {
  const grid = useMemo(() => buildGrid(cube, layout, change, lang), [cube, layout, change, lang]);
  const { rowCombos, colCombos, cells } = grid;
  // Printed, the table has every row (the box's height limit is lifted by the print styles).
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => setPrinting(true);
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  const windowed = rowCombos.length > WINDOW_FROM_ROWS && !printing;
  const box = useRef<HTMLDivElement>(null);
  // The box's scroll and the measured sizes that place the window; the first render of a long
  // table assumes the top and estimated sizes (the box is 70 % of the window high).
  const [view, setView] = useState({ scrollTop: 0, viewPx: Math.round(window.innerHeight * 0.7), rowPx: ESTIMATED_ROW_PX, headPx: 0 });
  const { first, last } = windowed ? windowOf(rowCombos.length, view.scrollTop, view.viewPx, view.rowPx, view.headPx) : { first: 0, last: rowCombos.length };

  const measure = () => {
    const element = box.current;
    if (!element || !windowed) return;
    const row = element.querySelector<HTMLElement>('tbody tr[data-row]');
    const head = element.querySelector<HTMLElement>('thead');
    const next = {
      scrollTop: element.scrollTop,
      viewPx: element.clientHeight || view.viewPx,
      rowPx: row ? row.getBoundingClientRect().height || view.rowPx : view.rowPx,
      headPx: (head?.getBoundingClientRect().height ?? 0) + (element.querySelector('caption')?.getBoundingClientRect().height ?? 0),
    };
    const moved = windowOf(rowCombos.length, next.scrollTop, next.viewPx, next.rowPx, next.headPx);
    const sized = next.rowPx !== view.rowPx || next.headPx !== view.headPx || next.viewPx !== view.viewPx;
    if (sized || moved.first !== first || moved.last !== last) setView(next);
  };
  // After a render: the real row and header heights (once they differ from the estimate, the
  // window is placed again before the frame is painted).
  useLayoutEffect(measure, [grid, first, last]);

  const rowSpanOf = (level: number) => layout.rows.slice(level + 1).reduce((n, d) => n * d.categories.length, 1);
  const headerCount = Math.max(layout.cols.length, 1);
  const columnCount = layout.rows.length + (layout.rows.length === 0 ? 1 : 0) + colCombos.length;

  // Header rows: one per column dimension; a category spans the columns under it. The last
  // row's cells carry each column's width.
  const headerRows = layout.cols.map((dim, level) => {
    const span = layout.cols.slice(level + 1).reduce((n, d) => n * d.categories.length, 1);
    const repeat = layout.cols.slice(0, level).reduce((n, d) => n * d.categories.length, 1);
    const leaf = level === layout.cols.length - 1;
    const out: JSX.Element[] = [];
    for (let r = 0; r < repeat; r++) {
      dim.categories.forEach((c, i) => {
        const column = (r * dim.categories.length + i) * span;
        out.push(
          <th scope="col" colSpan={span} class={c.id === '_T' ? 'total' : undefined} key={`${r}-${c.id}`} style={leaf ? { minWidth: cellWidth(grid.colPx[column]) } : undefined}>
            {categoryLabel(dim, c, lang)}
          </th>,
        );
      });
    }
    return (
      <tr key={dim.id} aria-rowindex={windowed ? level + 1 : undefined}>
        {level === 0
          ? layout.rows.map((rowDim, i) => (
              <th scope="col" rowSpan={layout.cols.length} class="row-dim" key={rowDim.id} style={{ minWidth: cellWidth(grid.rowPx[i]) }}>
                {rowDim.label}
              </th>
            ))
          : null}
        {level === 0 && layout.rows.length === 0 ? <td rowSpan={layout.cols.length} class="corner" /> : null}
        {out}
      </tr>
    );
  });

  const shape = `${layout.rows.map((d) => `${d.id}:${d.categories.length}`).join()}/${colCombos.length}`;
  const bodyRows: JSX.Element[] = [];
  for (let r = first; r < last; r++) {
    const row = rowCombos[r];
    const isTotal = row.some((c) => c.id === '_T');
    // The row's children as a list without holes: Preact places a new child after its next
    // sibling, and holes (null) make that search walk the rows after it.
    const children: JSX.Element[] = [];
    if (layout.rows.length === 0) children.push(<th scope="row" key="value">{tr({ da: 'Værdi', en: 'Value' }, lang)}</th>);
    row.forEach((c, level) => {
      // An outer label spans its group; at the window's top edge it is repeated for the part
      // of its group in the window.
      const span = rowSpanOf(level);
      const within = r % span;
      if (within !== 0 && r !== first) return;
      children.push(
        <th scope={span > 1 ? 'rowgroup' : 'row'} rowSpan={Math.min(span - within, last - r)} key={`h${level}`} class={c.id === '_T' ? 'total' : undefined}>
          {categoryLabel(layout.rows[level], c, lang)}
        </th>,
      );
    });
    cells[r].forEach(({ cell, classes, ids }, k) =>
      children.push(
        <td key={k} class={classes || undefined} title={STATUS_TEXT[cell.status]?.[lang]} data-key={cube.dims.map((d) => ids[d.id]).join('|')}>
          {cellText(cell.value, cell.status, cell.decimals, cell.isChange, lang)}
        </td>,
      ),
    );
    bodyRows.push(
      <tr key={r} data-row={r} class={isTotal ? 'total' : undefined} aria-rowindex={windowed ? headerCount + r + 1 : undefined}>
        {children}
      </tr>,
    );
  }
  const spacer = (rows: number, key: string) =>
    rows > 0 ? (
      <tr key={key} class="spacer" aria-hidden="true">
        <td colSpan={columnCount} style={{ height: `${rows * view.rowPx}px` }} />
      </tr>
    ) : null;

  return (
    <div>
      <div
        class={windowed ? 'table-scroll windowed' : 'table-scroll'}
        ref={box}
        tabIndex={0}
        role="region"
        aria-label={caption}
        onScroll={windowed ? measure : undefined}
      >
        <table class="data pivot" aria-rowcount={windowed ? headerCount + rowCombos.length : undefined}>
          <caption>{caption}</caption>
          <thead>
            {headerRows.length ? (
              headerRows
            ) : (
              <tr>
                {layout.rows.map((d) => (
                  <th scope="col" key={d.id}>
                    {d.label}
                  </th>
                ))}
                <th scope="col">{tr({ da: 'Værdi', en: 'Value' }, lang)}</th>
              </tr>
            )}
          </thead>
          {/* A new shape of rows is a new body: morphing each row's cells into another
              shape costs more than making them. */}
          <tbody key={shape}>
            {[spacer(first, 'before'), ...bodyRows, spacer(rowCombos.length - last, 'after')].filter((x): x is JSX.Element => x !== null)}
          </tbody>
        </table>
      </div>
      {windowed && (
        <p class="small muted table-size">
          {tr(
            {
              da: `${rowCombos.length.toLocaleString('da-DK')} rækker: rul i tabellen for at se dem alle, eller hent den som Excel eller CSV.`,
              en: `${rowCombos.length.toLocaleString('en-GB')} rows: scroll the table to see them all, or download it as Excel or CSV.`,
            },
            lang,
          )}
        </p>
      )}
      {grid.notes.length > 0 && (
        <ul class="status-notes small">
          {grid.notes.map((s) => (
            <li key={s}>
              <span class="status-mark">{STATUS_TEXT[s].mark}</span> {STATUS_TEXT[s][lang]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
