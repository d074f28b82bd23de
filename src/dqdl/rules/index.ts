// Rule compilers: each DQDL rule type becomes metric requests (batched by plan.ts), a verdict over
// the computed metrics, and — where a per-row reading exists — a row-level SQL predicate.
// This module is the registry; the compilers live in one module per rule family, sharing common.ts.

import type { Rule } from '../ast';
import { errorText } from '../sql';
import { completeness } from './completeness';
import { customSql } from './custom-sql';
import { columnCount, columnExists, columnNamesMatchPattern, rowCount } from './dataset';
import { frequencyMetric, uniquenessRule } from './frequency';
import { aggregateMatch, datasetMatch, referentialIntegrity, rowCountMatch, schemaMatch } from './reference';
import { columnLength, correlation, statistic } from './statistics';
import type { CompiledRule, Compiler, Env } from './types';
import { columnDataType, columnValues, dataFreshness } from './values';

export type { CompiledRule, Env, Outcome, Verdict } from './types';

export function errorRule(message: string): CompiledRule {
  return { verdict: async () => ({ outcome: 'ERROR', message, metrics: {} }) };
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
