// Rule compilers: each DQDL rule type becomes metric requests (batched by plan.ts), a verdict over
// the computed metrics, and — where a per-row reading exists — a row-level SQL predicate.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Condition, NumberCondition, Rule, Ruleset, StringCondition } from './ast';
import {
  constraintMessage,
  dayLiteral,
  EvaluationError,
  type ExprContext,
  formatNumber,
  freshnessSql,
  onDates,
  resolveCondition,
  resolvedToSql,
  resolveNumberCondition,
  stringConditionSql,
  testResolved,
  timestampLiteral,
} from './conditions';
import type { FileSet, MetricHistory } from './history';
import {
  type AggRequest,
  agg,
  columnMetric,
  count,
  countNonNull,
  distinctCount,
  entropy,
  type FreqRequest,
  uniqueness,
  uniqueValueRatio,
} from './metrics';
import type { MetricStore, Planner } from './plan';
import {
  type ColumnInfo,
  describe,
  errorText,
  isNumericType,
  isStringType,
  queryArrays,
  quoteIdent,
  quoteTable,
  resolveColumn,
  sparkToDuckDb,
} from './sql';

export type Outcome = 'PASS' | 'FAIL' | 'ERROR';

export interface Verdict {
  outcome: Outcome;
  message?: string;
  metrics: Record<string, number>;
}

/** Row-level reading of a rule: `predicate` is TRUE for passing rows; rows outside `where` pass. */
export interface RowLevel {
  predicate: string;
  where?: string;
}

export interface CompiledRule {
  verdict(store: MetricStore): Promise<Verdict>;
  rowLevel?: RowLevel;
}

export interface Env {
  connection: DuckDBConnection;
  /** quoted primary relation */
  relation: string;
  columns: ColumnInfo[];
  /** DQDL alias → DuckDB relation name (unquoted) */
  references: Record<string, string>;
  variables: Ruleset['variables'];
  now: Date;
  history?: MetricHistory;
  datasetKey: string;
  files?: FileSet;
  planner: Planner;
  /** validated where clauses (Spark text → DuckDB predicate or error) */
  whereCache: Map<string, Promise<{ sql: string } | { error: string }>>;
  refColumns: Map<string, Promise<ColumnInfo[]>>;
  /** integer bounds of columns, for distinct counts (see bitBounds) */
  bitBounds: Map<string, Promise<[bigint, bigint] | undefined>>;
}

export function errorRule(message: string): CompiledRule {
  return { verdict: async () => ({ outcome: 'ERROR', message, metrics: {} }) };
}

// ---- helpers ----------------------------------------------------------------------------

function param(rule: Rule, i: number, env: Env): string {
  const p = rule.parameters[i];
  if (!p) throw new EvaluationError(`${rule.type} needs parameter ${i + 1}`);
  if (p.variable) {
    const v = env.variables[p.value];
    if (v?.kind !== 'string') throw new EvaluationError(`Variable $${p.value} is not a string`);
    return v.value;
  }
  return p.value;
}

function column(env: Env, name: string): { sql: string; type: string } {
  const c = resolveColumn(env.columns, name);
  if (!c) throw new EvaluationError(`Column "${name}" does not exist in the dataset`);
  return c;
}

/** Alias-free DuckDB version of a user-written Spark SQL fragment (`primary` → the evaluated table). */
function userSql(env: Env, text: string): string {
  const aliases: Record<string, string> = { primary: env.relation };
  for (const [alias, rel] of Object.entries(env.references)) aliases[alias] = quoteTable(rel);
  return sparkToDuckDb(text, aliases);
}

async function whereSql(rule: Rule, env: Env): Promise<string | undefined> {
  if (rule.where === undefined) return undefined;
  const text = rule.where;
  if (text.trim() === '') throw new EvaluationError('The where clause is invalid: it is empty');
  let pending = env.whereCache.get(text);
  if (!pending) {
    pending = (async () => {
      const sql = sparkToDuckDb(text);
      try {
        // binds names and types without scanning
        const stmt = await env.connection.prepare(`SELECT 1 FROM ${env.relation} WHERE (${sql}) LIMIT 0`);
        stmt.destroySync();
        return { sql: `(${sql})` };
      } catch (err) {
        return { error: errorText(err) };
      }
    })();
    env.whereCache.set(text, pending);
  }
  const r = await pending;
  if ('error' in r) throw new EvaluationError(`The where clause is invalid: ${r.error}`);
  return r.sql;
}

function exprContext(env: Env, metric: string | undefined, rule?: Rule): ExprContext {
  const tz = rule?.tags.timeZone;
  return {
    now: env.now,
    variables: env.variables,
    timeZone: tz?.kind === 'string' ? tz.value : undefined,
    history: env.history && metric ? (k) => env.history!.values(env.datasetKey, metric, k) : undefined,
  };
}

function numberCondition(rule: Rule): NumberCondition {
  const c = rule.condition;
  if (c?.kind !== 'number') throw new EvaluationError(`${rule.type} needs a number condition`);
  return c;
}

async function judge(
  env: Env,
  rule: Rule,
  value: number,
  metric: string,
  metrics: Record<string, number>,
  cond: NumberCondition = numberCondition(rule),
): Promise<Verdict> {
  const resolved = await resolveNumberCondition(cond, exprContext(env, metric, rule));
  const ok = !Number.isNaN(value) && testResolved(value, resolved);
  return ok ? { outcome: 'PASS', metrics } : { outcome: 'FAIL', message: constraintMessage(value), metrics };
}

