// Per-row value rules judged as the fraction of rows passing: ColumnValues, DataFreshness, ColumnDataType.

import type { Condition, Rule, StringCondition } from '../ast';
import {
  dayLiteral,
  EvaluationError,
  formatNumber,
  freshnessSql,
  onDates,
  resolveCondition,
  resolvedToSql,
  stringConditionSql,
  timestampLiteral,
} from '../conditions';
import type { AggRequest } from '../metrics';
import {
  column,
  complianceRequests,
  exprContext,
  judge,
  numericExpr,
  param,
  ratio,
  safe,
  stringExpr,
  value,
  whereSql,
} from './common';
import type { CompiledRule, Compiler, Env } from './types';

/** The column as TIMESTAMP (strings parsed leniently: unparsable → NULL). */
function timestampExpr(c: { sql: string; type: string }): string {
  if (c.type.startsWith('TIMESTAMP')) return c.sql;
  if (c.type === 'DATE') return `CAST(${c.sql} AS TIMESTAMP)`;
  return `TRY_CAST(${c.sql} AS TIMESTAMP)`;
}

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

export const columnValues: Compiler = async (rule, env) => {
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

export const dataFreshness: Compiler = async (rule, env) => {
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

export const columnDataType: Compiler = async (rule, env) => {
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
