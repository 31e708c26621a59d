// API errors as readable messages next to what caused them.
import { ApiError, type Lang } from '../../api';
import { tr } from '../../i18n';

export function errorMessage(error: Error, lang: Lang): string {
  if (error instanceof ApiError) {
    const p = error.problem;
    const where = p.parameter ? ` (${p.parameter})` : '';
    if (p.status === 429) return tr({ da: 'For mange forespørgsler lige nu — prøv igen om lidt.', en: 'Too many requests just now — try again in a moment.' }, lang);
    if (p.status === 503) return tr({ da: 'Serveren er travl eller henter en ny udgivelse — prøv igen om lidt.', en: 'The server is busy or loading a new release — try again in a moment.' }, lang);
    return `${p.detail ?? p.title ?? `HTTP ${p.status}`}${where}`;
  }
  return tr({ da: 'Forbindelsen til serveren svigtede: ', en: 'The connection to the server failed: ' }, lang) + error.message;
}