function value(store: MetricStore, r: AggRequest): number {
  const v = store.agg(r);
  if (!v.ok) throw new EvaluationError(v.error);
  return v.value;
}

function freq(store: MetricStore, r: FreqRequest) {
  const v = store.freq(r);
  if (!v.ok) throw new EvaluationError(v.error);
  return v.value;
}

function ratio(num: number, den: number): number {
  return den === 0 ? Number.NaN : num / den;
}

/** Verdict wrapper: EvaluationErrors and DuckDB errors become ERROR outcomes. */
function safe(fn: (store: MetricStore) => Promise<Verdict>): (store: MetricStore) => Promise<Verdict> {
  return async (store) => {
    try {
      return await fn(store);
    } catch (err) {
      return { outcome: 'ERROR', message: errorText(err), metrics: {} };
    }
  };
}

function numericExpr(c: { sql: string; type: string }): string {
  return isNumericType(c.type) ? c.sql : `TRY_CAST(${c.sql} AS DOUBLE)`;
}

function stringExpr(c: { sql: string; type: string }): string {
  return isStringType(c.type) ? c.sql : `CAST(${c.sql} AS VARCHAR)`;
}

/** The column as TIMESTAMP (strings parsed leniently: unparsable → NULL). */
function timestampExpr(c: { sql: string; type: string }): string {
  if (c.type.startsWith('TIMESTAMP')) return c.sql;
  if (c.type === 'DATE') return `CAST(${c.sql} AS TIMESTAMP)`;
  return `TRY_CAST(${c.sql} AS TIMESTAMP)`;
}

async function referenceColumns(env: Env, alias: string): Promise<ColumnInfo[]> {
  const rel = env.references[alias];
  if (rel === undefined) throw new EvaluationError(`Reference "${alias}" not found in additional sources`);
  let p = env.refColumns.get(alias);
  if (!p) {
    p = describe(env.connection, quoteTable(rel));
    env.refColumns.set(alias, p);
  }
  return p;
}

/** Compliance-style rules: fraction of (where-)rows satisfying `predicate`. */
function complianceRequests(predicate: string, where?: string) {
  return { total: count(where), passing: count(where, predicate) };
}

