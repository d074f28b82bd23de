// Rules read off value frequencies: Uniqueness, IsUnique, IsPrimaryKey, Entropy, DistinctValuesCount,
// UniqueValueRatio — from the frequency table, or from a distinct-count bitmap for integer columns.

import type { Rule } from '../ast';
import { constraintMessage, EvaluationError } from '../conditions';
import {
  columnMetric,
  count,
  countNonNull,
  distinctCount,
  entropy,
  type FreqRequest,
  uniqueness,
  uniqueValueRatio,
} from '../metrics';
import type { MetricStore } from '../plan';
import { queryArrays } from '../sql';
import { aggregateRule, column, freq, judge, param, ratio, safe, value, whereSql } from './common';
import type { Compiler, Env } from './types';

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

export const uniquenessRule =
  (kind: 'Uniqueness' | 'IsUnique' | 'IsPrimaryKey'): Compiler =>
  async (rule, env) => {
    const names = columnList(rule, env);
    const cols = names.map((n) => column(env, n).sql);
    const where = await whereSql(rule, env);
    const known = await uniqueFromCounts(env, names, where);
    // Without a small integer range the key is hashed and sorted, not held in a hash table.
    const fr: FreqRequest = { kind: 'freq', columns: cols, where, sparse: !known };
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

export const frequencyMetric =
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
