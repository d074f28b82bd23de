// What a rule compiles to (metric requests for the planner, a verdict, a row-level predicate) and the
// evaluation environment compilers read.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Rule, Ruleset } from '../ast';
import type { FileSet, MetricHistory } from '../history';
import type { MetricStore, Planner } from '../plan';
import type { ColumnInfo } from '../sql';

export type Outcome = 'PASS' | 'FAIL' | 'ERROR';

export interface Verdict {
  outcome: Outcome;
  message?: string;
  metrics: Record<string, number>;
}

/** Row-level reading of a rule: `predicate` is TRUE for passing rows; rows outside `where` pass. */
export interface RowLevel {
  predicate: string;
  where?: string;
}

export interface CompiledRule {
  verdict(store: MetricStore): Promise<Verdict>;
  rowLevel?: RowLevel;
}

export interface Env {
  connection: DuckDBConnection;
  /** quoted primary relation */
  relation: string;
  columns: ColumnInfo[];
  /** DQDL alias → DuckDB relation name (unquoted) */
  references: Record<string, string>;
  variables: Ruleset['variables'];
  now: Date;
  history?: MetricHistory;
  datasetKey: string;
  files?: FileSet;
  planner: Planner;
  /** validated where clauses (Spark text → DuckDB predicate or error) */
  whereCache: Map<string, Promise<{ sql: string } | { error: string }>>;
  refColumns: Map<string, Promise<ColumnInfo[]>>;
  /** integer bounds of columns, for distinct counts (see bitBounds) */
  bitBounds: Map<string, Promise<[bigint, bigint] | undefined>>;
}

export type Compiler = (rule: Rule, env: Env) => Promise<CompiledRule>;
