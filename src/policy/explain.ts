import type { Governance } from '../config/schema';
import type { Evidence, Findings, RuleResult } from '../findings/schema';
import { notDetectableLocally } from '../pii/types';
import { desiredTags, type Override, type Overrides } from './desired';
import { ruleTally } from './score';
import type { TableTags } from './tags';

type DetectedEntity = { entityType: string; fraction: number; evidence?: Evidence };

export interface ColumnExplanation {
  tags: Record<string, string>;
  /** why the column has its class, as the policy decided it from the latest findings */
  reason: string;
  /** detected entity types with the fraction of sampled cells holding each and, from findings
   * version 2 on, the evidence (detectors, cell counts, redacted examples) */
  entities: DetectedEntity[];
  override?: Override;
}

export interface Explanation {
  database: string;
  table: string;
  runId: string;
  evaluatedAt: string;
  tags: Record<string, string>;
  quality: { score: number | null; passed: number; total: number; rules: RuleResult[] };
  /** the detection threshold every column's fractions are compared against */
  thresholdFraction: number;
  /**
   * configured entity types the run could not check: the local engine has no detector for them,
   * so every column is sensitive (fail closed); empty for Glue's runs
   */
  notCheckedLocally: string[];
  columns: Record<string, ColumnExplanation>;
}

/** A column's reported types; version 1 documents have no evidence. */
function detected(findings: Findings, column: string): DetectedEntity[] {
  const entities: readonly DetectedEntity[] = findings.sensitiveData.columns[column] ?? [];
  return entities.map(({ entityType, fraction, evidence }) => ({
    entityType,
    fraction,
    ...(evidence ? { evidence } : {}),
  }));
}

/**
 * Why a table and each of its columns carry their owned tags: the latest run's rule outcomes
 * (failed first), each column's detected entities against the threshold, and recorded overrides.
 * Reasons come from the same policy decision that tagged the table, so they cannot drift from it.
 */
export function explainTags(
  findings: Findings,
  current: TableTags,
  overrides: Overrides,
  config: Governance,
): Explanation {
  const { reasons } = desiredTags(findings, current, overrides, config);
  const rules = [...findings.dataQuality.rules].sort(
    (a, b) => Number(a.outcome === 'PASS') - Number(b.outcome === 'PASS'),
  );
  const columns: Record<string, ColumnExplanation> = {};
  for (const { name } of findings.columns)
    columns[name] = {
      tags: current.columns[name] ?? {},
      reason: reasons[name] ?? '',
      entities: detected(findings, name),
      ...(overrides.columns[name] ? { override: overrides.columns[name] } : {}),
    };
  return {
    database: findings.database,
    table: findings.table,
    runId: findings.runId,
    evaluatedAt: findings.evaluatedAt,
    tags: current.table,
    quality: {
      score: findings.dataQuality.score,
      ...ruleTally(rules),
      rules,
    },
    thresholdFraction: findings.sensitiveData.thresholdFraction,
    notCheckedLocally:
      findings.engine === 'autogov-local' ? notDetectableLocally(findings.sensitiveData.entityTypes) : [],
    columns,
  };
}
