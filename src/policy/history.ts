import type { Governance } from '../config/schema';
import type { Findings } from '../findings/schema';
import { sensitiveTypes } from './desired';
import { qualityBand } from './score';

export interface HistoryEntry {
  runId: string;
  evaluatedAt: string;
  score: number | null;
  /** the quality band the run's score maps to under the current governance.yml */
  dqTag: string;
  /** columns the run found sensitive entities in, or could not scan */
  sensitiveColumns: string[];
}

/** One evaluated run of a table, as `autogov history` lists it. */
export function historyEntry(findings: Findings, config: Governance): HistoryEntry {
  const failed = new Set(findings.sensitiveData.columnsFailed.map((f) => f.column));
  return {
    runId: findings.runId,
    evaluatedAt: findings.evaluatedAt,
    score: findings.dataQuality.score,
    dqTag: qualityBand(findings.dataQuality.score, config.scoreBands),
    sensitiveColumns: findings.columns
      .map((c) => c.name)
      .filter((c) => failed.has(c) || sensitiveTypes(findings, c, config).length > 0),
  };
}

/** Runs oldest first. */
export function historyOf(findings: Findings[], config: Governance): HistoryEntry[] {
  return findings
    .map((f) => historyEntry(f, config))
    .sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt));
}
