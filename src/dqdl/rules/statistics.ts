// Numeric statistics of a column: Mean, Sum, StandardDeviation, Variance, ColumnCorrelation, and
// ColumnLength over string lengths.

import { constraintMessage, resolvedToSql, resolveNumberCondition, testResolved } from '../conditions';
import { type AggRequest, agg } from '../metrics';
import {
  aggregateRule,
  column,
  complianceRequests,
  exprContext,
  numberCondition,
  numericExpr,
  param,
  ratio,
  safe,
  stringExpr,
  value,
  whereSql,
} from './common';
import type { Compiler } from './types';

export const statistic =
  (name: 'Mean' | 'Sum' | 'StandardDeviation' | 'Variance', fn: string): Compiler =>
  async (rule, env) => {
    const colName = param(rule, 0, env);
    const c = column(env, colName);
    const where = await whereSql(rule, env);
    return aggregateRule(env, rule, agg(fn, numericExpr(c), where), `Column.${colName}.${name}`);
  };

export const correlation: Compiler = async (rule, env) => {
  const a = param(rule, 0, env);
  const b = param(rule, 1, env);
  const ca = column(env, a);
  const cb = column(env, b);
  const where = await whereSql(rule, env);
  const req: AggRequest = { kind: 'agg', expr: `corr(${numericExpr(ca)}, ${numericExpr(cb)})`, where };
  return aggregateRule(env, rule, req, `Multicolumn.${a},${b}.ColumnCorrelation`);
};

export const columnLength: Compiler = async (rule, env) => {
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
