// The DuckDB peer of bench/engine_bench.cpp (run by bench/engine_bench.sh): loads the source
// CSV files of a generated data set into DuckDB once (in memory, or a database file with --db),
// with versions resolved as the ingest does (docs/ingest.md), then answers every query of the mix (bench/queries/*.json)
// with SQL written from the definitions in ../shared/docs/measures.md as read by
// docs/measures.md — spells by the 28-day rule with window functions, contributions per record
// and period, distinct persons per cell including the totals. Nothing is taken from the
// engine's store or code, so agreement is evidence and not an echo.
//
//   node duckdb_engine_mix.mjs --sources DIR --catalog DIR --queries DIR --out DIR
//        [--runs N] [--threads T] [--check ENGINE_CSV_DIR] [--only NAME_PART] [--db FILE]
//
// Writes OUT/<query>.csv in the engine harness's shape and prints tab-separated lines for the
// script: `load <s>`, `query <name> <cells> <median ms> <min ms>`, and with --check one
// `check <name> <same|DIFFERENT> <cells differing>` per query (differences on stderr). Exits 1
// when any cell differs.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, basename, resolve } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (i % 2 ? pairs : [...pairs, [arg.replace(/^--/, ''), all[i + 1]]]), []));
for (const needed of ['sources', 'catalog', 'queries', 'out']) {
  if (!args[needed]) throw new Error(`give --${needed}`);
}
const runs = Math.max(1, Number(args.runs ?? 5));

// ---------------------------------------------------------------------------------------------
// Dates: ISO text, day arithmetic in UTC so that no time zone moves a day.
const dayMs = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const utc = (y, m, d) => Date.UTC(y, m - 1, d);
const lastOfMonth = (y, m) => utc(y, m + 1, 0);

const deliveries = readdirSync(args.sources).filter((name) => /^\d{4}-\d{2}$/.test(name)).sort();
const [cutY, cutM] = deliveries.at(-1).split('-').map(Number);
const cutOff = iso(lastOfMonth(cutY, cutM));  // the last day of the latest delivery month

