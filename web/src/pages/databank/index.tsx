// The Databank: choose measures, breakdowns, areas and periods; the table (pivot, totals,
// change), a chart or a map appears as soon as the choice is complete; export in every
// format of the API; the address is the share link.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  postQuery,
  type Areas,
  type Config,
  type MeasureSummary,
  type Menu,
  type ReleaseDetail,
} from '../../api';
import { formatDate, tr, useLang } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { Cube, layoutOf } from './cube';
import { AreaPicker, BreakdownPicker, MeasurePicker, PeriodPicker } from './pickers';
import { Results } from './results';
import { errorMessage } from './errors';
import { MeasureInfoDialog } from './measure-info';
import {
  areaOptions,
  buildQuery,
  estimateCells,
  parseState,
  stateToSearch,
  type BuiltQuery,
  type DatabankState,
  type ParseProblem,
} from './state';
import './databank.css';

type Catalogue = { menu: Menu; measures: MeasureSummary[]; areas: Areas; config: Config; release: ReleaseDetail };

type Answer =
  | { kind: 'idle' }
  | { kind: 'loading'; previous?: Done }
  | { kind: 'error'; error: ApiError | Error; previous?: Done }
  | Done;
type Done = { kind: 'done'; cube: Cube; built: BuiltQuery; millis: number; seq: number };

// Fallback sizes until /api/v1/codes/{list} has answered.
const CODE_LIST_SIZES: Record<string, number> = {
  sex: 2,
  origin: 5,
  education: 6,
  visitation: 6,
  benefit: 15,
  unemployment_fund: 25,
  offer_type: 8,
  provider: 4,
};

