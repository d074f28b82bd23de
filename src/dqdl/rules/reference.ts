// Rules comparing the primary dataset with a reference data source: ReferentialIntegrity,
// RowCountMatch, SchemaMatch, DatasetMatch, AggregateMatch.

import { EvaluationError } from '../conditions';
import { type AggRequest, agg, count } from '../metrics';
import { type ColumnInfo, describe, queryArrays, quoteTable, resolveColumn } from '../sql';
import { column, judge, matchingRows, numericExpr, param, ratio, safe, value } from './common';
import type { Compiler, Env } from './types';

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

export const referentialIntegrity: Compiler = async (rule, env) => {
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

export const rowCountMatch: Compiler = async (rule, env) => {
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

export const schemaMatch: Compiler = async (rule, env) => {
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

export const datasetMatch: Compiler = async (rule, env) => {
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

export const aggregateMatch: Compiler = async (rule, env) => {
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
