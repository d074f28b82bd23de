import type { DuckDBConnection } from '@duckdb/node-api';
import { type Column, createTableView } from '../data/source';
import { evaluateRuleset } from '../dqdl/evaluate';
import type { FileSet, MetricHistory } from '../dqdl/history';
import { parseDqdl } from '../dqdl/parse';
import { UserError } from '../errors';
import { FINDINGS_VERSION, type FindingsDocument } from '../findings/schema';
import { confineToFiles } from '../sql/sandbox';
import { classifyTable, type PiiOptions } from './classify-table';

export interface TableData {
  /** names the table in errors, e.g. `oktank.customer` */
  label: string;
  files: string[];
}

export interface TableEvaluation {
  database: string;
  table: string;
  runId: string;
  primary: TableData;
  /** DQDL alias → referenced table */
  references: Record<string, TableData>;
  ruleset: { text: string; label: string };
  pii: PiiOptions;
  now?: Date;
  history?: MetricHistory;
  files?: FileSet;
}

export interface TableEvaluationResult {
  findings: FindingsDocument;
  columns: Column[];
}

/**
 * The local counterpart of the Glue job's evaluation: DQDL on DuckDB plus sensitive-data column
 * classification, producing the findings document. Knows nothing of S3 or the catalog.
 */
export async function evaluateTable(
  connection: DuckDBConnection,
  input: TableEvaluation,
): Promise<TableEvaluationResult> {
  const parsed = parseDqdl(input.ruleset.text);
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    throw new UserError(`${input.ruleset.label}:${e.line}:${e.column}: ${e.message}; fix the ruleset`);
  }
  const columns = await createTableView(connection, 'primary', input.primary.files, input.primary.label);
  const references: Record<string, string> = {};
  for (const [alias, ref] of Object.entries(input.references)) {
    const view = `ref_${alias}`;
    await createTableView(connection, view, ref.files, ref.label);
    references[alias] = view;
  }
  // From here on the connection reads the table's and its references' files only (CustomSql sandbox).
  await confineToFiles(connection, [
    ...input.primary.files,
    ...Object.values(input.references).flatMap((r) => r.files),
  ]);
  const rowCount = Number(
    (await connection.runAndReadAll('SELECT count(*) AS n FROM "primary"')).getRowObjectsJson()[0]?.n ?? 0,
  );
  const dq = await evaluateRuleset({
    connection,
    primary: 'primary',
    references,
    ruleset: parsed.ruleset,
    now: input.now,
    history: input.history,
    datasetKey: `${input.database}.${input.table}`,
    files: input.files,
  });
  // Dynamic rules compare against earlier runs: remember this run's metrics.
  await input.history?.record(`${input.database}.${input.table}`, {
    at: input.now ?? new Date(),
    metrics: Object.assign({}, ...dq.rules.map((r) => r.metrics), ...dq.analyzers.map((a) => a.metrics)),
  });
  const sensitiveData = await classifyTable(connection, 'primary', columns, input.pii);
  const findings: FindingsDocument = {
    version: FINDINGS_VERSION,
    database: input.database,
    table: input.table,
    runId: input.runId,
    evaluatedAt: (input.now ?? new Date()).toISOString(),
    engine: 'autogov-local',
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    rowCount,
    dataQuality: {
      ruleset: input.ruleset.text,
      score: dq.score,
      rules: dq.rules.map((r) => ({ ...r, metrics: finite(r.metrics) })),
      analyzers: dq.analyzers.map((a) => ({ ...a, metrics: finite(a.metrics) })),
    },
    sensitiveData,
  };
  return { findings, columns };
}

/** JSON has no NaN or Infinity (a Mean over no values is NaN): such metrics are left out of findings. */
function finite(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}