export function DatabankPage() {
  const lang = useLang();
  const location = useLocation();
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const initial = useMemo(() => parseState(location.search), []);
  const [state, setStateRaw] = useState<DatabankState>(initial.state);
  const [linkProblems, setLinkProblems] = useState<ParseProblem[]>(initial.problems);
  const [entry, setEntry] = useState<'benefit' | 'measure'>(location.search.get('topic') ? 'measure' : 'benefit');
  const [subject, setSubject] = useState(location.search.get('subject') ?? '');
  const [topic, setTopic] = useState(location.search.get('topic') ?? '');
  const [answer, setAnswer] = useState<Answer>({ kind: 'idle' });
  // The old answer is dimmed once a query has run 0.2 s: a quicker answer never flickers. A
  // timer, not a CSS transition delay: a running transition makes the browser draw frames
  // the whole time, on the cores the server (on a laptop) computes with.
  const [slow, setSlow] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const sequence = useRef(0);

  useEffect(() => {
    document.title = `Databank · Jobindsigt`;
    // A link read only in part: the address now says what is shown (the notice says the rest).
    if (initial.problems.length) setState((s) => s);
  }, []);

  // A new address (back/forward, a pasted link) replaces the choice.
  const lastSearch = useRef(stateToSearch(initial.state));
  useEffect(() => {
    const parsed = parseState(location.search);
    const search = stateToSearch(parsed.state);
    if (search !== lastSearch.current) {
      lastSearch.current = search;
      setStateRaw(parsed.state);
      setLinkProblems(parsed.problems);
    }
  }, [location.search.toString()]);

  const setState = (update: (s: DatabankState) => DatabankState) => {
    setStateRaw((s) => {
      const next = update(s);
      const search = stateToSearch(next);
      lastSearch.current = search;
      const langPart = new URLSearchParams(location.search).get('lang');
      navigate(`/databank?${search}${langPart ? `&lang=${langPart}` : ''}`, { replace: true });
      return next;
    });
  };

  useEffect(() => {
    Promise.all([api.menu(), api.measures(), api.areas(), api.config(), api.release('latest')])
      .then(([menu, measures, areas, config, release]) => {
        setCatalogue({ menu, measures, areas, config, release });
        const known = new Set(measures.map((m) => m.id));
        const unknown = initial.state.measures.filter((id) => !known.has(id));
        if (unknown.length) {
          setLinkProblems((p) => [
            ...p,
            ...unknown.map((id) => ({ parameter: 'm', value: id, why: { da: 'ingen måling har dette id — udeladt', en: 'no measure has this id — left out' } })),
          ]);
          setState((s) => ({ ...s, measures: s.measures.filter((id) => known.has(id)) }));
        }
        const first = measures.find((m) => initial.state.measures.includes(m.id));
        const firstGroup = first && menu.groups.find((g) => g.id === first.group);
        setSubject((s) => s || firstGroup?.subject || [...menu.subjects].sort((a, b) => a.order - b.order)[0]?.id || '');
        setTopic((t) => t || firstGroup?.topic || [...menu.topics].sort((a, b) => a.order - b.order)[0]?.id || '');
      })
      .catch((error: Error) => setLoadError(error.message));
  }, []);

  const options = useMemo(() => (catalogue ? areaOptions(catalogue.areas, lang) : []), [catalogue, lang]);
  const chosen = useMemo(
    () => (catalogue ? state.measures.map((id) => catalogue.measures.find((m) => m.id === id)).filter((m): m is MeasureSummary => !!m) : []),
    [catalogue, state.measures],
  );
  // Breakdowns every chosen measure allows; those a measure needs are always on.
  const allowed = useMemo(() => {
    if (!chosen.length) return [];
    return chosen[0].allowed_breakdowns.filter((b) => chosen.every((m) => m.allowed_breakdowns.includes(b)));
  }, [chosen]);
  const required = useMemo(() => [...new Set(chosen.flatMap((m) => m.default_breakdowns))], [chosen]);

  // Sizes of the code lists behind the chosen breakdowns, for the cell count before sending.
  const [listSizes, setListSizes] = useState<Record<string, number>>({});
  useEffect(() => {
    for (const by of state.breakdowns.map((b) => b.by)) {
      if (by in CODE_LIST_SIZES && !(by in listSizes)) {
        api.codes(by).then(
          (list) => setListSizes((sizes) => ({ ...sizes, [by]: list.codes.length })),
          () => undefined, // the fallback size stands
        );
      }
    }
  }, [state.breakdowns]);

  useEffect(() => {
    const missing = required.filter((by) => !state.breakdowns.some((b) => b.by === by));
    const notAllowed = state.breakdowns.filter((b) => !allowed.includes(b.by) && !required.includes(b.by));
    if (catalogue && chosen.length && (missing.length || notAllowed.length)) {
      setState((s) => ({
        ...s,
        breakdowns: [...s.breakdowns.filter((b) => allowed.includes(b.by) || required.includes(b.by)), ...missing.map((by) => ({ by, option: '' }))],
      }));
    }
  }, [required.join(), allowed.join(), catalogue]);

  const cutOffDay = catalogue?.release.cut_off_day ?? '';
  const built = useMemo(
    () => (catalogue && state.measures.length ? buildQuery(state, cutOffDay, options) : null),
    [catalogue, state.measures, state.breakdowns, state.areas, state.groups, state.areaTotal, state.periods, state.change, options],
  );
  const cells = built ? estimateCells(built, (by, option) => (option ? option.split(',').length : listSizes[by] ?? CODE_LIST_SIZES[by] ?? 6), state) : 0;
  const maxCells = catalogue?.config.max_cells ?? 250000;
  const noArea = state.areas.length === 0 && state.groups.length === 0;
  const tooMany = cells > maxCells;

  // Runs the query whenever the choice that shapes it changes; a newer choice cancels the
  // older request, and the old table stays visible (dimmed) while the new one is computed.
  // A layout effect, so the request leaves in the same task as the user's choice rather than
  // after the next frame (Preact runs plain effects after paint): the server starts at once.
  useLayoutEffect(() => {
    if (!built || noArea || tooMany) {
      setAnswer({ kind: 'idle' });
      return;
    }
    const controller = new AbortController();
    const mine = ++sequence.current;
    setAnswer((a) => ({ kind: 'loading', previous: a.kind === 'done' ? a : a.kind === 'loading' || a.kind === 'error' ? a.previous : undefined }));
    const started = performance.now();
    setSlow(false);
    const dimTimer = setTimeout(() => setSlow(true), 200);
    // No debounce: text fields commit on change, so every request is a real choice.
    postQuery(built.query, lang, controller.signal)
      .then((js) => {
        if (mine !== sequence.current) return;
        setAnswer({ kind: 'done', cube: new Cube(js), built, millis: Math.round(performance.now() - started), seq: mine });
      })
      .catch((error: Error) => {
        if (controller.signal.aborted || mine !== sequence.current) return;
        setAnswer((a) => ({ kind: 'error', error, previous: a.kind === 'loading' ? a.previous : undefined }));
      });
    return () => {
      clearTimeout(dimTimer);
      controller.abort();
    };
  }, [built, lang, noArea, tooMany]);

  // The answer shown: the new one, or the one before while a newer is computed. Its layout
  // keeps its identity until the answer or the pivot changes, so the (memoised) table is not
  // rebuilt on every keystroke elsewhere on the page.
  const done = answer.kind === 'done' ? answer : answer.kind !== 'idle' ? answer.previous : undefined;
  const layout = useMemo(
    () => (done ? layoutOf(done.cube, state.rows, state.cols, done.built.shownPeriods) : null),
    [done, state.rows, state.cols],
  );

  if (loadError) {
    return (
      <div class="page">
        <h1>Databank</h1>
        <p class="message error" role="alert">
          {tr({ da: 'Databanken kunne ikke hente kataloget: ', en: 'The Databank could not load the catalogue: ' }, lang)}
          {loadError}
        </p>
      </div>
    );
  }
  if (!catalogue) {
    return (
      <div class="page">
        <h1>Databank</h1>
        <p class="loading" role="status">
          {tr({ da: 'Henter kataloget …', en: 'Loading the catalogue …' }, lang)}
        </p>
      </div>
    );
  }

  const error = answer.kind === 'error' ? answer.error : null;
  const parameter = error instanceof ApiError ? error.problem.parameter ?? '' : '';
  const errorText = error ? errorMessage(error, lang) : '';
  const errorAt = (prefix: string) => (error && parameter.startsWith(prefix) ? errorText : undefined);
  const generalError = error && !['breakdowns', 'areas', 'periods', 'measures'].some((p) => parameter.startsWith(p)) ? errorText : undefined;
  const shown = built?.shownPeriods ?? [];

  return (
    <div class="page databank">
      <div class="databank__head">
        <h1>Databank</h1>
        <p class="muted">
          {tr({ da: 'Udgivelse', en: 'Release' }, lang)} {catalogue.release.id} ·{' '}
          {tr({ da: 'data til og med', en: 'data up to' }, lang)} {formatDate(cutOffDay, lang)}
        </p>
      </div>
      {linkProblems.length > 0 && (
        <div class="message warn" role="alert">
          <p>
            <strong>{tr({ da: 'Linket kunne ikke læses helt.', en: 'The link could not be read in full.' }, lang)}</strong>{' '}
            {tr({ da: 'Resten af tabellen er genskabt:', en: 'The rest of the table has been restored:' }, lang)}
          </p>
          <ul>
            {linkProblems.map((p, i) => (
              <li key={i}>
                <code>{p.parameter}</code> = <code>{p.value}</code>: {tr(p.why, lang)}
              </li>
            ))}
          </ul>
          <button type="button" class="btn" onClick={() => setLinkProblems([])}>
            {tr({ da: 'Luk', en: 'Close' }, lang)}
          </button>
        </div>
      )}
      <div class="databank__layout">
        <aside class="databank__choices" aria-label={tr({ da: 'Valg', en: 'Choices' }, lang)}>
          <MeasurePicker
            menu={catalogue.menu}
            measures={catalogue.measures}
            state={state}
            setState={setState}
            lang={lang}
            entry={entry}
            setEntry={setEntry}
            subject={subject}
            setSubject={setSubject}
            topic={topic}
            setTopic={setTopic}
            onInfo={setInfo}
          />
          {errorAt('measures') && (
            <p class="message error" role="alert">
              {errorAt('measures')}
            </p>
          )}
          <BreakdownPicker allowed={allowed} required={required} state={state} setState={setState} lang={lang} error={errorAt('breakdowns')} />
          <AreaPicker options={options} state={state} setState={setState} lang={lang} error={errorAt('areas')} />
          <PeriodPicker state={state} setState={setState} lang={lang} error={errorAt('periods')} shown={shown} />
        </aside>
        <section class="databank__result" aria-label={tr({ da: 'Resultat', en: 'Result' }, lang)}>
          {!state.measures.length && (
            <div class="empty-state">
              <h2>{tr({ da: 'Byg en tabel', en: 'Build a table' }, lang)}</h2>
              <p>
                {tr(
                  {
                    da: 'Vælg en eller flere målinger til venstre. Tabellen vises med det samme og opdateres, når du ændrer opdeling, område eller periode.',
                    en: 'Choose one or more measures on the left. The table appears at once and follows every change of breakdown, area or period.',
                  },
                  lang,
                )}
              </p>
            </div>
          )}
          {state.measures.length > 0 && noArea && (
            <p class="message warn" role="alert">
              {tr({ da: 'Vælg mindst ét område.', en: 'Choose at least one area.' }, lang)}
            </p>
          )}
          {tooMany && (
            <p class="message warn" role="alert">
              {tr(
                {
                  da: `Valget giver omkring ${cells.toLocaleString('da-DK')} celler, og grænsen er ${maxCells.toLocaleString('da-DK')}. Vælg færre perioder, områder eller grupper.`,
                  en: `The choice makes about ${cells.toLocaleString('en-GB')} cells and the limit is ${maxCells.toLocaleString('en-GB')}. Choose fewer periods, areas or groups.`,
                },
                lang,
              )}
            </p>
          )}
          {generalError && (
            <p class="message error" role="alert">
              {generalError}
            </p>
          )}
          {done && built && layout && (
            <Results
              key="results"
              done={done}
              state={state}
              setState={setState}
              lang={lang}
              busy={answer.kind === 'loading'}
              dimmed={answer.kind === 'loading' && slow}
              measures={chosen}
              options={options}
              layout={layout}
              onInfo={setInfo}
            />
          )}
          {answer.kind === 'loading' && !done && (
            <p class="loading" role="status">
              {tr({ da: 'Beregner …', en: 'Computing …' }, lang)}
            </p>
          )}
        </section>
      </div>
      {info && <MeasureInfoDialog id={info} lang={lang} onClose={() => setInfo(null)} />}
    </div>
  );
}

