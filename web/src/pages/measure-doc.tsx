// The measure documentation: an index of every measure by benefit area and group with a
// search by name, and a page per measure with both levels of documentation (plain and
// technical), its facts, its update plan and the releases that changed it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, name, type Lang, type Menu, type MeasureSummary } from '../api';
import { formatDate, periodLabel, tr, useLang } from '../i18n';
import {
  bandSetNames,
  benefitGroupNames,
  breakdownNames,
  frequencyNames,
  nameOf,
  sourceNames,
  statisticNames,
  unitNames,
} from './catalogue-names';
import { ErrorMessage, useLoad, useTitle } from './use-load';
import './measure-doc.css';

const T = {
  measures: { da: 'Målinger', en: 'Measures' },
  indexLead: {
    da: 'Alle målinger i Jobindsigt, ordnet efter ydelsesområde og gruppe. Hver måling har en almindelig beskrivelse og en teknisk beskrivelse af, præcis hvordan tallet beregnes.',
    en: 'Every measure of Jobindsigt, ordered by benefit area and group. Each measure has a plain description and a technical description of exactly how the number is computed.',
  },
  search: { da: 'Søg efter navn', en: 'Search by name' },
  searchHint: { da: 'F.eks. «rettidighed» eller «sygedagpenge»', en: 'E.g. “timeliness” or “sickness”' },
  showing: { da: 'Viser {n} af {total} målinger', en: 'Showing {n} of {total} measures' },
  noMatch: {
    da: 'Ingen målinger har «{q}» i navnet.',
    en: 'No measure has “{q}” in its name.',
  },
  clear: { da: 'Ryd søgning', en: 'Clear search' },
  areas: { da: 'Ydelsesområder', en: 'Benefit areas' },
  loadingIndex: { da: 'Henter målingerne …', en: 'Loading the measures …' },
  indexError: { da: 'Målingerne kunne ikke hentes.', en: 'The measures could not be loaded.' },
  loadingMeasure: { da: 'Henter målingen …', en: 'Loading the measure …' },
  measureError: { da: 'Målingen kunne ikke hentes.', en: 'The measure could not be loaded.' },
  notFound: { da: 'Målingen findes ikke', en: 'The measure does not exist' },
  notFoundText: {
    da: 'Der er ingen måling med id «{id}» i kataloget. Den kan være omdøbt eller fjernet.',
    en: 'There is no measure with id “{id}” in the catalogue. It may have been renamed or removed.',
  },
  backToIndex: { da: 'Se alle målinger', en: 'See all measures' },
  openInDatabank: { da: 'Åbn i Databanken', en: 'Open in the Databank' },
  plain: { da: 'Hvad måles', en: 'What is measured' },
  technical: { da: 'Teknisk beskrivelse', en: 'Technical description' },
  technicalLead: {
    da: 'Præcis hvordan tallet beregnes fra kildedata.',
    en: 'Exactly how the number is computed from the source data.',
  },
  facts: { da: 'Fakta', en: 'Facts' },
  id: { da: 'Id', en: 'Id' },
  statistic: { da: 'Statistik', en: 'Statistic' },
  unit: { da: 'Enhed', en: 'Unit' },
  decimals: { da: 'Decimaler', en: 'Decimals' },
  benefits: { da: 'Ydelser', en: 'Benefits' },
  sources: { da: 'Kilder', en: 'Sources' },
  breakdowns: { da: 'Mulige opdelinger', en: 'Allowed breakdowns' },
  defaultBreakdowns: { da: 'Vises som standard', en: 'Shown by default' },
  none: { da: 'Ingen', en: 'None' },
  bands: { da: 'Standardgrupperinger', en: 'Default band sets' },
  ageBands: { da: 'Alder', en: 'Age' },
  durationBands: { da: 'Varighed', en: 'Duration' },
  statusAfter: { da: 'Status efter', en: 'Status after' },
  months: { da: '{n} måneder', en: '{n} months' },
  updates: { da: 'Opdatering', en: 'Updates' },
  frequency: { da: 'Opdateres', en: 'Updated' },
  latestUpdate: { da: 'Seneste opdatering', en: 'Latest update' },
  latestText: { da: '{release}, data til og med {day}', en: '{release}, data up to and including {day}' },
  nextUpdate: { da: 'Næste opdatering', en: 'Next update' },
  nextText: { da: 'data til og med {day}', en: 'data up to and including {day}' },
  releases: { da: 'Udgivelser, der har ændret målingen', en: 'Releases that changed the measure' },
  releasesCaption: {
    da: 'Udgivelser med skæringsdag og første ændrede periode',
    en: 'Releases with cut-off day and first changed period',
  },
  release: { da: 'Udgivelse', en: 'Release' },
  cutOff: { da: 'Data til og med', en: 'Data up to and including' },
  firstChanged: { da: 'Første ændrede periode', en: 'First changed period' },
  noReleases: {
    da: 'Ingen udgivelse har endnu ændret tallene for denne måling.',
    en: 'No release has changed the numbers of this measure yet.',
  },
  unchangedReleases: {
    da: '{n} udgivelser uden ændringer for målingen er ikke vist.',
    en: '{n} releases without changes to the measure are not shown.',
  },
  newBadge: { da: 'Ny', en: 'New' },
  breadcrumb: { da: 'Brødkrumme', en: 'Breadcrumb' },
};

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

