// CustomSql: a user query judged on its single value, or row by row against the primary dataset.

import { constraintMessage, EvaluationError } from '../conditions';
import { errorText, queryArrays, quoteIdent, quoteTable, sparkToDuckDb } from '../sql';
import { judge, matchingRows, param, safe, sandboxed } from './common';
import type { Compiler, Env } from './types';

/** Alias-free DuckDB version of a user-written Spark SQL fragment (`primary` → the evaluated table). */
function userSql(env: Env, text: string): string {
  const aliases: Record<string, string> = { primary: env.relation };
  for (const [alias, rel] of Object.entries(env.references)) aliases[alias] = quoteTable(rel);
  return sparkToDuckDb(text, aliases);
}

export const customSql: Compiler = async (rule, env) => {
  const text = param(rule, 0, env);
  // The trailing newline ends a `--` comment before the wrapping queries close their parenthesis.
  const sql = `${userSql(env, text)}\n`;
  await sandboxed(env, sql, 'CustomSql');
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
          throw new EvaluationError(
            `CustomSql returned ${cell === null ? 'NULL' : 'a non-numeric value'} (values are not shown); it must return one number`,
          );
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