/** A rule judged on one aggregate of the common scan, reported as `metric`. */
function aggregateRule(env: Env, rule: Rule, req: AggRequest, metric: string): CompiledRule {
  env.planner.add(req);
  return {
    verdict: safe(async (s) => {
      const v = value(s, req);
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
}

/** Rows of the primary relation, and those satisfying `predicate` (which may correlate on `__p`). */
async function matchingRows(env: Env, predicate: string): Promise<{ total: number; passing: number }> {
  const { rows } = await queryArrays(
    env.connection,
    `SELECT CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE ${predicate}) AS DOUBLE) FROM ${env.relation} AS __p`,
  );
  return { total: Number(rows[0]![0]), passing: Number(rows[0]![1]) };
}

// ---- rule compilers ---------------------------------------------------------------------

type Compiler = (rule: Rule, env: Env) => Promise<CompiledRule>;

const rowCount: Compiler = async (rule, env) =>
  aggregateRule(env, rule, count(await whereSql(rule, env)), 'Dataset.*.RowCount');

const columnCount: Compiler = async (rule, env) => ({
  verdict: safe(async () => {
    const n = env.columns.length;
    return judge(env, rule, n, 'Dataset.*.ColumnCount', { 'Dataset.*.ColumnCount': n });
  }),
});

const columnExists: Compiler = async (rule, env) => {
  const name = param(rule, 0, env);
  const exists = resolveColumn(env.columns, name) !== undefined;
  const metrics = { [`Dataset.${name}.ColumnExists`]: exists ? 1 : 0 };
  return {
    verdict: async () =>
      exists
        ? { outcome: 'PASS', metrics }
        : { outcome: 'FAIL', message: `Column ${name} does not exist`, metrics },
  };
};

const completeness =
  (isBoolean: boolean): Compiler =>
  async (rule, env) => {
    const name = param(rule, 0, env);
    const c = column(env, name);
    const where = await whereSql(rule, env);
    const total = count(where);
    const nonNull = countNonNull(c.sql, where);
    env.planner.add(total);
    env.planner.add(nonNull);
    const metric = `Column.${name}.Completeness`;
    return {
      rowLevel: { predicate: `(${c.sql} IS NOT NULL)`, where },
      verdict: safe(async (s) => {
        const v = ratio(value(s, nonNull), value(s, total));
        const metrics = { [metric]: v };
        if (isBoolean) {
          return v === 1
            ? { outcome: 'PASS', metrics }
            : { outcome: 'FAIL', message: constraintMessage(v), metrics };
        }
        return judge(env, rule, v, metric, metrics);
      }),
    };
  };

function columnList(rule: Rule, env: Env): string[] {
  const names: string[] = [];
  for (let i = 0; i < rule.parameters.length; i++) names.push(param(rule, i, env));
  if (names.length === 0) throw new EvaluationError(`${rule.type} needs at least one column`);
  return names;
}

/** Per-row uniqueness: the row's value combination occurs once among the (where-)rows. */
function uniqueRowPredicate(cols: string[], where?: string): string {
  const filter = where ? ` FILTER (WHERE ${where})` : '';
  return `(count(*)${filter} OVER (PARTITION BY ${cols.join(', ')}) = 1)`;
}

const uniquenessRule =
  (kind: 'Uniqueness' | 'IsUnique' | 'IsPrimaryKey'): Compiler =>
  async (rule, env) => {
    const names = columnList(rule, env);
    const cols = names.map((n) => column(env, n).sql);
    const where = await whereSql(rule, env);
    const fr: FreqRequest = { kind: 'freq', columns: cols, where };
    const known = await uniqueFromCounts(env, names, where);
    if (known) env.planner.addFallback(fr, (s) => known(s) === undefined);
    else env.planner.add(fr);
    const total = count(where);
    const nonNull = cols.map((c) => countNonNull(c, where));
    if (kind === 'IsPrimaryKey') {
      env.planner.add(total);
      for (const n of nonNull) env.planner.add(n);
    }
    const metric = columnMetric(names, 'Uniqueness');
    const complete = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
    return {
      rowLevel: {
        predicate:
          kind === 'IsPrimaryKey'
            ? `(${complete} AND ${uniqueRowPredicate(cols, where)})`
            : uniqueRowPredicate(cols, where),
        where,
      },
      verdict: safe(async (s) => {
        const u = known?.(s) ?? uniqueness(freq(s, fr));
        const metrics: Record<string, number> = { [metric]: u };
        if (kind === 'Uniqueness') return judge(env, rule, u, metric, metrics);
        let ok = u === 1;
        if (kind === 'IsPrimaryKey') {
          const t = value(s, total);
          names.forEach((n, i) => {
            const comp = ratio(value(s, nonNull[i]!), t);
            metrics[`Column.${n}.Completeness`] = comp;
            if (comp !== 1) ok = false;
          });
        }
        return ok
          ? { outcome: 'PASS', metrics }
          : { outcome: 'FAIL', message: constraintMessage(u), metrics };
      }),
    };
  };

/** Largest distinct-count bitmap (bits) worth allocating per thread: 16 MiB. */
const MAX_BITMAP_BITS = 2n ** 27n;

/**
 * Integer bounds of a column from DuckDB's statistics (read at bind time: nothing is scanned), when
 * a bitmap over them is small enough for `distinctCount`. Undefined for other types, for sources
 * without statistics (CSV) and for wide ranges.
 */
async function bitBounds(env: Env, c: { sql: string; type: string }): Promise<[bigint, bigint] | undefined> {
  if (!/^U?(TINYINT|SMALLINT|INTEGER|BIGINT)$/.test(c.type)) return undefined;
  let pending = env.bitBounds.get(c.sql);
  if (!pending) {
    pending = (async () => {
      try {
        const { rows } = await queryArrays(
          env.connection,
          `SELECT stats(${c.sql}) FROM ${env.relation} LIMIT 1`,
        );
        const m = /^\[Min: (-?\d+), Max: (-?\d+)\]/.exec(String(rows[0]?.[0] ?? ''));
        if (!m) return undefined;
        const [lo, hi] = [BigInt(m[1]!), BigInt(m[2]!)];
        return lo <= hi && hi - lo < MAX_BITMAP_BITS ? ([lo, hi] as [bigint, bigint]) : undefined;
      } catch {
        return undefined;
      }
    })();
    env.bitBounds.set(c.sql, pending);
  }
  return pending;
}

/**
 * Uniqueness read off two aggregates of the common scan, for one integer column with statistics:
 * every value occurs once ⇔ distinct values = non-NULL values, and then Uniqueness is exactly 1 (NaN
 * with no values). Otherwise (undefined) the exact ratio needs the frequency table. Undefined when
 * the shortcut does not apply.
 */
async function uniqueFromCounts(
  env: Env,
  names: string[],
  where: string | undefined,
): Promise<((s: MetricStore) => number | undefined) | undefined> {
  if (names.length !== 1) return undefined;
  const c = column(env, names[0]!);
  const bits = await bitBounds(env, c);
  if (!bits) return undefined;
  const values = countNonNull(c.sql, where);
  const distinct = distinctCount(c.sql, where, bits);
  env.planner.add(values);
  env.planner.add(distinct);
  return (s) => {
    const n = s.agg(values);
    const d = s.agg(distinct);
    if (!n.ok || !d.ok) return undefined;
    if (n.value === 0) return Number.NaN;
    return d.value === n.value ? 1 : undefined;
  };
}

const frequencyMetric =
  (name: 'Entropy' | 'DistinctValuesCount' | 'UniqueValueRatio'): Compiler =>
  async (rule, env) => {
    const colName = param(rule, 0, env);
    const c = column(env, colName);
    const where = await whereSql(rule, env);
    const metric = `Column.${colName}.${name}`;
    // a distinct count of an integer column needs no frequency table
    const bits = name === 'DistinctValuesCount' ? await bitBounds(env, c) : undefined;
    if (bits) return aggregateRule(env, rule, distinctCount(c.sql, where, bits), metric);
    const fr: FreqRequest = { kind: 'freq', columns: [c.sql], where };
    env.planner.add(fr);
    return {
      verdict: safe(async (s) => {
        const f = freq(s, fr);
        const v =
          name === 'Entropy' ? entropy(f) : name === 'DistinctValuesCount' ? f.distinct : uniqueValueRatio(f);
        return judge(env, rule, v, metric, { [metric]: v });
      }),
    };
  };

const statistic =
  (name: 'Mean' | 'Sum' | 'StandardDeviation' | 'Variance', fn: string): Compiler =>
  async (rule, env) => {
    const colName = param(rule, 0, env);
    const c = column(env, colName);
    const where = await whereSql(rule, env);
    return aggregateRule(env, rule, agg(fn, numericExpr(c), where), `Column.${colName}.${name}`);
  };

const correlation: Compiler = async (rule, env) => {
  const a = param(rule, 0, env);
  const b = param(rule, 1, env);
  const ca = column(env, a);
  const cb = column(env, b);
  const where = await whereSql(rule, env);
  const req: AggRequest = { kind: 'agg', expr: `corr(${numericExpr(ca)}, ${numericExpr(cb)})`, where };
  return aggregateRule(env, rule, req, `Multicolumn.${a},${b}.ColumnCorrelation`);
};

const columnLength: Compiler = async (rule, env) => {
  const colName = param(rule, 0, env);
  const c = column(env, colName);
  const where = await whereSql(rule, env);
  const cond = numberCondition(rule);
  const len = `length(${stringExpr(c)})`;
  const minReq = agg('min', len, where);
  const maxReq = agg('max', len, where);
  const resolved = await resolveNumberCondition(
    cond,
    exprContext(env, `Column.${colName}.MaximumLength`, rule),
  );
  const pred = resolvedToSql(len, resolved);
  const comp = complianceRequests(pred, where);
  // only the aggregates the operator reads
  const needMin =
    resolved.op === '>' || resolved.op === '>=' || resolved.op === 'between' || resolved.op === '=';
  const needMax =
    resolved.op === '<' || resolved.op === '<=' || resolved.op === 'between' || resolved.op === '=';
  if (needMin) env.planner.add(minReq);
  if (needMax) env.planner.add(maxReq);
  if (!needMin && !needMax) {
    env.planner.add(comp.total);
    env.planner.add(comp.passing);
  }
  return {
    rowLevel: { predicate: pred, where },
    verdict: safe(async (s) => {
      const min = needMin ? value(s, minReq) : Number.NaN;
      const max = needMax ? value(s, maxReq) : Number.NaN;
      const metrics: Record<string, number> = {};
      let ok: boolean;
      let shown: number;
      if (resolved.op === '>' || resolved.op === '>=') {
        metrics[`Column.${colName}.MinimumLength`] = min;
        ok = testResolved(Number.isNaN(min) ? null : min, resolved);
        shown = min;
      } else if (resolved.op === '<' || resolved.op === '<=') {
        metrics[`Column.${colName}.MaximumLength`] = max;
        ok = testResolved(Number.isNaN(max) ? null : max, resolved);
        shown = max;
      } else if (resolved.op === 'between' || resolved.op === '=') {
        metrics[`Column.${colName}.MinimumLength`] = min;
        metrics[`Column.${colName}.MaximumLength`] = max;
        ok = testResolved(min, resolved) && testResolved(max, resolved);
        shown = testResolved(min, resolved) ? max : min;
      } else {
        const v = ratio(value(s, comp.passing), value(s, comp.total));
        metrics[`Column.${colName}.LengthCompliance`] = v;
        ok = v === 1;
        shown = v;
      }
      return ok
        ? { outcome: 'PASS', metrics }
        : { outcome: 'FAIL', message: constraintMessage(shown), metrics };
    }),
  };
};

/** Row predicate of a ColumnValues-style condition on column `c`. */
async function valuePredicate(
  env: Env,
  rule: Rule,
  c: { sql: string; type: string },
  cond: Condition,
  metric: string,
): Promise<string> {
  const ignoreCase =
    rule.tags.ignoreCase?.kind === 'string' && rule.tags.ignoreCase.value.toLowerCase() === 'true';
  if (cond.kind === 'string') {
    // a date column compared with a quoted date is a date comparison
    return stringConditionSql(stringExpr(c), cond as StringCondition, env, ignoreCase);
  }
  const resolved = await resolveCondition(cond, exprContext(env, metric, rule));
  if (cond.kind === 'number') return resolvedToSql(numericExpr(c), resolved);
  if (cond.kind === 'date') {
    const days = c.type === 'DATE' ? onDates(resolved) : undefined;
    return days
      ? resolvedToSql(c.sql, days, dayLiteral)
      : resolvedToSql(timestampExpr(c), resolved, timestampLiteral);
  }
  throw new EvaluationError(`${rule.type} does not support ${cond.kind} conditions`);
}

/** Shared by ColumnValues, DataFreshness and ColumnDataType: fraction of rows passing, vs `with threshold` (default: all). */
function complianceRule(
  env: Env,
  rule: Rule,
  predicate: string,
  where: string | undefined,
  metric: string,
  opts: { extra?: Record<string, AggRequest>; rowLevel?: boolean } = {},
): CompiledRule {
  const comp = complianceRequests(predicate, where);
  env.planner.add(comp.total);
  env.planner.add(comp.passing);
  for (const r of Object.values(opts.extra ?? {})) env.planner.add(r);
  return {
    rowLevel: opts.rowLevel === false ? undefined : { predicate, where },
    verdict: safe(async (s) => {
      const total = value(s, comp.total);
      const v = ratio(value(s, comp.passing), total);
      const metrics: Record<string, number> = { [metric]: total === 0 ? 1 : v };
      for (const [k, r] of Object.entries(opts.extra ?? {})) {
        const x = value(s, r);
        if (!Number.isNaN(x)) metrics[k] = x;
      }
      if (total === 0) {
        return {
          outcome: 'PASS',
          message: where ? 'No rows matched the filter' : 'No rows to evaluate',
          metrics,
        };
      }
      if (rule.threshold) return judge(env, rule, v, metric, metrics, rule.threshold);
      if (v === 1) return { outcome: 'PASS', metrics };
      const pct = (v * 100).toFixed(2);
      return {
        outcome: 'FAIL',
        message: `Value: ${formatNumber(v)} does not meet the constraint requirement! ${pct} % of rows passed the threshold`,
        metrics,
      };
    }),
  };
}

const columnValues: Compiler = async (rule, env) => {
  const colName = param(rule, 0, env);
  const c = column(env, colName);
  const where = await whereSql(rule, env);
  if (!rule.condition) throw new EvaluationError('ColumnValues needs a condition');
  let cond: Condition = rule.condition;
  // `ColumnValues "d" > "2022-01-01"` parses as a string comparison; dates compare as dates
  if (
    cond.kind === 'string' &&
    (cond.op === '=' || cond.op === '!=' || cond.op === 'in' || cond.op === 'not in')
  ) {
    cond = cond as StringCondition;
  }
  const metric = `Column.${colName}.ColumnValues.Compliance`;
  const predicate = await valuePredicate(env, rule, c, cond, metric);
  return complianceRule(env, rule, predicate, where, metric);
};

const dataFreshness: Compiler = async (rule, env) => {
  const colName = param(rule, 0, env);
  const c = column(env, colName);
  const where = await whereSql(rule, env);
  const cond = rule.condition;
  if (cond?.kind !== 'duration') throw new EvaluationError('DataFreshness needs a duration condition');
  const resolved = await resolveCondition(cond, exprContext(env, undefined, rule));
  const predicate =
    c.type === 'DATE'
      ? freshnessSql(c.sql, resolved, env.now.getTime(), true)
      : freshnessSql(timestampExpr(c), resolved, env.now.getTime());
  return complianceRule(env, rule, predicate, where, `Column.${colName}.DataFreshness.Compliance`, {
    rowLevel: false,
  });
};

const INT_RE = "'^\\s*[+-]?[0-9]+\\s*$'";

/** SQL test that a value can be read as `typeName` (Glue: "can be cast in Apache Spark"). */
function castableSql(x: string, typeName: string, format?: string): string {
  const t = typeName.trim().toUpperCase();
  const notNull = (e: string) => `(${e} IS NOT NULL)`;
  switch (t) {
    case 'STRING':
      return 'true';
    case 'BOOLEAN':
      return `(lower(trim(${x})) IN ('true', 'false'))`;
    case 'INTEGER':
    case 'INT':
      return `(regexp_full_match(${x}, ${INT_RE}) AND ${notNull(`TRY_CAST(${x} AS INTEGER)`)})`;
    case 'LONG':
    case 'BIGINT':
      return `(regexp_full_match(${x}, ${INT_RE}) AND ${notNull(`TRY_CAST(${x} AS BIGINT)`)})`;
    case 'SHORT':
    case 'SMALLINT':
      return `(regexp_full_match(${x}, ${INT_RE}) AND ${notNull(`TRY_CAST(${x} AS SMALLINT)`)})`;
    case 'DOUBLE':
    case 'FLOAT':
      return notNull(`TRY_CAST(${x} AS DOUBLE)`);
    case 'DATE':
      return format
        ? notNull(`try_strptime(${x}, '${sparkDateFormat(format)}')`)
        : notNull(`TRY_CAST(${x} AS DATE)`);
    case 'TIMESTAMP':
      return format
        ? notNull(`try_strptime(${x}, '${sparkDateFormat(format)}')`)
        : notNull(`TRY_CAST(${x} AS TIMESTAMP)`);
  }
  const dec = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  if (dec) return notNull(`TRY_CAST(${x} AS DECIMAL(${dec[1]}, ${dec[2]}))`);
  throw new EvaluationError(`Unrecognized data type: ${typeName}`);
}

/** Spark datetime pattern → strptime format; unknown pattern letters are rejected. */
function sparkDateFormat(fmt: string): string {
  const map: Record<string, string> = {
    yyyy: '%Y',
    yy: '%y',
    MM: '%m',
    M: '%-m',
    dd: '%d',
    d: '%-d',
    HH: '%H',
    hh: '%I',
    mm: '%M',
    ss: '%S',
    SSS: '%g',
    a: '%p',
  };
  let out = '';
  const re = /([A-Za-z])\1*|'[^']*'|[^A-Za-z']+/g;
  for (const m of fmt.matchAll(re)) {
    const tok = m[0];
    if (tok.startsWith("'")) out += tok.slice(1, -1).replaceAll('%', '%%');
    else if (/^[A-Za-z]/.test(tok)) {
      const f = map[tok];
      if (!f) throw new EvaluationError(`Invalid date format "${fmt}": unsupported pattern "${tok}"`);
      out += f;
    } else out += tok.replaceAll('%', '%%').replaceAll("'", "''");
  }
  return out;
}

const columnDataType: Compiler = async (rule, env) => {
  const colName = param(rule, 0, env);
  const c = column(env, colName);
  const where = await whereSql(rule, env);
  const cond = rule.condition;
  if (cond?.kind !== 'string' || 'pattern' in cond)
    throw new EvaluationError('ColumnDataType needs a type name condition (=, !=, in, not in)');
  const fmt = rule.tags.format?.kind === 'string' ? rule.tags.format.value : undefined;
  const names =
    'operand' in cond
      ? [cond.operand]
      : Array.isArray(cond.list)
        ? cond.list
        : [{ kind: 'variable' as const, name: cond.list.variable }];
  const typeNames: string[] = [];
  for (const n of names) {
    if (n.kind === 'quoted') typeNames.push(n.value);
    else if (n.kind === 'variable') {
      const v = env.variables[n.name];
      if (v?.kind === 'string') typeNames.push(v.value);
      else if (v?.kind === 'stringList')
        for (const s of v.values) if (s.kind === 'quoted') typeNames.push(s.value);
    }
  }
  const x = stringExpr(c);
  const any = `(${typeNames.map((t) => castableSql(x, t, fmt)).join(' OR ')})`;
  const positive = cond.op === '=' || cond.op === 'in';
  const predicate = `(${c.sql} IS NULL OR COALESCE(${positive ? any : `NOT ${any}`}, false))`;
  return complianceRule(env, rule, predicate, where, `Column.${colName}.ColumnDataType.Compliance`, {
    rowLevel: false,
  });
};

const columnNamesMatchPattern: Compiler = async (rule, env) => {
  // regexes keep their backslashes as written (`\s`), as the reference passes them to java.util.regex
  const p0 = rule.parameters[0];
  const pattern = p0 && !p0.variable && p0.raw !== undefined ? p0.raw : param(rule, 0, env);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new EvaluationError(`Invalid regex pattern: ${pattern}`);
  }
  return {
    verdict: async () => {
      const names = env.columns.map((c) => c.name);
      const bad = names.filter((n) => !re.test(n));
      const v = names.length === 0 ? Number.NaN : (names.length - bad.length) / names.length;
      const metrics = { 'Dataset.*.ColumnNamesPatternMatchRatio': v };
      if (bad.length === 0) return { outcome: 'PASS', metrics };
      return {
        outcome: 'FAIL',
        message: `Columns that do not match the pattern: ${bad.join(', ')}`,
        metrics,
      };
    },
  };
};

