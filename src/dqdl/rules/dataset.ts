// Dataset-level rules: RowCount, ColumnCount, ColumnExists, ColumnNamesMatchPattern.

import { EvaluationError } from '../conditions';
import { count } from '../metrics';
import { resolveColumn } from '../sql';
import { aggregateRule, judge, param, safe, whereSql } from './common';
import type { Compiler } from './types';

export const rowCount: Compiler = async (rule, env) =>
  aggregateRule(env, rule, count(await whereSql(rule, env)), 'Dataset.*.RowCount');

export const columnCount: Compiler = async (rule, env) => ({
  verdict: safe(async () => {
    const n = env.columns.length;
    return judge(env, rule, n, 'Dataset.*.ColumnCount', { 'Dataset.*.ColumnCount': n });
  }),
});

export const columnExists: Compiler = async (rule, env) => {
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

export const columnNamesMatchPattern: Compiler = async (rule, env) => {
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
