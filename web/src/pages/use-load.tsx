// Loads API answers for a page: { data } when in, { error } with a readable text when not,
// neither while loading. A newer load supersedes an older one that is still running.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Lang } from '../api';
import { tr } from '../i18n';

export type Loaded<T> = { data?: T; error?: unknown; loading: boolean };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}

// An API error as a sentence for the reader: the server's detail when it gave one.
export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) {
    const detail = error.problem.detail ?? error.problem.title ?? `HTTP ${error.problem.status}`;
    return tr({ da: `Serveren svarede: ${detail}`, en: `The server answered: ${detail}` }, lang);
  }
  if (error instanceof TypeError)
    return tr(
      {
        da: 'Jobindsigt kunne ikke nås. Tjek forbindelsen, og prøv igen.',
        en: 'Jobindsigt could not be reached. Check the connection and try again.',
      },
      lang,
    );
  return error instanceof Error ? error.message : String(error);
}

export function ErrorMessage({ error, lang, what }: { error: unknown; lang: Lang; what: string }) {
  return (
    <div class="message error" role="alert">
      <strong>{what}</strong> {errorText(error, lang)}
    </div>
  );
}

// The page's title in the browser tab and history.
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Jobindsigt` : 'Jobindsigt';
  }, [title]);
}
