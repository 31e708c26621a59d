// A small history router: paths are real addresses (the server answers index.html for
// them), the Databank's query lives in the search part so a link reproduces the table.
import { useEffect, useState } from 'preact/hooks';

export type Location = { path: string; search: URLSearchParams };

const listeners = new Set<() => void>();

function read(): Location {
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((listener) => listener());
  if (!options.replace) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

// Same-origin links without a target navigate inside the page.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const href = anchor.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api/')) return;
  event.preventDefault();
  navigate(href);
});

export function useLocation(): Location {
  const [state, setState] = useState(read);
  useEffect(() => {
    const listener = () => setState(read());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return state;
}