// A period of measures.md as {id, from, to, days}; ids are returned in the engine's canonical
// form (zero-padded months and weeks).
function parsePeriod(text) {
  let m;
  const pad = (n) => String(n).padStart(2, '0');
  const make = (id, from, to) => ({ id, from: iso(from), to: iso(to), days: (to - from) / dayMs + 1 });
  if ((m = /^(\d{4})M(\d{1,2})$/.exec(text))) {
    const [y, mo] = [+m[1], +m[2]];
    return make(`${y}M${pad(mo)}`, utc(y, mo, 1), lastOfMonth(y, mo));
  }
  if ((m = /^(\d{4})M(\d{1,2})R12$/.exec(text))) {
    const [y, mo] = [+m[1], +m[2]];
    return make(`${y}M${pad(mo)}R12`, utc(y - 1, mo + 1, 1), lastOfMonth(y, mo));
  }
  if ((m = /^(\d{4})M(\d{1,2})YTD$/.exec(text))) {
    const [y, mo] = [+m[1], +m[2]];
    return make(`${y}M${pad(mo)}YTD`, utc(y, 1, 1), lastOfMonth(y, mo));
  }
  if ((m = /^(\d{4})Q([1-4])$/.exec(text))) {
    const [y, q] = [+m[1], +m[2]];
    return make(`${y}Q${q}`, utc(y, 3 * q - 2, 1), lastOfMonth(y, 3 * q));
  }
  if ((m = /^(\d{4})$/.exec(text))) return make(text, utc(+m[1], 1, 1), utc(+m[1], 12, 31));
  if ((m = /^(\d{4})W(\d{1,2})$/.exec(text))) {
    // ISO week 1 is the week holding 4 January; weeks start on Monday.
    const jan4 = utc(+m[1], 1, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * dayMs + (+m[2] - 1) * 7 * dayMs;
    return make(`${m[1]}W${pad(+m[2])}`, monday, monday + 6 * dayMs);
  }
  throw new Error(`period ${text} is not supported by the peer`);
}

// ---------------------------------------------------------------------------------------------
// The catalogue: areas, benefit groups and code lists, read from its files.
const municipalities = readFileSync(join(args.catalog, 'areas/municipalities.csv'), 'utf8')
  .trim().split('\n').slice(1).map((line) => {
    const f = line.split(',');
    return { code: f[0], region: f[2], landsdel: f[4], municipality_group: f[6], jobcentre: f[9] };
  });
const benefitGroups = {};
for (const block of readFileSync(join(args.catalog, 'codes/benefit_groups.toml'), 'utf8').split('[[group]]').slice(1)) {
  benefitGroups[/id = "([^"]+)"/.exec(block)[1]] = [...(/members = \[([^\]]*)\]/.exec(block)[1]).matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}
const codeList = (file) => [...readFileSync(join(args.catalog, `codes/${file}`), 'utf8').matchAll(/^code = "([^"]+)"/gm)].map((x) => x[1]);
const codeLists = {
  sex: codeList('sexes.toml'), origin: codeList('origins.toml'), education: codeList('education_levels.toml'),
  benefit: codeList('benefits.toml'), visitation: codeList('visitation_groups.toml'),
  unemployment_fund: codeList('unemployment_funds.toml'),
};

// ---------------------------------------------------------------------------------------------
// Loading: every source file of every delivery, the latest version per record or key.
// --db FILE keeps the loaded tables in a database file instead of memory and reuses them on the
// next run (DuckDB can then evict table blocks to the file, which at `full` it needs: in memory
// the tables and a long series' working set do not fit beside each other). FILE.load, written
// once the load is checkpointed, holds its seconds and the sources it read: a file without it
// is an unfinished load and is loaded again; a file of other sources is refused. The `load`
// line says which it was; a reused file's load time is the one of the run that made it.
const sourcesPath = resolve(args.sources);
const loadRecord = args.db ? `${args.db}.load` : null;
let reuse = false;
if (args.db && existsSync(args.db)) {
  if (!existsSync(loadRecord)) {
    rmSync(args.db, { force: true });
    rmSync(`${args.db}.wal`, { force: true });
  } else {
    const loadedFrom = readFileSync(loadRecord, 'utf8').trim().split('\t')[1];
    if (loadedFrom !== sourcesPath) {
      throw new Error(`${args.db} holds the tables of ${loadedFrom}, not of ${sourcesPath}: give another --db or delete it`);
    }
    reuse = true;
  }
}
const instance = await DuckDBInstance.create(args.db ?? ':memory:', {
  threads: String(args.threads ?? 2), preserve_insertion_order: 'false',
});
const db = await instance.connect();
const src = (name, columns, extra = '') =>
  `(SELECT *, regexp_extract(filename, '(\\d{4}-\\d{2})/[a-z]+\\.csv$', 1) AS delivery
    FROM read_csv('${args.sources}/*/${name}.csv', delim=';', header=true, filename=true,
                  columns={${columns}}${extra}))`;
// Rows with a record_id: the last delivered version wins, status D deletes. Keyed facts: the
// last delivered row per key wins.
const latestBy = (key) => `QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY delivery DESC) = 1`;
const loadSql = [
  `CREATE TABLE persons AS SELECT person_id, birth_date, sex, origin, education FROM
     ${src('persons', `'person_id':'BIGINT','birth_date':'DATE','sex':'VARCHAR','origin':'VARCHAR','education':'VARCHAR'`)}
     ${latestBy('person_id')}`,
  // Clamping (docs/measures.md): an open record runs to the cut-off day, nothing counts after
  // it, a record starting after it is ignored.
  `CREATE TABLE benefits AS SELECT record_id, person_id, benefit_code, municipality_code AS muni,
       from_date AS f, least(coalesce(to_date, DATE '${cutOff}'), DATE '${cutOff}') AS t, degree,
       visitation, unemployment_fund AS fund
     FROM (SELECT * FROM ${src('benefits', `'record_id':'BIGINT','person_id':'BIGINT','benefit_code':'VARCHAR','municipality_code':'VARCHAR','from_date':'DATE','to_date':'DATE','degree':'DECIMAL(9,6)','visitation':'VARCHAR','unemployment_fund':'VARCHAR','status':'VARCHAR'`)}
           ${latestBy('record_id')})
     WHERE status <> 'D' AND from_date <= DATE '${cutOff}'`,
  `CREATE TABLE offers AS SELECT record_id, person_id, offer_type, provider, from_date AS f,
       least(coalesce(to_date, DATE '${cutOff}'), DATE '${cutOff}') AS t
     FROM (SELECT * FROM ${src('offers', `'record_id':'BIGINT','person_id':'BIGINT','offer_type':'VARCHAR','municipality_code':'VARCHAR','from_date':'DATE','to_date':'DATE','hours_per_week':'INTEGER','provider':'VARCHAR','price_dkk':'DECIMAL(18,2)','status':'VARCHAR'`)}
           ${latestBy('record_id')})
     WHERE status <> 'D' AND from_date <= DATE '${cutOff}'`,
  `CREATE TABLE meetings AS SELECT record_id, person_id, municipality_code AS muni, due_date, held_date, outcome
     FROM (SELECT * FROM ${src('meetings', `'record_id':'BIGINT','person_id':'BIGINT','municipality_code':'VARCHAR','meeting_type':'VARCHAR','due_date':'DATE','held_date':'DATE','outcome':'VARCHAR','caseworker_id':'VARCHAR','department_code':'VARCHAR','status':'VARCHAR'`)}
           ${latestBy('record_id')})
     WHERE status <> 'D'`,
  // The legacy file: ISO-8859-1, decimal comma, months MM-YYYY.
  `CREATE TABLE payments AS SELECT person_id, strptime('01-' || month, '%d-%m-%Y')::DATE AS month,
       benefit_code, municipality_code AS muni, gross_dkk AS gross, refund_dkk AS refund
     FROM ${src('payments', `'person_id':'BIGINT','month':'VARCHAR','benefit_code':'VARCHAR','municipality_code':'VARCHAR','gross_dkk':'DECIMAL(18,2)','refund_dkk':'DECIMAL(18,2)'`, `, decimal_separator=',', encoding='latin-1'`)}
     ${latestBy('person_id, month, benefit_code, municipality_code')}`,
  `CREATE TABLE employment AS SELECT person_id, strptime(month || '-01', '%Y-%m-%d')::DATE AS month, paid_hours
     FROM ${src('employment', `'person_id':'BIGINT','month':'VARCHAR','paid_hours':'INTEGER','industry':'VARCHAR'`)}
     ${latestBy('person_id, month')}`,
  `CREATE TABLE education AS SELECT record_id, person_id, from_date AS f,
       least(coalesce(to_date, DATE '${cutOff}'), DATE '${cutOff}') AS t
     FROM (SELECT * FROM ${src('education', `'record_id':'BIGINT','person_id':'BIGINT','from_date':'DATE','to_date':'DATE','level':'VARCHAR','status':'VARCHAR'`)}
           ${latestBy('record_id')})
     WHERE status <> 'D' AND from_date <= DATE '${cutOff}'`,
  `CREATE TABLE residence AS SELECT person_id, municipality_code AS muni, from_date
     FROM ${src('residence', `'person_id':'BIGINT','municipality_code':'VARCHAR','from_date':'DATE'`)}
     ${latestBy('person_id, from_date')}`,
  // Completed years on day d: one less before the birthday in d's year.
  `CREATE MACRO age_on(birth, d) AS (year(d) - year(birth)) -
     CASE WHEN month(d) < month(birth) OR (month(d) = month(birth) AND day(d) < day(birth)) THEN 1 ELSE 0 END`,
];
const loadStart = process.hrtime.bigint();
let loadSeconds;
let loadedWhere;
if (reuse) {
  loadSeconds = readFileSync(loadRecord, 'utf8').trim().split('\t')[0];
  loadedWhere = `into ${basename(args.db)} by an earlier run, reused`;
} else {
  for (const sql of loadSql) await db.run(sql);
  if (args.db) await db.run('CHECKPOINT');
  loadSeconds = (Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1);
  if (args.db) writeFileSync(loadRecord, `${loadSeconds}\t${sourcesPath}\n`);
  loadedWhere = args.db ? `into ${basename(args.db)}` : 'in memory';
}
console.log(`load\t${loadSeconds}\t${cutOff}\t${loadedWhere}`);

// ---------------------------------------------------------------------------------------------
// Translating a query of the mix into SQL.
const ratios = new Set(['activation_rate', 'timeliness', 'duration_ended', 'share_of_population', 'survival']);
const integers = new Set(['persons', 'persons_start', 'persons_end', 'spells_started', 'persons_started',
  'spells_ended', 'status_after', 'activated_persons', 'meetings_due', 'meetings_timely', 'meetings_held',
  'no_shows', 'population']);
const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;
const values = (rows) => rows.map((r) => `(${r.join(', ')})`).join(', ');

function resolveBenefits(benefits) {
  const list = typeof benefits === 'string' ? [benefits] : benefits;
  if (list.length === 1 && benefitGroups[list[0]]) return benefitGroups[list[0]];
  return list;
}

// The area dimension: its categories and which category each municipality counts in.
function areaDimension(areas = {}) {
  const level = areas.level ?? 'country';
  const key = level === 'country' ? null : level === 'municipality' ? 'code' : level;
  if (level === 'cluster') throw new Error('clusters are not in the catalogue');
  const all = key ? [...new Set(municipalities.map((m) => m[key]))] : ['DK'];
  // docs/query.md: without values and without groups, every value of the level.
  const listed = areas.values ?? (areas.groups ? [] : all);
  const categories = [...listed];
  const rows = [];
  const inTotal = new Set();
  for (const m of municipalities) {
    const value = key ? m[key] : 'DK';
    if (listed.includes(value)) { rows.push([m.code, value]); inTotal.add(m.code); }
  }
  for (const [name, members] of Object.entries(areas.groups ?? {})) {
    categories.push(name);
    for (const code of members) { rows.push([code, name]); inTotal.add(code); }
  }
  if (areas.total) {
    categories.push('_T');
    for (const code of inTotal) rows.push([code, '_T']);
  }
  return { categories, sql: values(rows.map(([m, c]) => [quote(m), quote(c)])) };
}

// A breakdown: its categories and the join that puts a fact in them. Bands and code sets both
// become (value → category) tables; `_T` is the union of what is listed.
const factColumn = { age: 'age', sex: 'sex', origin: 'origin', education: 'education', duration: 'duration',
  benefit: 'benefit_code', visitation: 'visitation', unemployment_fund: 'fund' };
function breakdownDimension(b, index) {
  const by = typeof b === 'string' ? b : b.by;
  const spec = typeof b === 'string' ? { by } : b;
  const alias = `b${index}`;
  if (by === 'survival_week') {
    const weeks = spec.weeks ?? [...Array(105).keys()];
    return { by, special: true, categories: weeks.map(String), weeks };
  }
  if (by === 'status_after') {
    const categories = ['benefit', 'employed', 'education', 'other'];
    if (spec.total) categories.push('_T');
    return { by, special: true, categories, months: spec.months ?? 0 };
  }
  if (!factColumn[by]) throw new Error(`breakdown ${by} is not supported by the peer`);
  if (spec.bands) {
    const bands = spec.bands.map((text) => {
      const [low, high] = text.split('-');
      return { text, low: +low, high: high === '' ? 1e9 : +high };
    });
    const rows = bands.map((band) => [band.low, band.high, quote(band.text)]);
    if (spec.total) rows.push(...bands.map((band) => [band.low, band.high, quote('_T')]));
    return {
      by, categories: [...bands.map((band) => band.text), ...(spec.total ? ['_T'] : [])],
      cte: `${alias}(low, high, cat) AS (VALUES ${values(rows)})`,
      join: `JOIN ${alias} ON f.${factColumn[by]} BETWEEN ${alias}.low AND ${alias}.high`,
    };
  }
  const groups = Object.entries(spec.groups ?? {});
  const listed = spec.values ?? (groups.length ? [] : codeLists[by]);
  const rows = listed.map((code) => [quote(code), quote(code)]);
  for (const [name, members] of groups) rows.push(...members.map((code) => [quote(code), quote(name)]));
  if (spec.total) {
    for (const code of new Set([...listed, ...groups.flatMap(([, members]) => members)])) rows.push([quote(code), quote('_T')]);
  }
  return {
    by, categories: [...listed, ...groups.map(([name]) => name), ...(spec.total ? ['_T'] : [])],
    cte: `${alias}(code, cat) AS (VALUES ${values(rows)})`,
    join: `JOIN ${alias} ON f.${factColumn[by]} = ${alias}.code`,
  };
}

// The facts of each statistic: one row per contribution, spell, meeting, payment or resident,
// with the period, the municipality that places it in an area, the evaluation day and the
// values of every breakdown on that day.
function factsSql(statistic) {
  const person = `age_on(pe.birth_date, x.day) AS age, pe.sex, pe.origin, pe.education`;
  const withPerson = (from, extra = '') => `(SELECT x.*, ${person} ${extra} FROM (${from}) x JOIN persons pe USING (person_id))`;
  // Facts from the benefit records carry the person's columns (joined to the records in `rec`,
  // before a record is repeated for every period it overlaps): only the age is left to compute.
  const withAge = (from) => `(SELECT x.*, age_on(x.birth_date, x.day) AS age FROM (${from}) x)`;
  const personColumns = 'r.birth_date, r.sex, r.origin, r.education';
  switch (statistic) {
    case 'persons': case 'fte': case 'share_of_population':
      return withAge(`SELECT r.person_id, p.pid, p.ndays, r.muni, least(r.t, p.pt) AS day,
          least(r.t, p.pt) - greatest(r.f, p.pf) + 1 AS days, r.degree, r.benefit_code, r.visitation, r.fund,
          (least(r.t, p.pt) - r.start + 1) // 7 AS duration, ${personColumns}
        FROM spell_recs r JOIN periods p ON r.f <= p.pt AND r.t >= p.pf`);
    case 'activated_persons': case 'activated_fte': case 'activation_rate':
      // Activated days: the contribution's days inside the union of the person's offers.
      return withAge(`SELECT c.*, coalesce(a.act_days, 0) AS act_days FROM contributions c
        LEFT JOIN (SELECT c.record_id, c.pid, sum(least(c.day, o.t) - greatest(c.first_day, o.f) + 1) AS act_days
                   FROM contributions c JOIN offer_union o
                     ON o.person_id = c.person_id AND o.f <= c.day AND o.t >= c.first_day
                   GROUP BY c.record_id, c.pid) a USING (record_id, pid)`);
    case 'persons_start': case 'persons_end': {
      const day = statistic === 'persons_start' ? 'p.pf' : 'p.pt';
      return withAge(`SELECT r.person_id, p.pid, r.muni, ${day} AS day, r.benefit_code, r.visitation, r.fund,
          (${day} - r.start + 1) // 7 AS duration, ${personColumns}
        FROM spell_recs r JOIN periods p ON r.f <= ${day} AND r.t >= ${day}`);
    }
    case 'spells_started': case 'persons_started': case 'survival':
      // The spell's first record on the start day.
      return withAge(`SELECT r.person_id, p.pid, r.muni, r.start AS day, r.benefit_code, r.visitation, r.fund,
          0 AS duration, r.ended, ${personColumns},
          CASE WHEN r.ended THEN (r."end" - r.start + 1) // 7 ELSE (DATE '${cutOff}' - r.start + 1) // 7 END AS weeks
        FROM first_recs r JOIN periods p ON r.start BETWEEN p.pf AND p.pt`);
    case 'spells_ended': case 'duration_ended': case 'status_after':
      // The record holding the end, on the end day; only ended spells.
      return withAge(`SELECT r.person_id, p.pid, r.muni, r."end" AS day, r.benefit_code, r.visitation, r.fund,
          (r."end" - r.start + 1) // 7 AS duration, r."end" - r.start + 1 AS length_days, ${personColumns}
        FROM end_recs r JOIN periods p ON r."end" BETWEEN p.pf AND p.pt WHERE r.ended`);
    case 'meetings_due': case 'meetings_timely': case 'timeliness': case 'meetings_held': case 'no_shows': {
      const day = statistic === 'meetings_held' ? 'm.held_date' : 'm.due_date';
      // The person's record in G covering the day with the smallest from (ties: record_id).
      return withPerson(`SELECT m.person_id, p.pid, m.muni, ${day} AS day, m.due_date, m.held_date, m.outcome,
          r.benefit_code, r.visitation, r.fund, (${day} - r.start + 1) // 7 AS duration
        FROM meetings m JOIN periods p ON ${day} BETWEEN p.pf AND p.pt
        JOIN spell_recs r ON r.person_id = m.person_id AND r.f <= ${day} AND r.t >= ${day}
        QUALIFY row_number() OVER (PARTITION BY m.record_id, p.pid ORDER BY r.f, r.record_id) = 1`);
    }
    case 'expenditure_gross': case 'expenditure_net':
      return withPerson(`SELECT pm.person_id, p.pid, pm.muni, last_day(pm.month) AS day, pm.benefit_code,
          pm.gross, pm.refund
        FROM payments pm JOIN periods p ON pm.month >= p.pf AND last_day(pm.month) <= p.pt
        WHERE pm.benefit_code IN (SELECT code FROM g)`);
    case 'population':
      // Residents on the period's last day: the latest move on or before it, not abroad.
      return `(SELECT * FROM ${withPerson(`SELECT r.person_id, p.pid, p.pt AS day, r.muni
          FROM (SELECT *, lead(from_date) OVER (PARTITION BY person_id ORDER BY from_date) AS next_move
                FROM residence) r
          JOIN periods p ON r.from_date <= p.pt AND coalesce(r.next_move, DATE '9999-12-31') > p.pt`)}
        WHERE muni <> '0' AND age BETWEEN 16 AND 66)`;
    default:
      throw new Error(`statistic ${statistic} is not supported by the peer`);
  }
}

const aggregate = {
  persons: 'count(DISTINCT f.person_id)',
  fte: 'sum(f.days * f.degree)::DOUBLE / any_value(f.ndays)',
  persons_start: 'count(DISTINCT f.person_id)',
  persons_end: 'count(DISTINCT f.person_id)',
  spells_started: 'count(*)',
  persons_started: 'count(DISTINCT f.person_id)',
  spells_ended: 'count(*)',
  duration_ended: 'sum(f.length_days)::DOUBLE / 7 / count(*)',
  activated_persons: 'count(DISTINCT f.person_id) FILTER (WHERE f.act_days > 0)',
  activated_fte: 'sum(f.act_days * f.degree)::DOUBLE / any_value(f.ndays)',
  activation_rate: '100 * sum(f.act_days * f.degree)::DOUBLE / nullif(sum(f.days * f.degree), 0)::DOUBLE',
  meetings_due: 'count(*)',
  meetings_timely: 'count(*) FILTER (WHERE f.held_date <= f.due_date)',
  timeliness: '100 * (count(*) FILTER (WHERE f.held_date <= f.due_date))::DOUBLE / count(*)',
  meetings_held: 'count(*)',
  no_shows: "count(*) FILTER (WHERE f.outcome = 'no_show')",
  expenditure_gross: 'sum(f.gross)::DOUBLE',
  expenditure_net: 'sum(f.gross - f.refund)::DOUBLE',
  population: 'count(*)',
};

function translate(query) {
  const group = resolveBenefits(query.benefits ?? []);
  const periods = query.periods.map(parsePeriod);
  const area = areaDimension(query.areas);
  const breakdowns = (query.breakdowns ?? []).map(breakdownDimension);
  const plain = breakdowns.map((b, i) => ({ ...b, index: i })).filter((b) => !b.special);
  const cells = (alias) => ['f.pid', 'a.area', ...plain.map((b) => `b${b.index}.cat AS c${b.index}`)].join(', ');
  const joins = ['JOIN area_map a ON f.muni = a.muni', ...plain.map((b) => b.join)].join(' ');
  const keys = ['pid', 'area', ...plain.map((b) => `c${b.index}`)];
  const ctes = [
    `g(code) AS (VALUES ${values(group.map((code) => [quote(code)]))})`,
    `periods(pid, pf, pt, ndays) AS (VALUES ${values(periods.map((p) => [quote(p.id), `DATE '${p.from}'`, `DATE '${p.to}'`, p.days]))})`,
    `area_map(muni, area) AS (VALUES ${area.sql})`,
    ...plain.map((b) => b.cte),
    // Spells in G (docs/measures.md): sorted by from (ties: record_id), a record continues the
    // spell while from − latest to so far − 1 < 28.
    // The records of G with their person's columns (a record of a person missing from the
    // persons file counts nowhere, as before: spells are per person).
    `rec AS (SELECT b.*, pe.birth_date, pe.sex, pe.origin, pe.education
               FROM benefits b JOIN persons pe USING (person_id) WHERE b.benefit_code IN (SELECT code FROM g))`,
    `ordered AS (SELECT *, max(t) OVER (PARTITION BY person_id ORDER BY f, record_id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_to FROM rec)`,
    `numbered AS (SELECT *, sum(CASE WHEN latest_to IS NULL OR f - latest_to - 1 >= 28 THEN 1 ELSE 0 END)
                   OVER (PARTITION BY person_id ORDER BY f, record_id ROWS UNBOUNDED PRECEDING) AS spell FROM ordered)`,
    `spell_recs AS (SELECT *, min(f) OVER w AS start, max(t) OVER w AS "end",
                     DATE '${cutOff}' - max(t) OVER w >= 28 AS ended
                   FROM numbered WINDOW w AS (PARTITION BY person_id, spell))`,
    `first_recs AS (SELECT * FROM spell_recs WHERE f = start
                   QUALIFY row_number() OVER (PARTITION BY person_id, spell ORDER BY record_id) = 1)`,
    `end_recs AS (SELECT * FROM spell_recs WHERE t = "end"
                   QUALIFY row_number() OVER (PARTITION BY person_id, spell ORDER BY record_id) = 1)`,
    `contributions AS (SELECT r.record_id, r.person_id, p.pid, p.ndays, r.muni, greatest(r.f, p.pf) AS first_day,
                   least(r.t, p.pt) AS day, least(r.t, p.pt) - greatest(r.f, p.pf) + 1 AS days, r.degree,
                   r.benefit_code, r.visitation, r.fund, (least(r.t, p.pt) - r.start + 1) // 7 AS duration,
                   r.birth_date, r.sex, r.origin, r.education
                 FROM spell_recs r JOIN periods p ON r.f <= p.pt AND r.t >= p.pf)`,
    // The union of each person's offers as disjoint intervals.
    `offer_islands AS (SELECT *, sum(CASE WHEN latest_t IS NULL OR f > latest_t THEN 1 ELSE 0 END)
                   OVER (PARTITION BY person_id ORDER BY f, t ROWS UNBOUNDED PRECEDING) AS island
                 FROM (SELECT person_id, f, t, max(t) OVER (PARTITION BY person_id ORDER BY f, t
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_t FROM offers))`,
    `offer_union AS (SELECT person_id, min(f) AS f, max(t) AS t FROM offer_islands GROUP BY person_id, island)`,
  ];
  const selects = [];
  for (const statistic of query.statistics) {
    const out = (value, leftOut = '0') => `SELECT ${quote(statistic)} AS stat, ${keys.join(', ')}, ${
      breakdowns.filter((b) => b.special).map(() => 'k').join(', ')}${breakdowns.some((b) => b.special) ? ', ' : ''}(${value})::DOUBLE AS value, (${leftOut})::BIGINT AS left_out`;
    const special = breakdowns.find((b) => b.special);
    if (statistic === 'survival') {
      if (special?.by !== 'survival_week') throw new Error('survival needs survival_week');
      const maxK = Math.max(...special.weeks, 0);
      // Kaplan–Meier per cell: r_j spells with T ≥ j, e_j ended spells with T = j.
      selects.push(`(WITH sv AS (SELECT ${cells()}, f.weeks, f.ended FROM ${factsSql('survival')} f ${joins}),
        by_t AS (SELECT ${keys.join(', ')}, weeks, count(*) AS n, count(*) FILTER (WHERE ended) AS e FROM sv GROUP BY ALL),
        risk AS (SELECT ${keys.map((k) => `s.${k}`).join(', ')}, j.w AS j, sum(s.n) AS r,
                   coalesce(sum(s.e) FILTER (WHERE s.weeks = j.w), 0) AS e
                 FROM by_t s JOIN range(0, ${maxK}) AS j(w) ON s.weeks >= j.w GROUP BY ALL),
        info AS (SELECT ${keys.join(', ')}, max(weeks) AS max_t FROM by_t GROUP BY ALL),
        zero AS (SELECT ${keys.join(', ')}, min(j) AS z FROM risk WHERE e = r GROUP BY ALL),
        ks(k) AS (VALUES ${values(special.weeks.map((k) => [k]))}),
        prod AS (SELECT ${keys.map((k) => `r.${k}`).join(', ')}, ks.k, product(1 - r.e::DOUBLE / r.r) AS s
                 FROM risk r JOIN ks ON r.j < ks.k GROUP BY ALL)
        ${out(`CASE WHEN k = 0 THEN 100 WHEN z IS NOT NULL AND z < k THEN 0
                    WHEN max_t + 1 < k THEN NULL ELSE 100 * s END`)}
        FROM info CROSS JOIN ks LEFT JOIN zero USING (${keys.join(', ')}) LEFT JOIN prod USING (${keys.join(', ')}, k))`);
    } else if (statistic === 'status_after') {
      if (special?.by !== 'status_after') throw new Error('status_after needs its breakdown');
      // Status in the calendar month k months after the end month; first match wins.
      selects.push(`(WITH sa AS (SELECT ${cells()}, f.person_id,
            (date_trunc('month', f.day) + INTERVAL ${special.months} MONTH)::DATE AS sm FROM ${factsSql('status_after')} f ${joins}),
          st AS (SELECT sa.*, sm > DATE '${cutOff.slice(0, 8)}01' AS left_out,
            CASE WHEN EXISTS (SELECT 1 FROM benefits b WHERE b.person_id = sa.person_id AND b.f <= last_day(sm) AND b.t >= sm) THEN 'benefit'
                 WHEN EXISTS (SELECT 1 FROM employment e WHERE e.person_id = sa.person_id AND e.month = sm AND e.paid_hours >= 1) THEN 'employed'
                 WHEN EXISTS (SELECT 1 FROM education ed WHERE ed.person_id = sa.person_id AND ed.f <= last_day(sm) AND ed.t >= sm) THEN 'education'
                 ELSE 'other' END AS status FROM sa),
          ks(k) AS (VALUES ${values(special.categories.map((c) => [quote(c)]))}),
          counted AS (SELECT ${keys.join(', ')}, ks.k, count(*) FILTER (WHERE NOT st.left_out AND (ks.k = '_T' OR ks.k = st.status)) AS n,
                        count(*) FILTER (WHERE st.left_out) AS lo FROM st CROSS JOIN ks GROUP BY ALL)
        ${out('n', 'lo')} FROM counted)`);
    } else if (statistic === 'share_of_population') {
      // fte of G over the population of the same area, period, age and sex.
      selects.push(`(WITH fte AS (SELECT ${cells()}, sum(f.days * f.degree)::DOUBLE / any_value(f.ndays) AS v
              FROM ${factsSql('fte')} f ${joins} GROUP BY ALL),
            pop AS (SELECT ${cells()}, count(*) AS v FROM ${factsSql('population')} f ${joins} GROUP BY ALL)
          ${out('100 * coalesce(fte.v, 0) / nullif(pop.v, 0)')} FROM fte FULL JOIN pop USING (${keys.join(', ')}))`);
    } else {
      if (special) throw new Error(`${special.by} does not apply to ${statistic} in the peer`);
      if (!aggregate[statistic]) throw new Error(`statistic ${statistic} is not supported by the peer`);
      selects.push(`(SELECT ${quote(statistic)} AS stat, ${cells()}, (${aggregate[statistic]})::DOUBLE AS value,
          0::BIGINT AS left_out FROM ${factsSql(statistic)} f ${joins} GROUP BY ALL)`);
    }
  }
  const sql = `WITH ${ctes.join(',\n')}\n${selects.map((select) => `SELECT * FROM ${select}`).join('\nUNION ALL BY NAME\n')}`;
  const dimensions = [
    { id: 'statistic', categories: query.statistics },
    { id: 'period', categories: periods.map((p) => p.id) },
    { id: 'area', categories: area.categories },
    ...breakdowns.map((b) => ({ id: b.by, categories: b.categories })),
  ];
  return { sql, dimensions, periods, breakdowns };
}

// Every cell of the answer in the engine's order, with its value and status: a count without
// facts is 0; a ratio without a denominator has no value.
function cube(query, translated, rows) {
  const { dimensions, periods, breakdowns } = translated;
  const found = new Map();
  for (const row of rows) {
    const coordinates = [row.stat, row.pid, row.area];
    breakdowns.forEach((b, i) => coordinates.push(b.special ? String(row.k) : row[`c${i}`]));
    found.set(coordinates.join(','), row);
  }
  const preliminary = new Set(periods.filter((p) => p.from <= cutOff && cutOff <= p.to).map((p) => p.id));
  const lines = [`${dimensions.map((d) => d.id).join(',')},value,status,left_out`];
  const walk = (depth, prefix) => {
    if (depth === dimensions.length) {
      const row = found.get(prefix.join(','));
      const statistic = prefix[0];
      let value = row ? row.value : ratios.has(statistic) ? null : 0;
      if (value !== null && Number.isNaN(value)) value = null;
      const status = value === null ? 'no_denominator' : preliminary.has(prefix[1]) ? 'preliminary' : 'ok';
      lines.push(`${prefix.join(',')},${value === null ? '' : String(value)},${status},${row ? row.left_out : 0}`);
      return;
    }
    for (const category of dimensions[depth].categories) walk(depth + 1, [...prefix, category]);
  };
  walk(0, []);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Running the mix.
mkdirSync(args.out, { recursive: true });
const files = readdirSync(args.queries)
  .filter((name) => name.endsWith('.json') && (!args.only || name.includes(args.only))).sort();
for (const file of files) {
  const name = basename(file, '.json');
  const query = JSON.parse(readFileSync(join(args.queries, file), 'utf8'));
  query.statistics = typeof query.statistics === 'string' ? [query.statistics] : query.statistics;
  const translated = translate(query);
  if (args['print-sql']) console.error(translated.sql);
  let rows;
  const times = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const reader = await db.runAndReadAll(translated.sql);
    rows = reader.getRowObjectsJS();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  const lines = cube(query, translated, rows);
  writeFileSync(join(args.out, `${name}.csv`), lines.join('\n') + '\n');
  console.log(`query\t${name}\t${lines.length - 1}\t${median.toFixed(1)}\t${times[0].toFixed(1)}`);
}

// ---------------------------------------------------------------------------------------------
// The number check: every cell of the engine's answer against DuckDB's.
if (args.check) {
  let failed = false;
  for (const file of files) {
    const name = basename(file, '.json');
    const read = (dir) => {
      const path = join(dir, `${name}.csv`);
      if (!existsSync(path)) return null;
      const [header, ...body] = readFileSync(path, 'utf8').trim().split('\n');
      const width = header.split(',').length;
      return { header, cells: new Map(body.map((line) => {
        const f = line.split(',');
        return [f.slice(0, width - 3).join(','), { value: f[width - 3], status: f[width - 2], leftOut: f[width - 1] }];
      })) };
    };
    const engine = read(args.check);
    const duck = read(args.out);
    const problems = [];
    if (!engine) problems.push('no engine answer');
    else {
      if (engine.header !== duck.header) problems.push(`dimensions differ: engine ${engine.header} / duckdb ${duck.header}`);
      for (const [cell, e] of engine.cells) {
        const d = duck.cells.get(cell);
        if (!d) { problems.push(`${cell}: only in the engine's answer`); continue; }
        const statistic = cell.split(',')[0];
        let same = e.status === d.status && e.leftOut === d.leftOut;
        if (same && (e.value === '' || d.value === '')) same = e.value === d.value;
        else if (same && integers.has(statistic)) same = Number(e.value) === Number(d.value);
        else if (same) {
          const [a, b] = [Number(e.value), Number(d.value)];
          same = a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        }
        if (!same) problems.push(`${cell}: engine ${e.value} ${e.status} left_out ${e.leftOut} / duckdb ${d.value} ${d.status} left_out ${d.leftOut}`);
      }
      for (const cell of duck.cells.keys()) if (!engine.cells.has(cell)) problems.push(`${cell}: only in DuckDB's answer`);
    }
    for (const problem of problems.slice(0, 20)) console.error(`${name}: ${problem}`);
    if (problems.length > 20) console.error(`${name}: … ${problems.length - 20} more`);
    console.log(`check\t${name}\t${problems.length ? 'DIFFERENT' : 'same'}\t${problems.length}`);
    failed ||= problems.length > 0;
  }
  if (failed) process.exitCode = 1;
}
