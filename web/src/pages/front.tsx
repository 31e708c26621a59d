// The front page: the latest release and what it brought (measures with new numbers, new
// measures, news per benefit area), the release calendar, and the two entrances to the
// Databank — by benefit area and by type of measure.
import { useMemo, useState } from 'preact/hooks';
import {
  api,
  name,
  type Lang,
  type MeasureNote,
  type MeasureSummary,
  type Menu,
  type ReleaseDetail,
  type Subject,
} from '../api';
import { calendarApi, type CalendarEntry } from '../api-calendar';
import { formatDate, periodLabel, tr, useLang } from '../i18n';
import { monthCodeOfDay, monthLong } from './catalogue-names';
import { ErrorMessage, useLoad, useTitle } from './use-load';
import './front.css';

const T = {
  title: { da: 'Forside', en: 'Home' },
  heading: { da: 'Jobindsigt', en: 'Jobindsigt' },
  lead: {
    da: 'Statistik om beskæftigelsesindsatsen for hele landet, regioner, jobcentre og kommuner — opgjort hver måned på personniveau fra kommunernes og statens registre.',
    en: 'Statistics on employment policy for all of Denmark, regions, jobcentres and municipalities — computed every month at person level from municipal and national registers.',
  },
  toDatabank: { da: 'Gå til Databanken', en: 'Go to the Databank' },
  toMeasures: { da: 'Om målingerne', en: 'About the measures' },
  latest: { da: 'Seneste udgivelse', en: 'Latest release' },
  dataUntil: { da: 'data til og med', en: 'data up to and including' },
  published: { da: 'Udgivet', en: 'Published' },
  next: { da: 'Næste udgivelse', en: 'Next release' },
  nextText: { da: 'data for {month}, planlagt {day}', en: 'data for {month}, planned for {day}' },
  loadingRelease: { da: 'Henter seneste udgivelse …', en: 'Loading the latest release …' },
  releaseError: { da: 'Udgivelsen kunne ikke hentes.', en: 'The release could not be loaded.' },
  entrances: { da: 'Gå til Databanken', en: 'Go to the Databank' },
  entrancesLead: {
    da: 'Vælg et ydelsesområde eller en type af måling — i Databanken kan du bagefter kombinere frit.',
    en: 'Choose a benefit area or a type of measure — in the Databank you can then combine freely.',
  },
  bySubject: { da: 'Efter ydelsesområde', en: 'By benefit area' },
  byTopic: { da: 'Efter type af måling', en: 'By type of measure' },
  measuresCount: { da: '{n} målinger', en: '{n} measures' },
  ofMeasures: { da: '{n} af {total} målinger', en: '{n} of {total} measures' },
  measuresOne: { da: '1 måling', en: '1 measure' },
  menuError: { da: 'Menuen kunne ikke hentes.', en: 'The menu could not be loaded.' },
  whatsNew: { da: 'Nyt i denne udgivelse', en: "What's new in this release" },
  newsError: { da: 'Udgivelsesnoterne kunne ikke hentes.', en: 'The release notes could not be loaded.' },
  summary: {
    da: '{changed} af {total} målinger har nye tal, heraf {new} nye målinger.',
    en: '{changed} of {total} measures have new numbers, {new} of them new measures.',
  },
  summaryNoNew: {
    da: '{changed} af {total} målinger har nye tal.',
    en: '{changed} of {total} measures have new numbers.',
  },
  openHint: {
    da: 'Åbn et område for at se præcis hvilke målinger, der har nye tal, og fra hvilken periode.',
    en: 'Open an area to see exactly which measures have new numbers, and from which period.',
  },
  unchanged: { da: 'Ingen nye tal', en: 'No new numbers' },
  measure: { da: 'Måling', en: 'Measure' },
  changedFrom: { da: 'Ændret fra', en: 'Changed from' },
  links: { da: 'Se også', en: 'See also' },
  docs: { da: 'Dokumentation', en: 'Documentation' },
  newBadge: { da: 'Ny', en: 'New' },
  calendar: { da: 'Udgivelseskalender', en: 'Release calendar' },
  calendarLead: {
    da: 'Hver måneds tal udgives som hovedregel den tredje torsdag i den følgende måned.',
    en: "Each month's figures are as a rule published on the third Thursday of the following month.",
  },
  calendarCaption: {
    da: 'Planlagte og faktiske udgivelser',
    en: 'Planned and actual releases',
  },
  covers: { da: 'Data for', en: 'Data for' },
  planned: { da: 'Planlagt', en: 'Planned' },
  actual: { da: 'Udgivet', en: 'Published' },
  pending: { da: 'Afventer', en: 'Pending' },
  superseded: { da: 'Med i senere udgivelse', en: 'In a later release' },
  upcoming: { da: '—', en: '—' },
  calendarEmpty: { da: 'Der er ingen planlagte udgivelser.', en: 'No releases are planned.' },
  calendarError: { da: 'Kalenderen kunne ikke hentes.', en: 'The calendar could not be loaded.' },
  showAll: { da: 'Vis hele kalenderen ({n} måneder)', en: 'Show the whole calendar ({n} months)' },
  showLess: { da: 'Vis færre måneder', en: 'Show fewer months' },
  current: { da: 'seneste', en: 'latest' },
};

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

