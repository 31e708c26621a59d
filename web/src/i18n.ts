// Danish by default, English by a switch. The choice is kept in localStorage and, when the
// page was opened with ?lang=en, taken from the address so a shared English link stays English.
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from './api';

const STORAGE_KEY = 'jobindsigt.lang';
const listeners = new Set<(lang: Lang) => void>();

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'da') return fromUrl;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'da') return stored;
  } catch {
    // storage blocked: Danish
  }
  return 'da';
}

let current: Lang = initialLang();
document.documentElement.lang = current;

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts for this page
  }
  listeners.forEach((listener) => listener(lang));
}

export function useLang(): Lang {
  const [lang, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => listeners.delete(setState);
  }, []);
  return lang;
}

// Picks the text in the current language: t({da: '…', en: '…'}).
export function tr(texts: { da: string; en: string }, lang: Lang = current): string {
  return texts[lang];
}

const dateFormats = {
  da: new Intl.DateTimeFormat('da-DK', { day: 'numeric', month: 'long', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
};

// "2026-10-31" → "31. oktober 2026" / "31 October 2026".
export function formatDate(iso: string, lang: Lang): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormats[lang].format(date);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number | null | undefined, decimals: number, lang: Lang): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  const key = `${lang}:${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const monthNames = {
  da: ['jan.', 'feb.', 'mar.', 'apr.', 'maj', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

// Period codes of measures.md made readable: 2026M03 → "mar. 2026", 2026Q1 → "1. kvt. 2026",
// 2026W05 → "uge 5 2026", 2026R12M03 → …; unknown forms are shown as they are.
export function periodLabel(code: string, lang: Lang): string {
  let m = /^(\d{4})M(\d{2})$/.exec(code);
  if (m) return `${monthNames[lang][Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})Q([1-4])$/.exec(code);
  if (m) return lang === 'da' ? `${m[2]}. kvt. ${m[1]}` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})W(\d{2})$/.exec(code);
  if (m) return lang === 'da' ? `uge ${Number(m[2])} ${m[1]}` : `week ${Number(m[2])} ${m[1]}`;
  m = /^(\d{4})$/.exec(code);
  if (m) return m[1];
  return code;
}