/** `primary` (+ reference aliases) visible to user SQL, wrapped so the user's own WITH still works. */
function wrapUserSql(env: Env, sql: string): string {
  return userSql(env, sql);
}

const customSql: Compiler = async (rule, env) => {
  const text = param(rule, 0, env);
  const sql = wrapUserSql(env, text);
  let names: string[];
  try {
    const stmt = await env.connection.prepare(sql);
    names = Array.from({ length: stmt.columnCount }, (_, i) => stmt.columnName(i));
    stmt.destroySync();
  } catch (err) {
    throw new EvaluationError(`Error executing SQL statement: ${errorText(err)}`);
  }
  if (rule.condition) {
    return {
      verdict: safe(async () => {
        const { rows } = await queryArrays(env.connection, `SELECT * FROM (${sql}) LIMIT 2`);
        if (rows.length !== 1 || rows[0]!.length !== 1)
          throw new EvaluationError(
            'CustomSql with a condition must return exactly one row with one numeric column',
          );
        const cell = rows[0]![0];
        const v = typeof cell === 'number' ? cell : typeof cell === 'boolean' ? (cell ? 1 : 0) : Number(cell);
        if (cell === null || Number.isNaN(v))
          throw new EvaluationError(`CustomSql returned a non-numeric value: ${String(cell)}`);
        return judge(env, rule, v, 'Dataset.*.CustomSQL', { 'Dataset.*.CustomSQL': v });
      }),
    };
  }
  // Row-level form: a primary row passes when its values appear among the query's rows.
  const primaryNames = new Set(env.columns.map((c) => c.name));
  const common = names.filter((n) => primaryNames.has(n));
  if (common.length === 0)
    throw new EvaluationError(
      'The output from CustomSQL must contain at least one column that matches the input dataset.',
    );
  const extra = names.filter((n) => !primaryNames.has(n));
  if (extra.length)
    throw new EvaluationError(
      `The columns returned from the SQL statement should only belong to the primary table. Columns not found: ${extra.join(', ')}`,
    );
  const match = names
    .map((n) => `__q.${quoteIdent(n)} IS NOT DISTINCT FROM __p.${quoteIdent(n)}`)
    .join(' AND ');
  const predicate = `EXISTS (SELECT 1 FROM (${sql}) AS __q WHERE ${match})`;
  const metric = 'Dataset.*.CustomSQL.Compliance';
  return {
    rowLevel: { predicate },
    verdict: safe(async () => {
      const { total, passing } = await matchingRows(env, predicate);
      if (total === 0)
        throw new EvaluationError('Custom SQL rule could not be evaluated due to data frame being empty');
      // Glue (Deequ) joins the query's rows back onto primary, so a duplicated result row counts
      // once per copy and compliance can exceed 1; the metric and thresholds follow that, while
      // the plain verdict still needs every primary row to match.
      const { rows } = await queryArrays(
        env.connection,
        `SELECT CAST(count(*) AS DOUBLE) FROM ${env.relation} AS __p JOIN (${sql}) AS __q ON ${match}`,
      );
      const v = Number(rows[0]![0]) / total;
      const metrics = { [metric]: v };
      if (rule.threshold) return judge(env, rule, v, metric, metrics, rule.threshold);
      return passing === total
        ? { outcome: 'PASS', metrics }
        : { outcome: 'FAIL', message: constraintMessage(passing / total), metrics };
    }),
  };
};