function normalise(text: string): string {
  return text.toLocaleLowerCase('da').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

// ---------------------------------------------------------------------------------------------
// The index

type IndexGroup = { id: string; name: string; measures: MeasureSummary[] };
type IndexSubject = { id: string; name: string; groups: IndexGroup[]; count: number };

function buildIndex(menu: Menu, measures: MeasureSummary[], lang: Lang, query: string): IndexSubject[] {
  const byId = new Map(measures.map((measure) => [measure.id, measure]));
  const needle = normalise(query.trim());
  const matches = (measure: MeasureSummary) =>
    !needle ||
    normalise(name(measure.name, lang)).includes(needle) ||
    normalise(measure.id).includes(needle);
  const subjects = [...menu.subjects].sort((a, b) => a.order - b.order);
  const groups = [...menu.groups].sort((a, b) => a.order - b.order);
  return subjects.map((subject) => {
    const list: IndexGroup[] = groups
      .filter((group) => group.subject === subject.id)
      .map((group) => ({
        id: group.id,
        name: name(group.name, lang),
        measures: group.measures
          .map((id) => byId.get(id))
          .filter((measure): measure is MeasureSummary => !!measure && matches(measure)),
      }))
      .filter((group) => group.measures.length > 0);
    return {
      id: subject.id,
      name: name(subject.name, lang),
      groups: list,
      count: list.reduce((sum, group) => sum + group.measures.length, 0),
    };
  });
}

export function MeasureIndexPage() {
  const lang = useLang();
  useTitle(tr(T.measures, lang));
  const loaded = useLoad(() => Promise.all([api.menu(), api.measures()]), []);
  const [query, setQuery] = useState(() => new URLSearchParams(location.search).get('q') ?? '');

  const index = useMemo(
    () => (loaded.data ? buildIndex(loaded.data[0], loaded.data[1], lang, query) : []),
    [loaded.data, lang, query],
  );
  // A link to /measures#subject-… scrolls to the area once the list is in.
  useEffect(() => {
    if (!loaded.data || !location.hash) return;
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView({ block: 'start' });
  }, [loaded.data]);
  const shown = index.reduce((sum, subject) => sum + subject.count, 0);
  const total = loaded.data?.[1].length ?? 0;

  const onInput = (value: string) => {
    setQuery(value);
    // The search lives in the address, so the filtered list can be linked and survives back.
    const url = value.trim() ? `/measures?q=${encodeURIComponent(value)}` : '/measures';
    history.replaceState(null, '', url);
  };

  return (
    <div class="page measure-index">
      <h1>{tr(T.measures, lang)}</h1>
      <p class="lead">{tr(T.indexLead, lang)}</p>
      <div class="measure-index__search" role="search">
        <label for="measure-search">{tr(T.search, lang)}</label>
        <div class="measure-index__search-row">
          <input
            id="measure-search"
            type="search"
            value={query}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="measure-search-hint measure-search-count"
            onInput={(event) => onInput((event.target as HTMLInputElement).value)}
          />
          <span id="measure-search-hint" class="muted small">
            {tr(T.searchHint, lang)}
          </span>
        </div>
        <p id="measure-search-count" class="muted small measure-index__count" aria-live="polite">
          {loaded.data ? fill(tr(T.showing, lang), { n: shown, total }) : '\u00a0'}
        </p>
      </div>

      {loaded.error ? (
        <ErrorMessage error={loaded.error} lang={lang} what={tr(T.indexError, lang)} />
      ) : !loaded.data ? (
        <p class="loading measure-index__loading" aria-busy="true">
          {tr(T.loadingIndex, lang)}
        </p>
      ) : shown === 0 ? (
        <div class="message info">
          {fill(tr(T.noMatch, lang), { q: query.trim() })}{' '}
          <button type="button" class="btn" onClick={() => onInput('')}>
            {tr(T.clear, lang)}
          </button>
        </div>
      ) : (
        <div class="measure-index__layout">
          <nav class="measure-index__toc" aria-label={tr(T.areas, lang)}>
            <h2 class="measure-index__toc-title">{tr(T.areas, lang)}</h2>
            <ul>
              {index
                .filter((subject) => subject.count > 0)
                .map((subject) => (
                  <li key={subject.id}>
                    <a href={`#subject-${subject.id}`} onClick={(event) => jumpTo(event, `subject-${subject.id}`)}>
                      <span>{subject.name}</span>
                      <span class="measure-index__toc-count">{subject.count}</span>
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
          <div class="measure-index__list">
            {index
              .filter((subject) => subject.count > 0)
              .map((subject) => (
                <section key={subject.id} id={`subject-${subject.id}`} aria-labelledby={`subject-${subject.id}-h`} tabIndex={-1}>
                  <h2 id={`subject-${subject.id}-h`}>{subject.name}</h2>
                  {subject.groups.map((group) => (
                    <div key={group.id} class="measure-index__group">
                      <h3 id={`group-${group.id}`}>{group.name}</h3>
                      <ul aria-labelledby={`group-${group.id}`}>
                        {group.measures.map((measure) => (
                          <li key={measure.id}>
                            <a href={`/measures/${measure.id}`}>{name(measure.name, lang)}</a>
                            <span class="measure-index__unit">{nameOf(unitNames, measure.unit, lang)}</span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </section>
              ))}
          </div>
        </div>
      )}
    </div>
  );
}

// In-page links: the router only handles links starting with '/', so '#…' scrolls natively;
// move the focus along so keyboard users continue from the section.
function jumpTo(event: Event, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------
// One measure

export function MeasureDocPage({ id }: { id: string }) {
  const lang = useLang();
  const measure = useLoad(() => api.measure(id), [id]);
  const context = useLoad(
    () => Promise.all([api.menu(), api.codes('benefit').catch(() => null)]),
    [],
  );
  const notFound = measure.error instanceof ApiError && measure.error.problem.status === 404;
  const doc = measure.data && measure.data.id === id ? measure.data : undefined;
  useTitle(doc ? name(doc.name, lang) : notFound ? tr(T.notFound, lang) : tr(T.measures, lang));

  if (notFound)
    return (
      <div class="page narrow">
        <h1>{tr(T.notFound, lang)}</h1>
        <p>{fill(tr(T.notFoundText, lang), { id })}</p>
        <p>
          <a class="btn" href="/measures">
            {tr(T.backToIndex, lang)}
          </a>
        </p>
      </div>
    );
  if (measure.error)
    return (
      <div class="page narrow">
        <h1>{tr(T.measures, lang)}</h1>
        <ErrorMessage error={measure.error} lang={lang} what={tr(T.measureError, lang)} />
        <p>
          <a href="/measures">{tr(T.backToIndex, lang)}</a>
        </p>
      </div>
    );
  if (!doc)
    return (
      <div class="page measure-doc" aria-busy="true">
        <p class="measure-doc__crumbs muted small">&nbsp;</p>
        <h1 class="measure-doc__placeholder-title">
          <span class="loading">{tr(T.loadingMeasure, lang)}</span>
        </h1>
      </div>
    );

  const menu = context.data?.[0];
  const benefitCodes = context.data?.[1];
  const group = menu?.groups.find((g) => g.id === doc.group);
  const subject = menu?.subjects.find((s) => s.id === group?.subject);
  const benefitName = (code: string) => {
    const found = benefitCodes?.codes.find((c) => c.code === code);
    return found ? name(found.name, lang) : nameOf(benefitGroupNames, code, lang);
  };
  // A measure over a benefit group names the group in `benefits` and its members in
  // `benefit_codes`.
  const benefitGroups = doc.benefits.filter((code) => !doc.benefit_codes.includes(code));
  const changes = doc.releases.filter((release) => release.changed);
  const latestRelease = doc.releases[doc.releases.length - 1];
  const isNew = (latestRelease as { new?: boolean } | undefined)?.new === true;
  const list = (items: string[], map: Record<string, { da: string; en: string }>) =>
    items.length === 0 ? tr(T.none, lang) : items.map((item) => nameOf(map, item, lang)).join(', ');

  return (
    <div class="page measure-doc">
      <nav aria-label={tr(T.breadcrumb, lang)} class="measure-doc__crumbs small">
        <ol>
          <li>
            <a href="/measures">{tr(T.measures, lang)}</a>
          </li>
          {subject && (
            <li>
              <a href={`/measures#subject-${subject.id}`}>{name(subject.name, lang)}</a>
            </li>
          )}
          {group && <li aria-current="page">{name(group.name, lang)}</li>}
        </ol>
      </nav>
      <div class="measure-doc__head">
        <div>
          <h1>
            {name(doc.name, lang)}
            {isNew && (
              <>
                {' '}
                <span class="badge new">{tr(T.newBadge, lang)}</span>
              </>
            )}
          </h1>
          <p class="measure-doc__id muted small">
            <code>{doc.id}</code>
          </p>
        </div>
        <a class="btn primary measure-doc__open" href={`/databank?m=${encodeURIComponent(doc.id)}`}>
          {tr(T.openInDatabank, lang)}
        </a>
      </div>

      <div class="measure-doc__layout">
        <div class="measure-doc__main">
          <section aria-labelledby="doc-plain" class="measure-doc__section">
            <h2 id="doc-plain">{tr(T.plain, lang)}</h2>
            <p class="measure-doc__plain">{name(doc.doc, lang)}</p>
          </section>
          <section aria-labelledby="doc-technical" class="measure-doc__section measure-doc__technical">
            <h2 id="doc-technical">{tr(T.technical, lang)}</h2>
            <p class="muted small">{tr(T.technicalLead, lang)}</p>
            <Paragraphs text={name(doc.technical, lang)} />
          </section>
          <section aria-labelledby="doc-releases" class="measure-doc__section">
            <h2 id="doc-releases">{tr(T.releases, lang)}</h2>
            {changes.length === 0 ? (
              <p class="muted">{tr(T.noReleases, lang)}</p>
            ) : (
              <table class="data measure-doc__releases">
                <caption class="visually-hidden">{tr(T.releasesCaption, lang)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tr(T.release, lang)}</th>
                    <th scope="col">{tr(T.cutOff, lang)}</th>
                    <th scope="col">{tr(T.firstChanged, lang)}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...changes].reverse().map((release) => (
                    <tr key={release.release}>
                      <th scope="row">
                        <code>{release.release}</code>
                      </th>
                      <td>{formatDate(release.cut_off_day, lang)}</td>
                      <td>
                        {release.first_changed_period ? periodLabel(release.first_changed_period, lang) : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {doc.releases.length > changes.length && (
              <p class="muted small">
                {fill(tr(T.unchangedReleases, lang), { n: doc.releases.length - changes.length })}
              </p>
            )}
          </section>
        </div>

        <aside class="measure-doc__side" aria-labelledby="doc-facts">
          <section class="card">
            <h2 id="doc-facts">{tr(T.facts, lang)}</h2>
            <dl class="facts">
              <dt>{tr(T.statistic, lang)}</dt>
              <dd>{nameOf(statisticNames, doc.statistic, lang)}</dd>
              <dt>{tr(T.unit, lang)}</dt>
              <dd>{nameOf(unitNames, doc.unit, lang)}</dd>
              <dt>{tr(T.decimals, lang)}</dt>
              <dd>{doc.decimals}</dd>
              <dt>{tr(T.benefits, lang)}</dt>
              <dd>
                {benefitGroups.length > 0 && (
                  <p class="measure-doc__benefit-group">
                    {benefitGroups.map((code) => nameOf(benefitGroupNames, code, lang)).join(', ')}
                  </p>
                )}
                <ul class="measure-doc__inline-list">
                  {doc.benefit_codes.map((code) => (
                    <li key={code}>
                      {benefitName(code)} <span class="muted small">({code})</span>
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{tr(T.sources, lang)}</dt>
              <dd>{list(doc.sources, sourceNames)}</dd>
              <dt>{tr(T.breakdowns, lang)}</dt>
              <dd>{list(doc.allowed_breakdowns, breakdownNames)}</dd>
              <dt>{tr(T.defaultBreakdowns, lang)}</dt>
              <dd>{list(doc.default_breakdowns, breakdownNames)}</dd>
              {(doc.age_bands || doc.duration_bands) && (
                <>
                  <dt>{tr(T.bands, lang)}</dt>
                  <dd>
                    <ul class="measure-doc__inline-list">
                      {doc.age_bands && (
                        <li>
                          {tr(T.ageBands, lang)}: {nameOf(bandSetNames, doc.age_bands, lang)}
                        </li>
                      )}
                      {doc.duration_bands && (
                        <li>
                          {tr(T.durationBands, lang)}: {nameOf(bandSetNames, doc.duration_bands, lang)}
                        </li>
                      )}
                    </ul>
                  </dd>
                </>
              )}
            </dl>
          </section>
          <section class="card">
            <h2 id="doc-updates">{tr(T.updates, lang)}</h2>
            <dl class="facts">
              <dt>{tr(T.frequency, lang)}</dt>
              <dd>{nameOf(frequencyNames, doc.frequency, lang)}</dd>
              {doc.latest_update && (
                <>
                  <dt>{tr(T.latestUpdate, lang)}</dt>
                  <dd>
                    {fill(tr(T.latestText, lang), {
                      release: doc.latest_update.release,
                      day: formatDate(doc.latest_update.cut_off_day, lang),
                    })}
                  </dd>
                </>
              )}
              {doc.next_update && (
                <>
                  <dt>{tr(T.nextUpdate, lang)}</dt>
                  <dd>
                    {fill(tr(T.nextText, lang), { day: formatDate(doc.next_update.covers_until, lang) })}
                  </dd>
                </>
              )}
            </dl>
          </section>
        </aside>
      </div>
    </div>
  );
}

// The technical text may hold several paragraphs separated by blank lines.
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .filter((part) => part.trim())
        .map((part, index) => (
          <p key={index}>{part}</p>
        ))}
    </>
  );
}
