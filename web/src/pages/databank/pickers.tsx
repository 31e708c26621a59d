// The Databank's four choices: measures (by benefit or by kind of measure), breakdowns with
// free bands, areas (any level, own groups, totals) and periods.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { name, type Lang, type MeasureSummary, type Menu } from '../../api';
import { tr } from '../../i18n';
import {
  BAND_BREAKDOWNS,
  LEVEL_PLURALS,
  MAX_PERIODS,
  sameRef,
  type AreaLevel,
  type AreaOption,
  type Breakdown,
  type DatabankState,
  type PeriodType,
} from './state';

export const BREAKDOWN_NAMES: Record<string, { da: string; en: string }> = {
  age: { da: 'Alder', en: 'Age' },
  duration: { da: 'Varighed', en: 'Duration' },
  sex: { da: 'Køn', en: 'Sex' },
  origin: { da: 'Herkomst', en: 'Origin' },
  education: { da: 'Uddannelse', en: 'Education' },
  visitation: { da: 'Visitation', en: 'Referral category' },
  benefit: { da: 'Ydelse', en: 'Benefit' },
  unemployment_fund: { da: 'A-kasse', en: 'Unemployment fund' },
  offer_type: { da: 'Tilbudstype', en: 'Offer type' },
  provider: { da: 'Aktør', en: 'Provider' },
  status_after: { da: 'Status efter forløbet', en: 'Status after the spell' },
  survival_week: { da: 'Uger siden start', en: 'Weeks since start' },
};

const OPTION_HINTS: Record<string, { label: { da: string; en: string }; hint: { da: string; en: string } }> = {
  age: {
    label: { da: 'Aldersgrupper (år)', en: 'Age bands (years)' },
    hint: { da: 'Fx 16-29, 30-49, 50- · tomt = standardgrupper', en: 'E.g. 16-29, 30-49, 50- · empty = default bands' },
  },
  duration: {
    label: { da: 'Varighedsgrupper (uger)', en: 'Duration bands (weeks)' },
    hint: { da: 'Fx 0-25, 26-39, 40- · tomt = standardgrupper', en: 'E.g. 0-25, 26-39, 40- · empty = default bands' },
  },
  status_after: {
    label: { da: 'Måneder efter forløbets slut', en: 'Months after the spell ended' },
    hint: { da: 'Fx 3, 6, 12 (1-60)', en: 'E.g. 3, 6, 12 (1-60)' },
  },
  survival_week: {
    label: { da: 'Uger', en: 'Weeks' },
    hint: { da: 'Fx 0, 4, 13, 26, 52 · tomt = 0-104', en: 'E.g. 0, 4, 13, 26, 52 · empty = 0-104' },
  },
};

type SetState = (update: (state: DatabankState) => DatabankState) => void;

// --- Measures ------------------------------------------------------------------------------

