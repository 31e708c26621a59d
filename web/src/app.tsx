// The page frame: skip link, header with navigation and the language switch, the routed
// page, and the footer with sources and attribution.
import { useEffect, useRef } from 'preact/hooks';
import { setLang, tr, useLang } from './i18n';
import { useLocation } from './router';
import { FrontPage } from './pages/front';
import { DatabankPage } from './pages/databank';
import { MeasureDocPage, MeasureIndexPage } from './pages/measure-doc';
import { NotFoundPage } from './pages/not-found';

const T = {
  skip: { da: 'Gå til indhold', en: 'Skip to content' },
  front: { da: 'Forside', en: 'Home' },
  databank: { da: 'Databank', en: 'Databank' },
  measures: { da: 'Målinger', en: 'Measures' },
  api: { da: 'API', en: 'API' },
  tagline: {
    da: 'Beskæftigelsespolitisk statistik for kommuner, regioner og hele landet',
    en: 'Employment-policy statistics for municipalities, regions and all of Denmark',
  },
  switchTo: { da: 'English', en: 'Dansk' },
  switchLabel: { da: 'Switch to English', en: 'Skift til dansk' },
  nav: { da: 'Hovedmenu', en: 'Main menu' },
  footer: {
    da: 'Jobindsigt beregner alle tal på personniveau fra de månedlige leverancer. Små tal er beskyttet i den offentlige visning.',
    en: 'Jobindsigt computes every number at person level from the monthly deliveries. Small numbers are protected in the public view.',
  },
};

function route(path: string) {
  if (path === '/' || path === '/index.html') return <FrontPage />;
  if (path === '/databank') return <DatabankPage />;
  if (path === '/measures') return <MeasureIndexPage />;
  const doc = /^\/measures\/([A-Za-z0-9_]+)$/.exec(path);
  if (doc) return <MeasureDocPage id={doc[1]} />;
  return <NotFoundPage />;
}

export function App() {
  const lang = useLang();
  const { path } = useLocation();
  const section = path.startsWith('/databank') ? 'databank' : path.startsWith('/measures') ? 'measures' : path === '/' ? 'front' : '';

  // After a navigation inside the page, focus goes to the new content (as a page load would
  // put a screen reader there); not on the first load, where Tab must reach the skip link.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);

  const link = (href: string, id: string, text: string) => (
    <a href={href} class={section === id ? 'active' : undefined} aria-current={section === id ? 'page' : undefined}>
      {text}
    </a>
  );

  return (
    <>
      <a class="skip-link" href="#main">
        {tr(T.skip, lang)}
      </a>
      <header class="site-header">
        <div class="site-header__inner">
          <a href="/" class="brand" aria-label="Jobindsigt">
            <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="6" fill="#ffffff" fill-opacity="0.12" />
              <rect x="7" y="17" width="4" height="8" fill="#fff" />
              <rect x="14" y="11" width="4" height="14" fill="#fff" />
              <rect x="21" y="7" width="4" height="18" fill="#7fd1c7" />
            </svg>
            <span class="brand__name">Jobindsigt</span>
          </a>
          <span class="brand__tagline">{tr(T.tagline, lang)}</span>
          <nav aria-label={tr(T.nav, lang)} class="site-nav">
            {link('/', 'front', tr(T.front, lang))}
            {link('/databank', 'databank', tr(T.databank, lang))}
            {link('/measures', 'measures', tr(T.measures, lang))}
            <a href="/api/v1/openapi.json">{tr(T.api, lang)}</a>
          </nav>
          <button
            type="button"
            class="lang-switch"
            lang={lang === 'da' ? 'en' : 'da'}
            aria-label={tr(T.switchLabel, lang)}
            onClick={() => setLang(lang === 'da' ? 'en' : 'da')}
          >
            {tr(T.switchTo, lang)}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route(path)}
      </main>
      <footer class="site-footer">
        <div class="site-footer__inner">
          <p>{tr(T.footer, lang)}</p>
          <p class="attribution">
            Kort: Indeholder data fra Geodatastyrelsen (nu Klimadatastyrelsen), DAGI kommuneinddeling 1:500.000 (CC BY 4.0).
          </p>
        </div>
      </footer>
    </>
  );
}
