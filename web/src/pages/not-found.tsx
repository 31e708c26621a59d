import { tr, useLang } from '../i18n';

export function NotFoundPage() {
  const lang = useLang();
  return (
    <div class="page narrow">
      <h1>{tr({ da: 'Siden findes ikke', en: 'Page not found' }, lang)}</h1>
      <p>
        {tr(
          {
            da: 'Adressen peger ikke på en side i Jobindsigt. Gå til forsiden eller databanken.',
            en: 'The address does not point to a page of Jobindsigt. Go to the home page or the Databank.',
          },
          lang,
        )}
      </p>
      <p>
        <a href="/">{tr({ da: 'Forside', en: 'Home' }, lang)}</a> ·{' '}
        <a href="/databank">Databank</a>
      </p>
    </div>
  );
}