export function MeasurePicker(props: {
  menu: Menu;
  measures: MeasureSummary[];
  state: DatabankState;
  setState: SetState;
  lang: Lang;
  entry: 'benefit' | 'measure';
  setEntry: (entry: 'benefit' | 'measure') => void;
  subject: string;
  setSubject: (id: string) => void;
  topic: string;
  setTopic: (id: string) => void;
  onInfo: (id: string) => void;
}) {
  const { menu, measures, state, setState, lang, entry } = props;
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const byId = useMemo(() => new Map(measures.map((m) => [m.id, m])), [measures]);
  const subjects = [...menu.subjects].sort((a, b) => a.order - b.order);
  const topics = [...menu.topics].sort((a, b) => a.order - b.order);
  const needle = search.trim().toLowerCase();

  const groups = menu.groups
    .filter((g) => (needle ? true : entry === 'benefit' ? g.subject === props.subject : g.topic === props.topic))
    .sort((a, b) =>
      entry === 'benefit'
        ? a.order - b.order
        : (subjects.findIndex((s) => s.id === a.subject) - subjects.findIndex((s) => s.id === b.subject)) || a.order - b.order,
    );

  const anyExpanded = groups.some((g) => expanded.has(g.id));
  const toggle = (id: string) =>
    setState((s) => ({
      ...s,
      measures: s.measures.includes(id) ? s.measures.filter((m) => m !== id) : [...s.measures, id],
    }));

  return (
    <fieldset class="step">
      <legend>
        <span class="step__number">1</span> {tr({ da: 'Måling', en: 'Measure' }, lang)}
      </legend>
      <div class="segmented" role="radiogroup" aria-label={tr({ da: 'Indgang', en: 'Entrance' }, lang)}>
        {(['benefit', 'measure'] as const).map((e) => (
          <label key={e} class={entry === e ? 'checked' : undefined}>
            <input type="radio" name="entry" value={e} checked={entry === e} onChange={() => props.setEntry(e)} />
            {e === 'benefit' ? tr({ da: 'Efter ydelse', en: 'By benefit' }, lang) : tr({ da: 'Efter målingstype', en: 'By kind of measure' }, lang)}
          </label>
        ))}
      </div>
      {entry === 'benefit' ? (
        <div class="field">
          <label for="subject">{tr({ da: 'Ydelsesområde', en: 'Benefit area' }, lang)}</label>
          <select id="subject" value={props.subject} onChange={(e) => props.setSubject((e.target as HTMLSelectElement).value)}>
            {subjects.map((s) => (
              <option key={s.id} value={s.id}>
                {name(s.name, lang)}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <div class="field">
          <label for="topic">{tr({ da: 'Målingstype', en: 'Kind of measure' }, lang)}</label>
          <select id="topic" value={props.topic} onChange={(e) => props.setTopic((e.target as HTMLSelectElement).value)}>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {name(t.name, lang)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="measure-search">{tr({ da: 'Søg måling', en: 'Search measures' }, lang)}</label>
        <input id="measure-search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      </div>
      <div class="measure-list">
        {groups.map((g) => {
          const items = g.measures
            .map((id) => byId.get(id))
            .filter((m): m is MeasureSummary => !!m)
            .filter((m) => !needle || name(m.name, lang).toLowerCase().includes(needle) || m.id.includes(needle));
          if (!items.length) return null;
          const subject = subjects.find((s) => s.id === g.subject);
          const chosenHere = items.filter((m) => state.measures.includes(m.id)).length;
          // Groups fold so the keyboard passes a benefit's many measures in a few steps.
          const open = needle !== '' || chosenHere > 0 || expanded.has(g.id) || (!anyExpanded && g === groups[0]);
          return (
            <details
              class="measure-group"
              key={`${g.id}:${needle !== ''}`}
              open={open}
              onToggle={(e) => {
                const isOpen = (e.currentTarget as HTMLDetailsElement).open;
                setExpanded((x) => {
                  const next = new Set(x);
                  if (isOpen) next.add(g.id);
                  else next.delete(g.id);
                  return next;
                });
              }}
            >
              <summary class="measure-group__name">
                {entry === 'measure' || needle ? `${name(subject?.name, lang)} · ` : ''}
                {name(g.name, lang)} <span class="muted">({items.length}{chosenHere ? `, ${chosenHere} ${tr({ da: 'valgt', en: 'chosen' }, lang)}` : ''})</span>
              </summary>
              {items.map((m) => (
                <div class="measure-item" key={m.id}>
                  <label>
                    <input type="checkbox" checked={state.measures.includes(m.id)} onChange={() => toggle(m.id)} />
                    {name(m.name, lang)}
                  </label>
                  <button
                    type="button"
                    class="info-button"
                    aria-label={`${tr({ da: 'Om målingen', en: 'About the measure' }, lang)}: ${name(m.name, lang)}`}
                    onClick={() => props.onInfo(m.id)}
                  >
                    i
                  </button>
                </div>
              ))}
            </details>
          );
        })}
      </div>
    </fieldset>
  );
}

// A text field that keeps what is typed until it is committed (Enter or leaving the field):
// an answer arriving meanwhile re-renders the page and must not wipe the typing.
function DraftInput(props: { id: string; value: string; describedBy: string; onCommit: (text: string) => void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <input
      id={props.id}
      type="text"
      value={draft}
      aria-describedby={props.describedBy}
      onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
      onChange={(e) => props.onCommit((e.target as HTMLInputElement).value)}
    />
  );
}

// --- Breakdowns ----------------------------------------------------------------------------

export function BreakdownPicker(props: {
  allowed: string[];
  required: string[];
  state: DatabankState;
  setState: SetState;
  lang: Lang;
  error?: string;
}) {
  const { allowed, required, state, setState, lang } = props;
  const chosen = (by: string) => state.breakdowns.find((b) => b.by === by);
  const toggle = (by: string) =>
    setState((s) => ({
      ...s,
      breakdowns: chosen(by) ? s.breakdowns.filter((b) => b.by !== by) : [...s.breakdowns, { by, option: '' }],
      rows: [],
      cols: [],
    }));
  const setOption = (by: string, option: string) =>
    setState((s) => ({ ...s, breakdowns: s.breakdowns.map((b): Breakdown => (b.by === by ? { by, option } : b)) }));
  const list = [...new Set([...required, ...allowed])];
  return (
    <fieldset class="step">
      <legend>
        <span class="step__number">2</span> {tr({ da: 'Opdeling', en: 'Breakdown' }, lang)}
      </legend>
      {list.length === 0 && <p class="muted small">{tr({ da: 'Vælg først en måling.', en: 'Choose a measure first.' }, lang)}</p>}
      {list.map((by) => {
        const b = chosen(by);
        const isRequired = required.includes(by);
        const hint = OPTION_HINTS[by];
        return (
          <div class="breakdown" key={by}>
            <label>
              <input type="checkbox" checked={!!b} disabled={isRequired && !!b} onChange={() => toggle(by)} />
              {tr(BREAKDOWN_NAMES[by] ?? { da: by, en: by }, lang)}
              {isRequired && <span class="muted small"> ({tr({ da: 'kræves af målingen', en: 'required by the measure' }, lang)})</span>}
            </label>
            {b && hint && (
              <div class="field band-editor">
                <label for={`opt-${by}`}>{tr(hint.label, lang)}</label>
                <DraftInput
                  id={`opt-${by}`}
                  value={b.option.replace(/,/g, ', ')}
                  describedBy={`opt-${by}-hint`}
                  onCommit={(text) => setOption(by, text.replace(/\s+/g, ''))}
                />
                <span class="hint" id={`opt-${by}-hint`}>
                  {tr(hint.hint, lang)}
                </span>
              </div>
            )}
          </div>
        );
      })}
      {props.error && (
        <p class="message error" role="alert">
          {props.error}
        </p>
      )}
      {state.breakdowns.some((b) => BAND_BREAKDOWNS.has(b.by)) && (
        <p class="muted small">{tr({ da: 'Intervaller skrives fra-til med begge ender med; "50-" er 50 og derover.', en: 'Bands are written from-to, both ends included; "50-" is 50 and over.' }, lang)}</p>
      )}
    </fieldset>
  );
}

// --- Areas ---------------------------------------------------------------------------------

export function AreaPicker(props: { options: AreaOption[]; state: DatabankState; setState: SetState; lang: Lang; error?: string }) {
  const { options, state, setState, lang } = props;
  const [search, setSearch] = useState('');
  const [groupName, setGroupName] = useState('');
  const needle = search.trim().toLowerCase();
  const matches = needle
    ? options
        .filter((o) => o.label.toLowerCase().includes(needle) || o.ref.code === needle)
        .sort((a, b) => Number(!a.label.toLowerCase().startsWith(needle)) - Number(!b.label.toLowerCase().startsWith(needle)))
        .slice(0, 10)
    : [];
  const labelOf = (ref: { level: AreaLevel; code: string }) =>
    ref.code === '*' ? tr(LEVEL_PLURALS[ref.level], lang) : options.find((o) => sameRef(o.ref, ref))?.label ?? `${ref.level} ${ref.code}`;
  const add = (option: AreaOption) => {
    setState((s) => ({ ...s, areas: s.areas.some((a) => sameRef(a, option.ref)) ? s.areas : [...s.areas, option.ref] }));
    setSearch('');
  };
  const addLevel = (level: AreaLevel) =>
    setState((s) => ({ ...s, areas: s.areas.some((a) => a.level === level && a.code === '*') ? s.areas : [...s.areas.filter((a) => a.level !== level), { level, code: '*' }] }));
  const chosenMunicipalities = state.areas.filter((a) => a.level === 'municipality' && a.code !== '*');
  const makeGroup = () => {
    const trimmed = groupName.trim();
    if (!trimmed || chosenMunicipalities.length < 2) return;
    setState((s) => ({
      ...s,
      groups: [...s.groups.filter((g) => g.name !== trimmed), { name: trimmed, members: chosenMunicipalities.map((a) => a.code) }],
      areas: s.areas.filter((a) => !(a.level === 'municipality' && a.code !== '*')),
    }));
    setGroupName('');
  };
  return (
    <fieldset class="step">
      <legend>
        <span class="step__number">3</span> {tr({ da: 'Område', en: 'Area' }, lang)}
      </legend>
      <ul class="chips" aria-label={tr({ da: 'Valgte områder', en: 'Chosen areas' }, lang)}>
        {state.areas.map((a) => (
          <li key={`${a.level}:${a.code}`} class="chip">
            {labelOf(a)}
            {a.level !== 'country' && a.code !== '*' && a.level !== 'municipality' && (
              <span class="muted"> · {options.find((o) => sameRef(o.ref, a))?.levelLabel}</span>
            )}
            <button type="button" aria-label={`${tr({ da: 'Fjern', en: 'Remove' }, lang)} ${labelOf(a)}`} onClick={() => setState((s) => ({ ...s, areas: s.areas.filter((x) => !sameRef(x, a)) }))}>
              ×
            </button>
          </li>
        ))}
        {state.groups.map((g) => (
          <li key={`g:${g.name}`} class="chip group">
            {g.name} <span class="muted">· {g.members.length} {tr({ da: 'kommuner', en: 'municipalities' }, lang)}</span>
            <button type="button" aria-label={`${tr({ da: 'Fjern', en: 'Remove' }, lang)} ${g.name}`} onClick={() => setState((s) => ({ ...s, groups: s.groups.filter((x) => x.name !== g.name) }))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {state.areas.length === 0 && state.groups.length === 0 && (
        <p class="muted small">{tr({ da: 'Vælg mindst ét område.', en: 'Choose at least one area.' }, lang)}</p>
      )}
      <div class="field">
        <label for="area-search">{tr({ da: 'Tilføj område', en: 'Add an area' }, lang)}</label>
        <input
          id="area-search"
          type="search"
          autocomplete="off"
          placeholder={tr({ da: 'Kommune, jobcenter, region …', en: 'Municipality, jobcentre, region …' }, lang)}
          value={search}
          aria-describedby="area-search-hint"
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches[0]) {
              e.preventDefault();
              add(matches[0]);
            }
          }}
        />
        <span class="hint" id="area-search-hint">
          {tr({ da: 'Skriv og vælg; Enter tilføjer det første.', en: 'Type and choose; Enter adds the first.' }, lang)}
        </span>
      </div>
      {matches.length > 0 && (
        <ul class="area-matches" aria-label={tr({ da: 'Forslag', en: 'Suggestions' }, lang)}>
          {matches.map((o) => (
            <li key={`${o.ref.level}:${o.ref.code}`}>
              <button type="button" class="link-button" onClick={() => add(o)}>
                {o.label} <span class="muted small">{o.levelLabel}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="quick-levels">
        <span class="small muted">{tr({ da: 'Tilføj alle:', en: 'Add all:' }, lang)}</span>
        {(['region', 'landsdel', 'municipality_group', 'municipality'] as AreaLevel[]).map((level) => (
          <button type="button" class="btn small-btn" key={level} onClick={() => addLevel(level)}>
            {tr(LEVEL_PLURALS[level], lang).replace(/^Alle /, '').replace(/^All /, '')}
          </button>
        ))}
      </div>
      <label class="check">
        <input type="checkbox" checked={state.areaTotal} onChange={() => setState((s) => ({ ...s, areaTotal: !s.areaTotal }))} />
        {tr({ da: 'I alt for de valgte områder (hver person tælles én gang)', en: 'Total of the chosen areas (each person counted once)' }, lang)}
      </label>
      {chosenMunicipalities.length >= 2 && (
        <div class="field group-maker">
          <label for="group-name">{tr({ da: 'Saml de valgte kommuner i en egen gruppe', en: 'Join the chosen municipalities in a group of your own' }, lang)}</label>
          <div class="inline">
            <input id="group-name" type="text" value={groupName} maxLength={60} placeholder={tr({ da: 'Gruppens navn', en: 'Name of the group' }, lang)} onInput={(e) => setGroupName((e.target as HTMLInputElement).value)} />
            <button type="button" class="btn" disabled={!groupName.trim()} onClick={makeGroup}>
              {tr({ da: 'Saml', en: 'Join' }, lang)}
            </button>
          </div>
        </div>
      )}
      {props.error && (
        <p class="message error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

// --- Periods -------------------------------------------------------------------------------

const PERIOD_TYPES: { type: PeriodType; da: string; en: string }[] = [
  { type: 'M', da: 'Måneder', en: 'Months' },
  { type: 'Q', da: 'Kvartaler', en: 'Quarters' },
  { type: 'Y', da: 'År', en: 'Years' },
  { type: 'W', da: 'Uger', en: 'Weeks' },
  { type: 'R12', da: 'Løbende år (12 mdr.)', en: 'Rolling years (12 months)' },
  { type: 'YTD', da: 'År til dato', en: 'Year to date' },
];

export function PeriodPicker(props: { state: DatabankState; setState: SetState; lang: Lang; error?: string; shown: string[] }) {
  const { state, setState, lang } = props;
  const latest = state.periods.kind === 'latest' ? state.periods : { kind: 'latest' as const, n: 12, type: 'M' as PeriodType };
  const [listText, setListText] = useState(state.periods.kind === 'list' ? state.periods.ids.join(', ') : '');
  return (
    <fieldset class="step">
      <legend>
        <span class="step__number">4</span> {tr({ da: 'Periode', en: 'Period' }, lang)}
      </legend>
      <div class="segmented" role="radiogroup" aria-label={tr({ da: 'Perioder', en: 'Periods' }, lang)}>
        <label class={state.periods.kind === 'latest' ? 'checked' : undefined}>
          <input type="radio" name="period-kind" checked={state.periods.kind === 'latest'} onChange={() => setState((s) => ({ ...s, periods: latest }))} />
          {tr({ da: 'Seneste', en: 'Latest' }, lang)}
        </label>
        <label class={state.periods.kind === 'list' ? 'checked' : undefined}>
          <input
            type="radio"
            name="period-kind"
            checked={state.periods.kind === 'list'}
            onChange={() => {
              setListText(props.shown.join(', '));
              setState((s) => ({ ...s, periods: { kind: 'list', ids: props.shown } }));
            }}
          />
          {tr({ da: 'Bestemte perioder', en: 'Given periods' }, lang)}
        </label>
      </div>
      {state.periods.kind === 'latest' ? (
        <div class="inline">
          <div class="field">
            <label for="period-n">{tr({ da: 'Antal', en: 'Number' }, lang)}</label>
            <input
              id="period-n"
              type="number"
              min={1}
              max={MAX_PERIODS}
              value={latest.n}
              onChange={(e) => {
                const n = Math.round(Number((e.target as HTMLInputElement).value));
                if (n >= 1 && n <= MAX_PERIODS) setState((s) => ({ ...s, periods: { ...latest, n } }));
              }}
            />
          </div>
          <div class="field">
            <label for="period-type">{tr({ da: 'Periodetype', en: 'Kind of period' }, lang)}</label>
            <select id="period-type" value={latest.type} onChange={(e) => setState((s) => ({ ...s, periods: { ...latest, type: (e.target as HTMLSelectElement).value as PeriodType } }))}>
              {PERIOD_TYPES.map((p) => (
                <option key={p.type} value={p.type}>
                  {tr(p, lang)}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : (
        <div class="field">
          <label for="period-list">{tr({ da: 'Perioder', en: 'Periods' }, lang)}</label>
          <input
            id="period-list"
            type="text"
            value={listText}
            aria-describedby="period-list-hint"
            onInput={(e) => setListText((e.target as HTMLInputElement).value)}
            onChange={(e) => {
              const ids = (e.target as HTMLInputElement).value.split(/[\s,;]+/).filter(Boolean).slice(0, MAX_PERIODS);
              if (ids.length) setState((s) => ({ ...s, periods: { kind: 'list', ids } }));
            }}
          />
          <span class="hint" id="period-list-hint">
            {tr({ da: 'Fx 2026M01, 2026Q1, 2025, 2026W05, 2026M06R12, 2026M06YTD', en: 'E.g. 2026M01, 2026Q1, 2025, 2026W05, 2026M06R12, 2026M06YTD' }, lang)}
          </span>
        </div>
      )}
      {props.error && (
        <p class="message error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
