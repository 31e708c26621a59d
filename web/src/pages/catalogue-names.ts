// Readable names of the catalogue's ids that the API gives as ids only: statistics, units,
// breakdowns, sources, band sets and benefit groups (catalog/measures/bands.toml,
// catalog/codes/benefit_groups.toml, catalog/dataflows/sources). Unknown ids show as they are.
import type { Lang, Names } from '../api';

type NameMap = Record<string, Names>;

export const statisticNames: NameMap = {
  persons: { da: 'Personer', en: 'Persons' },
  fte: { da: 'Fuldtidspersoner', en: 'Full-time persons' },
  spells_started: { da: 'Tilgang, forløb', en: 'Inflow, spells' },
  persons_started: { da: 'Tilgang, personer', en: 'Inflow, persons' },
  spells_ended: { da: 'Afgang, forløb', en: 'Outflow, spells' },
  duration_ended: { da: 'Varighed af afsluttede forløb', en: 'Duration of ended spells' },
  survival: { da: 'Overlevelseskurve', en: 'Survival curve' },
  status_after: { da: 'Status efter afgang', en: 'Status after outflow' },
  share_of_population: { da: 'Andel af befolkningen', en: 'Share of the population' },
  population: { da: 'Befolkning', en: 'Population' },
  activated_persons: { da: 'Aktiverede personer', en: 'Activated persons' },
  activated_fte: { da: 'Aktiverede fuldtidspersoner', en: 'Activated full-time persons' },
  activation_rate: { da: 'Aktiveringsgrad', en: 'Activation rate' },
  meetings_due: { da: 'Samtaler med frist', en: 'Meetings due' },
  meetings_timely: { da: 'Rettidige samtaler', en: 'Meetings held on time' },
  meetings_held: { da: 'Afholdte samtaler', en: 'Meetings held' },
  timeliness: { da: 'Rettidighed', en: 'Timeliness' },
  no_shows: { da: 'Udeblivelser', en: 'No-shows' },
  expenditure_gross: { da: 'Udgifter, brutto', en: 'Expenditure, gross' },
  expenditure_net: { da: 'Udgifter, netto', en: 'Expenditure, net' },
};

export const unitNames: NameMap = {
  persons: { da: 'personer', en: 'persons' },
  fte: { da: 'fuldtidspersoner', en: 'full-time persons' },
  spells: { da: 'forløb', en: 'spells' },
  weeks: { da: 'uger', en: 'weeks' },
  percent: { da: 'procent', en: 'per cent' },
  meetings: { da: 'samtaler', en: 'meetings' },
  dkk: { da: 'kroner', en: 'Danish kroner' },
};

export const breakdownNames: NameMap = {
  age: { da: 'Alder', en: 'Age' },
  sex: { da: 'Køn', en: 'Sex' },
  origin: { da: 'Herkomst', en: 'Origin' },
  education: { da: 'Uddannelse', en: 'Education' },
  duration: { da: 'Varighed', en: 'Duration' },
  visitation: { da: 'Visitationsgruppe', en: 'Visitation group' },
  offer_type: { da: 'Tilbudstype', en: 'Type of offer' },
  provider: { da: 'Aktør', en: 'Provider' },
  survival_week: { da: 'Uge i forløbet', en: 'Week of the spell' },
  status_after: { da: 'Status efter afgang', en: 'Status after outflow' },
  unemployment_fund: { da: 'A-kasse', en: 'Unemployment fund' },
  benefit: { da: 'Ydelse', en: 'Benefit' },
  industry: { da: 'Branche', en: 'Industry' },
  department: { da: 'Afdeling', en: 'Department' },
};

export const sourceNames: NameMap = {
  benefits: { da: 'Ydelsesperioder', en: 'Benefit periods' },
  persons: { da: 'Personoplysninger', en: 'Person data' },
  residence: { da: 'Bopæl', en: 'Residence' },
  offers: { da: 'Aktiveringstilbud', en: 'Activation offers' },
  meetings: { da: 'Samtaler', en: 'Meetings' },
  payments: { da: 'Udbetalinger', en: 'Payments' },
  employment: { da: 'Beskæftigelse', en: 'Employment' },
  education: { da: 'Uddannelsesforløb', en: 'Education enrolments' },
  caseworkers: { da: 'Sagsbehandlere', en: 'Caseworkers' },
  vacancies: { da: 'Ledige stillinger', en: 'Vacancies' },
};

export const bandSetNames: NameMap = {
  age_standard: { da: 'Aldersgrupper', en: 'Age groups' },
  age_broad: { da: 'Brede aldersgrupper', en: 'Broad age groups' },
  duration_standard: { da: 'Varighed i uger', en: 'Duration in weeks' },
  duration_insured: { da: 'Varighed på a-dagpenge', en: 'Duration on insured unemployment benefit' },
  duration_sickness: { da: 'Varighed på sygedagpenge', en: 'Duration on sickness benefit' },
};

export const benefitGroupNames: NameMap = {
  all: { da: 'Alle ydelser under ét', en: 'All benefits as one' },
  insured: { da: 'Forsikrede ledige', en: 'Insured unemployed' },
  adp_mv: { da: 'A-dagpenge mv.', en: 'Insured unemployment benefit etc.' },
  cash_area: { da: 'Kontanthjælpsområdet', en: 'Cash benefit area' },
  sickness: { da: 'Sygedagpenge mv.', en: 'Sickness benefit etc.' },
  rehabilitation: {
    da: 'Revalidering, forrevalidering og ressourceforløb',
    en: 'Rehabilitation, pre-rehabilitation and resource course',
  },
  flexjob_area: {
    da: 'Fleksjob og ledighedsydelse',
    en: 'Flexjob and unemployment benefit for flexjob-eligible persons',
  },
  jobcentre: { da: 'Hele jobcenteret', en: 'The whole jobcentre' },
  public_support: {
    da: 'Offentligt forsørgede (forsørgelsestryk)',
    en: 'Persons on public support (dependency ratio)',
  },
};

export const frequencyNames: NameMap = {
  monthly: { da: 'Månedligt', en: 'Monthly' },
  quarterly: { da: 'Kvartalsvis', en: 'Quarterly' },
  yearly: { da: 'Årligt', en: 'Yearly' },
  weekly: { da: 'Ugentligt', en: 'Weekly' },
};

export function nameOf(map: NameMap, id: string, lang: Lang): string {
  return map[id]?.[lang] ?? id;
}

const monthFormats = {
  da: new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

// "2026-10" or "2026M10" → "oktober 2026" / "October 2026".
export function monthLong(month: string, lang: Lang): string {
  const m = /^(\d{4})[-M](\d{2})$/.exec(month);
  if (!m) return month;
  return monthFormats[lang].format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)));
}

// "2026-10-31" → "2026M10", the period code of the month of a day.
export function monthCodeOfDay(day: string): string {
  return `${day.slice(0, 4)}M${day.slice(5, 7)}`;
}