/** `"reference.col"` / `"reference.{a,b}"` → alias and columns. */
function parseRefColumns(text: string, env: Env): { alias: string; cols: string[] } {
  const brace = /^([^.{}]+)\.\{(.*)\}$/.exec(text);
  if (brace) return { alias: brace[1]!, cols: brace[2]!.split(',').map((s) => s.trim()) };
  const dot = text.indexOf('.');
  if (dot < 0) throw new EvaluationError(`Reference columns must be written "alias.column": ${text}`);
  const alias = text.slice(0, dot);
  if (env.references[alias] === undefined)
    throw new EvaluationError(`Reference "${alias}" not found in additional sources`);
  return { alias, cols: [text.slice(dot + 1)] };
}

const referentialIntegrity: Compiler = async (rule, env) => {
  const primaryCols = param(rule, 0, env)
    .split(',')
    .map((s) => s.trim());
  const ref = parseRefColumns(param(rule, 1, env), env);
  const refCols = await referenceColumns(env, ref.alias);
  if (primaryCols.length !== ref.cols.length)
    throw new EvaluationError('ReferentialIntegrity needs as many reference columns as primary columns');
  const pc = primaryCols.map((n) => column(env, n).sql);
  const rc = ref.cols.map((n) => {
    const c = resolveColumn(refCols, n);
    if (!c) throw new EvaluationError(`Column "${n}" does not exist in reference "${ref.alias}"`);
    return c.sql;
  });
  const rel = quoteTable(env.references[ref.alias]!);
  const match = pc.map((p, i) => `__r.${rc[i]} = __p.${p}`).join(' AND ');
  const predicate = `EXISTS (SELECT 1 FROM ${rel} AS __r WHERE ${match})`;
  const metric = `Column.${ref.alias}.ReferentialIntegrity`;
  return {
    rowLevel: { predicate },
    verdict: safe(async () => {
      const { total, passing } = await matchingRows(env, predicate);
      const v = ratio(passing, total);
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
};

const rowCountMatch: Compiler = async (rule, env) => {
  const alias = param(rule, 0, env);
  const rel = env.references[alias];
  if (rel === undefined)
    throw new EvaluationError(`Reference "${alias}" not found in additional data sources`);
  const total = count();
  env.planner.add(total);
  const metric = `Dataset.${alias}.RowCountMatch`;
  return {
    verdict: safe(async (s) => {
      const { rows } = await queryArrays(
        env.connection,
        `SELECT CAST(count(*) AS DOUBLE) FROM ${quoteTable(rel)}`,
      );
      const v = ratio(value(s, total), Number(rows[0]![0]));
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
};

const schemaMatch: Compiler = async (rule, env) => {
  const alias = param(rule, 0, env);
  if (env.references[alias] === undefined)
    throw new EvaluationError(`Reference "${alias}" not found in additional data sources`);
  const metric = `Dataset.${alias}.SchemaMatch`;
  return {
    verdict: safe(async () => {
      const refCols = await referenceColumns(env, alias);
      const matching = env.columns.filter((c) =>
        refCols.some((r) => r.name.toLowerCase() === c.name.toLowerCase() && r.type === c.type),
      ).length;
      const v = ratio(matching, Math.max(env.columns.length, refCols.length));
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
};

function parseMapping(text: string): [string, string][] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [a, b] = s.split('->').map((x) => x.trim());
      return [a!, b ?? a!];
    });
}

const datasetMatch: Compiler = async (rule, env) => {
  const alias = param(rule, 0, env);
  if (env.references[alias] === undefined)
    throw new EvaluationError(`Reference "${alias}" not found in additional sources`);
  const keys = parseMapping(param(rule, 1, env));
  const refCols = await referenceColumns(env, alias);
  const pcol = (n: string) => resolveColumn(env.columns, n);
  const rcol = (n: string) => resolveColumn(refCols, n);
  const missingKeys = keys.filter(([a, b]) => !pcol(a) || !rcol(b));
  if (missingKeys.length)
    throw new EvaluationError(
      `Provided key map not suitable for given data frames: key columns were not found: ${missingKeys.map(([a, b]) => `${a}->${b}`).join(', ')}`,
    );
  let matches: [string, string][];
  if (rule.parameters.length > 2) {
    matches = parseMapping(param(rule, 2, env));
    const bad = matches.filter(([a, b]) => !pcol(a) || !rcol(b));
    if (bad.length)
      throw new EvaluationError(`Match columns not found: ${bad.map(([a, b]) => `${a}->${b}`).join(', ')}`);
  } else {
    const keyNames = new Set(keys.map(([a]) => a));
    matches = env.columns.filter((c) => !keyNames.has(c.name)).map((c) => [c.name, c.name]);
    const bad = matches.filter(([, b]) => !rcol(b));
    if (bad.length)
      throw new EvaluationError(
        `Columns not found in reference "${alias}": ${bad.map(([a]) => a).join(', ')}`,
      );
  }
  const rel = quoteTable(env.references[alias]!);
  const on = keys.map(([a, b]) => `__p.${pcol(a)!.sql} = __r.${rcol(b)!.sql}`).join(' AND ');
  const eq = matches.map(([a, b]) => `__p.${pcol(a)!.sql} IS NOT DISTINCT FROM __r.${rcol(b)!.sql}`);
  const predicate = `EXISTS (SELECT 1 FROM ${rel} AS __r WHERE ${[on, ...eq].join(' AND ')})`;
  const metric = `Dataset.${alias}.DatasetMatch`;
  return {
    verdict: safe(async () => {
      const { total, passing } = await matchingRows(env, predicate);
      const v = ratio(passing, total);
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
};

const AGG_FUNCTIONS = new Set(['sum', 'avg', 'mean', 'min', 'max', 'count', 'stddev', 'variance']);

const aggregateMatch: Compiler = async (rule, env) => {
  const sides = await Promise.all([0, 1].map((i) => aggregateSide(env, param(rule, i, env))));
  const names = [...new Set(sides.map((s) => s.column))];
  const metric = `Column.${names.join(',')}.AggregateMatch`;
  for (const s of sides) if (s.request) env.planner.add(s.request);
  return {
    verdict: safe(async (store) => {
      const vals: number[] = [];
      for (const s of sides) vals.push(s.request ? value(store, s.request) : await s.query!());
      const [a, b] = vals as [number, number];
      if (Number.isNaN(a) || Number.isNaN(b))
        throw new EvaluationError('AggregateMatch: an aggregate is NULL (no non-NULL values)');
      const v = a === b ? 1 : a / b;
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
};

async function aggregateSide(
  env: Env,
  text: string,
): Promise<{ column: string; request?: AggRequest; query?: () => Promise<number> }> {
  const m = /^\s*([A-Za-z_]+)\s*\((.*)\)\s*$/s.exec(text);
  if (!m || !AGG_FUNCTIONS.has(m[1]!.toLowerCase()))
    throw new EvaluationError(
      `AggregateMatch expects "fn(column)" with fn in ${[...AGG_FUNCTIONS].join(', ')}: ${text}`,
    );
  const fn =
    { mean: 'avg', stddev: 'stddev_pop', variance: 'var_pop' }[m[1]!.toLowerCase()] ?? m[1]!.toLowerCase();
  const arg = m[2]!.trim();
  const direct = resolveColumn(env.columns, arg);
  if (direct) return { column: arg, request: agg(fn, fn === 'count' ? direct.sql : numericExpr(direct)) };
  const dot = arg.indexOf('.');
  const alias = dot > 0 ? arg.slice(0, dot) : undefined;
  if (alias === undefined || env.references[alias] === undefined)
    throw new EvaluationError(
      alias === undefined
        ? `Column "${arg}" not found in the dataset`
        : `Column or reference "${arg}" not found in the dataset or additional sources`,
    );
  const colName = arg.slice(dot + 1);
  const refCols = await referenceColumns(env, alias);
  const rc = resolveColumn(refCols, colName);
  if (!rc) throw new EvaluationError(`Column "${colName}" not found in reference "${alias}"`);
  const rel = quoteTable(env.references[alias]!);
  return {
    column: colName,
    query: async () => {
      const { rows } = await queryArrays(
        env.connection,
        `SELECT CAST(${fn}(${fn === 'count' ? rc.sql : numericExpr(rc)}) AS DOUBLE) FROM ${rel}`,
      );
      const v = rows[0]?.[0];
      return v === null || v === undefined ? Number.NaN : Number(v);
    },
  };
}

export const COMPILERS: Record<string, Compiler> = {
  RowCount: rowCount,
  ColumnCount: columnCount,
  ColumnExists: columnExists,
  Completeness: completeness(false),
  IsComplete: completeness(true),
  Uniqueness: uniquenessRule('Uniqueness'),
  IsUnique: uniquenessRule('IsUnique'),
  IsPrimaryKey: uniquenessRule('IsPrimaryKey'),
  Entropy: frequencyMetric('Entropy'),
  DistinctValuesCount: frequencyMetric('DistinctValuesCount'),
  UniqueValueRatio: frequencyMetric('UniqueValueRatio'),
  Mean: statistic('Mean', 'avg'),
  Sum: statistic('Sum', 'sum'),
  StandardDeviation: statistic('StandardDeviation', 'stddev_pop'),
  Variance: statistic('Variance', 'var_pop'),
  ColumnCorrelation: correlation,
  ColumnLength: columnLength,
  ColumnValues: columnValues,
  DataFreshness: dataFreshness,
  ColumnDataType: columnDataType,
  ColumnNamesMatchPattern: columnNamesMatchPattern,
  CustomSql: customSql,
  ReferentialIntegrity: referentialIntegrity,
  RowCountMatch: rowCountMatch,
  SchemaMatch: schemaMatch,
  DatasetMatch: datasetMatch,
  AggregateMatch: aggregateMatch,
};

export async function compileRule(
  rule: Rule,
  env: Env,
  extra: Record<string, Compiler> = {},
): Promise<CompiledRule> {
  const compiler = extra[rule.type] ?? COMPILERS[rule.type];
  if (!compiler) return errorRule(`Rule type ${rule.type} is not supported by the local evaluator`);
  try {
    return await compiler(rule, env);
  } catch (err) {
    return errorRule(errorText(err));
  }
}
