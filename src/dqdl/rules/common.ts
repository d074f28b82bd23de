// Helpers every rule family shares: parameters and columns, where clauses, judging a value against the
// rule's condition, reading the metric store, and the common aggregate and compliance shapes.

import { selectProblem } from '../../sql/sandbox';
import type { NumberCondition, Rule } from '../ast';
import {
  constraintMessage,
  EvaluationError,
  type ExprContext,
  resolveNumberCondition,
  testResolved,
} from '../conditions';
import { type AggRequest, count, type FreqRequest } from '../metrics';
import type { MetricStore } from '../plan';
import {
  errorText,
  isNumericType,
  isStringType,
  queryArrays,
  quoteTable,
  resolveColumn,
  sparkToDuckDb,
} from '../sql';
import type { CompiledRule, Env, Verdict } from './types';

export function param(rule: Rule, i: number, env: Env): string {
  const p = rule.parameters[i];
  if (!p) throw new EvaluationError(`${rule.type} needs parameter ${i + 1}`);
  if (p.variable) {
    const v = env.variables[p.value];
    if (v?.kind !== 'string') throw new EvaluationError(`Variable $${p.value} is not a string`);
    return v.value;
  }
  return p.value;
}

export function column(env: Env, name: string): { sql: string; type: string } {
  const c = resolveColumn(env.columns, name);
  if (!c) throw new EvaluationError(`Column "${name}" does not exist in the dataset`);
  return c;
}

export async function whereSql(rule: Rule, env: Env): Promise<string | undefined> {
  if (rule.where === undefined) return undefined;
  const text = rule.where;
  if (text.trim() === '') throw new EvaluationError('The where clause is invalid: it is empty');
  let pending = env.whereCache.get(text);
  if (!pending) {
    pending = (async () => {
      const sql = sparkToDuckDb(text);
      try {
        const probe = `SELECT 1 FROM ${env.relation} WHERE (${sql}\n) LIMIT 0`;
        await sandboxed(env, probe, 'The where clause');
        // binds names and types without scanning
        const stmt = await env.connection.prepare(probe);
        stmt.destroySync();
        return { sql: `(${sql}\n)` };
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

/**
 * User-written SQL reads the primary table and the reference aliases only: no table functions over
 * files, no settings, no other tables (src/sql/sandbox.ts).
 */
export async function sandboxed(env: Env, sql: string, what: string): Promise<void> {
  const views = new Set(Object.values(env.references).map((v) => v.toLowerCase()));
  const aliases = Object.keys(env.references);
  const problem = await selectProblem(env.connection, sql, {
    allows: ({ schema, table }) =>
      schema === '' && (quoteTable(table) === env.relation.toLowerCase() || views.has(table)),
    readable: aliases.length ? `primary and the reference aliases (${aliases.join(', ')})` : 'primary',
  });
  if (problem) throw new EvaluationError(`${what} may read only the evaluated data: ${problem}`);
}

export function exprContext(env: Env, metric: string | undefined, rule?: Rule): ExprContext {
  const tz = rule?.tags.timeZone;
  return {
    now: env.now,
    variables: env.variables,
    timeZone: tz?.kind === 'string' ? tz.value : undefined,
    history: env.history && metric ? (k) => env.history!.values(env.datasetKey, metric, k) : undefined,
  };
}

export function numberCondition(rule: Rule): NumberCondition {
  const c = rule.condition;
  if (c?.kind !== 'number') throw new EvaluationError(`${rule.type} needs a number condition`);
  return c;
}

export async function judge(
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

export function value(store: MetricStore, r: AggRequest): number {
  const v = store.agg(r);
  if (!v.ok) throw new EvaluationError(v.error);
  return v.value;
}

export function freq(store: MetricStore, r: FreqRequest) {
  const v = store.freq(r);
  if (!v.ok) throw new EvaluationError(v.error);
  return v.value;
}

export function ratio(num: number, den: number): number {
  return den === 0 ? Number.NaN : num / den;
}

/** Verdict wrapper: EvaluationErrors and DuckDB errors become ERROR outcomes. */
export function safe(fn: (store: MetricStore) => Promise<Verdict>): (store: MetricStore) => Promise<Verdict> {
  return async (store) => {
    try {
      return await fn(store);
    } catch (err) {
      return { outcome: 'ERROR', message: errorText(err), metrics: {} };
    }
  };
}

export function numericExpr(c: { sql: string; type: string }): string {
  return isNumericType(c.type) ? c.sql : `TRY_CAST(${c.sql} AS DOUBLE)`;
}

export function stringExpr(c: { sql: string; type: string }): string {
  return isStringType(c.type) ? c.sql : `CAST(${c.sql} AS VARCHAR)`;
}

/** Compliance-style rules: fraction of (where-)rows satisfying `predicate`. */
export function complianceRequests(predicate: string, where?: string) {
  return { total: count(where), passing: count(where, predicate) };
}

/** A rule judged on one aggregate of the common scan, reported as `metric`. */
export function aggregateRule(env: Env, rule: Rule, req: AggRequest, metric: string): CompiledRule {
  env.planner.add(req);
  return {
    verdict: safe(async (s) => {
      const v = value(s, req);
      return judge(env, rule, v, metric, { [metric]: v });
    }),
  };
}

/** Rows of the primary relation, and those satisfying `predicate` (which may correlate on `__p`). */
export async function matchingRows(env: Env, predicate: string): Promise<{ total: number; passing: number }> {
  const { rows } = await queryArrays(
    env.connection,
    `SELECT CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE ${predicate}) AS DOUBLE) FROM ${env.relation} AS __p`,
  );
  return { total: Number(rows[0]![0]), passing: Number(rows[0]![1]) };
}
