// The pivot table: column dimensions as header rows, row dimensions as row headers (outer
// ones spanning their group), every cell formatted by its measure's decimals, statuses marked.
import type { Lang } from '../../api';
import { formatNumber, periodLabel, tr } from '../../i18n';
import { combinations, readCell, type Category, type Cube, type Dim, type Layout } from './cube';
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

export function PivotTable({ cube, layout, change, lang, caption }: Props) {
  const rowCombos = combinations(layout.rows);
  const colCombos = combinations(layout.cols);
  const fixedIds: Record<string, string> = {};
  for (const f of layout.fixed) fixedIds[f.dim.id] = f.category.id;
  const used = new Set<string>();

  const idsFor = (row: Category[], col: Category[]) => {
    const ids = { ...fixedIds };
    layout.rows.forEach((d, i) => (ids[d.id] = row[i].id));
    layout.cols.forEach((d, i) => (ids[d.id] = col[i].id));
    return ids;
  };

  // Header rows: one per column dimension; a category spans the columns under it.
  const headerRows = layout.cols.map((dim, level) => {
    const span = layout.cols.slice(level + 1).reduce((n, d) => n * d.categories.length, 1);
    const repeat = layout.cols.slice(0, level).reduce((n, d) => n * d.categories.length, 1);
    const cells = [];
    for (let r = 0; r < repeat; r++) {
      for (const c of dim.categories) {
        cells.push(
          <th scope="col" colSpan={span} class={c.id === '_T' ? 'total' : undefined} key={`${r}-${c.id}`}>
            {categoryLabel(dim, c, lang)}
          </th>,
        );
      }
    }
    return (
      <tr key={dim.id}>
        {level === 0 ? (
          layout.rows.map((rowDim) => (
            <th scope="col" rowSpan={layout.cols.length} class="row-dim" key={rowDim.id}>
              {rowDim.label}
            </th>
          ))
        ) : null}
        {level === 0 && layout.rows.length === 0 ? <td rowSpan={layout.cols.length} class="corner" /> : null}
        {cells}
      </tr>
    );
  });

  const rowSpanOf = (level: number) => layout.rows.slice(level + 1).reduce((n, d) => n * d.categories.length, 1);

  const bodyRows = rowCombos.map((row, r) => {
    const isTotal = row.some((c) => c.id === '_T');
    return (
      <tr key={r} class={isTotal ? 'total' : undefined}>
        {layout.rows.length === 0 ? <th scope="row">{tr({ da: 'Værdi', en: 'Value' }, lang)}</th> : null}
        {row.map((c, level) => {
          const span = rowSpanOf(level);
          if (r % span !== 0) return null;
          return (
            <th scope={span > 1 ? 'rowgroup' : 'row'} rowSpan={span} key={level} class={c.id === '_T' ? 'total' : undefined}>
              {categoryLabel(layout.rows[level], c, lang)}
            </th>
          );
        })}
        {colCombos.map((col, k) => {
          const ids = idsFor(row, col);
          const cell = readCell(cube, ids, change);
          if (cell.value === null || cell.status !== 'ok') used.add(cell.value === null ? cell.status : cell.status);
          const classes = [cell.status === 'preliminary' ? 'preliminary' : '', cell.value === null ? 'missing' : '', col.some((c) => c.id === '_T') ? 'total' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <td key={k} class={classes || undefined} title={STATUS_TEXT[cell.status]?.[lang]} data-key={cube.dims.map((d) => ids[d.id]).join('|')}>
              {cellText(cell.value, cell.status, cell.decimals, cell.isChange, lang)}
            </td>
          );
        })}
      </tr>
    );
  });

  const notes = [...used].filter((s) => STATUS_TEXT[s]);
  return (
    <div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table class="data pivot">
          <caption>{caption}</caption>
          <thead>{headerRows.length ? headerRows : <tr>{layout.rows.map((d) => <th scope="col" key={d.id}>{d.label}</th>)}<th scope="col">{tr({ da: 'Værdi', en: 'Value' }, lang)}</th></tr>}</thead>
          <tbody>{bodyRows}</tbody>
        </table>
      </div>
      {notes.length > 0 && (
        <ul class="status-notes small">
          {notes.map((s) => (
            <li key={s}>
              <span class="status-mark">{STATUS_TEXT[s].mark}</span> {STATUS_TEXT[s][lang]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