const shortDates = {
  da: new Intl.DateTimeFormat('da-DK', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

function shortDate(iso: string, lang: Lang): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : shortDates[lang].format(date);
}

function countText(n: number, lang: Lang): string {
  return n === 1 ? tr(T.measuresOne, lang) : fill(tr(T.measuresCount, lang), { n });
}

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Measure ids of each subject, in menu order (group order, then the group's own order).
function measuresBySubject(menu: Menu): Map<string, string[]> {
  const bySubject = new Map<string, string[]>();
  const groups = [...menu.groups].sort((a, b) => a.order - b.order);
  for (const group of groups) {
    const list = bySubject.get(group.subject) ?? [];
    list.push(...group.measures);
    bySubject.set(group.subject, list);
  }
  return bySubject;
}

export function FrontPage() {
  const lang = useLang();
  useTitle(tr(T.title, lang));
  const release = useLoad(() => api.release('latest'), []);
  const catalogue = useLoad(() => Promise.all([api.menu(), api.measures()]), []);
  const calendar = useLoad(() => calendarApi.calendar(), []);

  return (
    <div class="page front">
      <section class="front-hero" aria-labelledby="front-title">
        <div class="front-hero__text">
          <h1 id="front-title">{tr(T.heading, lang)}</h1>
          <p class="lead">{tr(T.lead, lang)}</p>
          <p class="front-hero__actions">
            <a class="btn primary" href="/databank">
              {tr(T.toDatabank, lang)}
            </a>
            <a class="btn" href="/measures">
              {tr(T.toMeasures, lang)}
            </a>
          </p>
        </div>
        <ReleaseCard lang={lang} release={release} calendar={calendar.data} />
      </section>

      <section class="front-section" aria-labelledby="front-entrances">
        <h2 id="front-entrances">{tr(T.entrances, lang)}</h2>
        <p class="muted front-section__lead">{tr(T.entrancesLead, lang)}</p>
        {catalogue.error ? (
          <ErrorMessage error={catalogue.error} lang={lang} what={tr(T.menuError, lang)} />
        ) : (
          <Entrances lang={lang} menu={catalogue.data?.[0]} />
        )}
      </section>

      <div class="front-columns">
        <section class="front-section" aria-labelledby="front-news">
          <h2 id="front-news">{tr(T.whatsNew, lang)}</h2>
          {release.error || catalogue.error ? (
            <ErrorMessage
              error={release.error ?? catalogue.error}
              lang={lang}
              what={tr(T.newsError, lang)}
            />
          ) : release.data && catalogue.data ? (
            <WhatsNew
              lang={lang}
              release={release.data}
              menu={catalogue.data[0]}
              measures={catalogue.data[1]}
            />
          ) : (
            <Placeholder lines={6} label={tr(T.loadingRelease, lang)} />
          )}
        </section>
        <section class="front-section front-calendar" aria-labelledby="front-calendar">
          <h2 id="front-calendar">{tr(T.calendar, lang)}</h2>
          <p class="muted small">{tr(T.calendarLead, lang)}</p>
          {calendar.error ? (
            <ErrorMessage error={calendar.error} lang={lang} what={tr(T.calendarError, lang)} />
          ) : calendar.data ? (
            <Calendar lang={lang} entries={calendar.data} latest={release.data?.id} />
          ) : (
            <Placeholder lines={7} label="" />
          )}
        </section>
      </div>
    </div>
  );
}

function Placeholder({ lines, label }: { lines: number; label: string }) {
  return (
    <div class="front-placeholder" aria-busy="true">
      {label && <p class="loading">{label}</p>}
      {Array.from({ length: lines }, (_, i) => (
        <div class="front-placeholder__line" key={i} />
      ))}
    </div>
  );
}

function ReleaseCard({
  lang,
  release,
  calendar,
}: {
  lang: Lang;
  release: { data?: ReleaseDetail; error?: unknown };
  calendar?: CalendarEntry[];
}) {
  if (release.error)
    return (
      <div class="card front-release">
        <ErrorMessage error={release.error} lang={lang} what={tr(T.releaseError, lang)} />
      </div>
    );
  const data = release.data;
  if (!data)
    return (
      <div class="card front-release" aria-busy="true">
        <p class="front-release__label">{tr(T.latest, lang)}</p>
        <p class="loading">{tr(T.loadingRelease, lang)}</p>
      </div>
    );
  const cutOffMonth = data.cut_off_day.slice(0, 7);
  const next = calendar?.find((entry) => entry.covers > cutOffMonth && entry.release === null);
  return (
    <div class="card front-release" aria-live="polite">
      <p class="front-release__label">{tr(T.latest, lang)}</p>
      <p class="front-release__title">
        <span class="front-release__id">{data.id}</span>{' '}
        <span class="front-release__dash" aria-hidden="true">
          —
        </span>{' '}
        {tr(T.dataUntil, lang)} <strong>{formatDate(data.cut_off_day, lang)}</strong>
      </p>
      <dl class="front-release__facts">
        <dt>{tr(T.published, lang)}</dt>
        <dd>{formatDate(data.created_utc, lang)}</dd>
        {next && (
          <>
            <dt>{tr(T.next, lang)}</dt>
            <dd>
              {fill(tr(T.nextText, lang), {
                month: monthLong(next.covers, lang),
                day: formatDate(next.planned, lang),
              })}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function Entrances({ lang, menu }: { lang: Lang; menu?: Menu }) {
  if (!menu)
    return (
      <div class="front-entrances" aria-busy="true">
        <div class="card front-entrance">
          <Placeholder lines={5} label="" />
        </div>
        <div class="card front-entrance">
          <Placeholder lines={5} label="" />
        </div>
      </div>
    );
  const subjects = [...menu.subjects].sort((a, b) => a.order - b.order);
  const topics = [...menu.topics].sort((a, b) => a.order - b.order);
  const count = (pick: (subject: string, topic: string) => boolean) =>
    menu.groups
      .filter((group) => pick(group.subject, group.topic))
      .reduce((sum, group) => sum + group.measures.length, 0);
  return (
    <div class="front-entrances">
      <div class="card front-entrance">
        <h3 id="front-by-subject">{tr(T.bySubject, lang)}</h3>
        <ul class="front-entrance__list" aria-labelledby="front-by-subject">
          {subjects.map((subject) => (
            <li key={subject.id}>
              <a href={`/databank?subject=${encodeURIComponent(subject.id)}`} title={name(subject.doc, lang)}>
                <span class="front-entrance__name">{name(subject.name, lang)}</span>
                <span class="front-entrance__count">
                  {countText(count((s) => s === subject.id), lang)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div class="card front-entrance front-entrance--topics">
        <h3 id="front-by-topic">{tr(T.byTopic, lang)}</h3>
        <ul class="front-entrance__list" aria-labelledby="front-by-topic">
          {topics.map((topic) => (
            <li key={topic.id}>
              <a href={`/databank?topic=${encodeURIComponent(topic.id)}`} title={name(topic.doc, lang)}>
                <span class="front-entrance__name">{name(topic.name, lang)}</span>
                <span class="front-entrance__count">
                  {countText(count((_, t) => t === topic.id), lang)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

type SubjectNews = {
  subject: Subject;
  changed: (MeasureNote & { summary?: MeasureSummary })[];
  total: number;
  earliest?: string;
  newCount: number;
};

// One line of news per benefit area from the release notes per measure.
function newsText(news: SubjectNews, cutOff: string, lang: Lang): string {
  const subject = name(news.subject.name, lang);
  const n = news.changed.length;
  const latest = periodLabel(cutOff, lang);
  const earliest = news.earliest ? periodLabel(news.earliest, lang) : latest;
  if (news.newCount === n) {
    return lang === 'da'
      ? `${subject}: ${n === 1 ? 'én ny måling' : `${n} nye målinger`} med tal fra ${earliest} til ${latest}`
      : `${subject}: ${n === 1 ? 'one new measure' : `${n} new measures`} with figures from ${earliest} to ${latest}`;
  }
  let text = lang === 'da' ? `${subject}: nye tal for ${latest}` : `${subject}: new figures for ${latest}`;
  if (news.earliest && news.earliest < cutOff)
    text += lang === 'da' ? `; rettelser tilbage til ${earliest}` : `; revisions back to ${earliest}`;
  if (news.newCount > 0)
    text +=
      lang === 'da'
        ? `; ${news.newCount === 1 ? 'én ny måling' : `${news.newCount} nye målinger`}`
        : `; ${news.newCount === 1 ? 'one new measure' : `${news.newCount} new measures`}`;
  return text;
}

function WhatsNew({
  lang,
  release,
  menu,
  measures,
}: {
  lang: Lang;
  release: ReleaseDetail;
  menu: Menu;
  measures: MeasureSummary[];
}) {
  const cutOff = monthCodeOfDay(release.cut_off_day);
  const { news, unchanged, changedTotal, newTotal } = useMemo(() => {
    const notes = new Map(release.notes_by_measure.map((note) => [note.measure, note]));
    const summaries = new Map(measures.map((measure) => [measure.id, measure]));
    const bySubject = measuresBySubject(menu);
    const subjects = [...menu.subjects].sort((a, b) => a.order - b.order);
    const list: SubjectNews[] = [];
    const quiet: Subject[] = [];
    for (const subject of subjects) {
      const ids = bySubject.get(subject.id) ?? [];
      const changed = ids
        .map((id) => notes.get(id))
        .filter((note): note is MeasureNote => !!note && note.changed)
        .map((note) => ({ ...note, summary: summaries.get(note.measure) }));
      if (changed.length === 0) {
        quiet.push(subject);
        continue;
      }
      const periods = changed
        .map((note) => note.first_changed_period)
        .filter((period): period is string => !!period)
        .sort();
      list.push({
        subject,
        changed,
        total: ids.length,
        earliest: periods[0],
        newCount: changed.filter((note) => note.new).length,
      });
    }
    return {
      news: list,
      unchanged: quiet,
      changedTotal: release.notes_by_measure.filter((note) => note.changed).length,
      newTotal: release.notes_by_measure.filter((note) => note.new).length,
    };
  }, [release, menu, measures]);

  return (
    <>
      <p class="front-news__summary">
        {fill(tr(newTotal > 0 ? T.summary : T.summaryNoNew, lang), {
          changed: changedTotal,
          total: release.notes_by_measure.length,
          new: newTotal,
        })}{' '}
        <span class="muted">{tr(T.openHint, lang)}</span>
      </p>
      <ul class="front-news">
        {news.map((item) => (
          <li key={item.subject.id}>
            <details class="front-news__item">
              <summary>
                <span class="front-news__text">{newsText(item, cutOff, lang)}</span>
                <span class="front-news__count">
                  {fill(tr(T.ofMeasures, lang), { n: item.changed.length, total: item.total })}
                </span>
              </summary>
              <ChangedMeasures lang={lang} item={item} />
            </details>
          </li>
        ))}
      </ul>
      {unchanged.length > 0 && (
        <p class="muted small front-news__quiet">
          {tr(T.unchanged, lang)}: {unchanged.map((subject) => name(subject.name, lang)).join(', ')}.
        </p>
      )}
    </>
  );
}

function ChangedMeasures({ lang, item }: { lang: Lang; item: SubjectNews }) {
  return (
    <table class="front-changes">
      <caption class="visually-hidden">{name(item.subject.name, lang)}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(T.measure, lang)}</th>
          <th scope="col">{tr(T.changedFrom, lang)}</th>
          <th scope="col">
            <span class="visually-hidden">{tr(T.links, lang)}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {item.changed.map((note) => (
          <tr key={note.measure}>
            <th scope="row">
              <a href={`/databank?m=${encodeURIComponent(note.measure)}`}>
                {note.summary ? name(note.summary.name, lang) : note.measure}
              </a>
              {note.new && (
                <>
                  {' '}
                  <span class="badge new">{tr(T.newBadge, lang)}</span>
                </>
              )}
            </th>
            <td>{note.first_changed_period ? periodLabel(note.first_changed_period, lang) : ''}</td>
            <td>
              <a
                href={`/measures/${encodeURIComponent(note.measure)}`}
                aria-label={`${tr(T.docs, lang)}: ${note.summary ? name(note.summary.name, lang) : note.measure}`}
              >
                {tr(T.docs, lang)}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const CALENDAR_ROWS = 7;

function Calendar({
  lang,
  entries,
  latest,
}: {
  lang: Lang;
  entries: CalendarEntry[];
  latest?: string;
}) {
  const [all, setAll] = useState(false);
  if (entries.length === 0) return <p class="message info">{tr(T.calendarEmpty, lang)}</p>;
  const today = todayIso();
  // Around today: the last three published months and what is planned next.
  let lastPublished = -1;
  entries.forEach((entry, index) => {
    if (entry.release) lastPublished = index;
  });
  const anchor = lastPublished >= 0 ? lastPublished : Math.max(0, entries.findIndex((e) => e.planned >= today));
  const start = Math.max(0, Math.min(anchor - 2, entries.length - CALENDAR_ROWS));
  const shown = all ? entries : entries.slice(start, start + CALENDAR_ROWS);
  return (
    <>
      <table class="front-calendar__table">
        <caption class="visually-hidden">{tr(T.calendarCaption, lang)}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(T.covers, lang)}</th>
            <th scope="col">{tr(T.planned, lang)}</th>
            <th scope="col">{tr(T.actual, lang)}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => {
            const isLatest = entry.release !== null && entry.release === latest;
            // A month without its own release whose figures came with a later one is not late.
            const superseded = entry.release === null && entries.some((e) => e.release && e.covers > entry.covers);
            const overdue = entry.release === null && !superseded && entry.planned < today;
            return (
              <tr key={entry.covers} class={isLatest ? 'is-latest' : entry.release ? 'is-published' : undefined}>
                <th scope="row">{monthLong(entry.covers, lang)}</th>
                <td>{shortDate(entry.planned, lang)}</td>
                <td>
                  {entry.published ? (
                    <>
                      {shortDate(entry.published, lang)}
                      {isLatest && (
                        <>
                          {' '}
                          <span class="badge">{tr(T.current, lang)}</span>
                        </>
                      )}
                    </>
                  ) : superseded ? (
                    <span class="muted">{tr(T.superseded, lang)}</span>
                  ) : overdue ? (
                    <span class="front-calendar__pending">{tr(T.pending, lang)}</span>
                  ) : (
                    <span class="muted" aria-label={tr(T.planned, lang)}>
                      {tr(T.upcoming, lang)}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {entries.length > CALENDAR_ROWS && (
        <button type="button" class="btn front-calendar__toggle" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? tr(T.showLess, lang) : fill(tr(T.showAll, lang), { n: entries.length })}
        </button>
      )}
    </>
  );
}
