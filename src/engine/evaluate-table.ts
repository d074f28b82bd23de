import type { DuckDBConnection } from '@duckdb/node-api';
import { type Column, createTableView, quoteIdent } from '../data/source';
import { evaluateRuleset } from '../dqdl/evaluate';
import type { FileSet, MetricHistory } from '../dqdl/history';
import { parseDqdl } from '../dqdl/parse';
import { UserError } from '../errors';
import { FINDINGS_VERSION, type FindingsDocument } from '../findings/schema';
import { classifyColumns } from '../pii/classify';
import { isSupportedEntityType } from '../pii/types';

export interface TableData {
  /** names the table in errors, e.g. `oktank.customer` */
  label: string;
  files: string[];
}

export interface PiiOptions {
  entityTypes: string[];
  sampleFraction: number;
  thresholdFraction: number;
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

/** Same seed for every run, so a repeated run of the same data samples the same rows. */
const SAMPLE_SEED = 42;

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

/**
 * Glue classify_columns semantics: one Bernoulli sample of the rows (one scan for all columns),
 * then each column classified on its sampled cells. A column that fails is reported, not fatal.
 * An entity type the local engine cannot detect is not proven absent, so every column is then
 * reported as failed (and so treated as sensitive) with that reason.
 */
async function classifyTable(
  connection: DuckDBConnection,
  view: string,
  columns: Column[],
  pii: PiiOptions,
): Promise<FindingsDocument['sensitiveData']> {
  // Only columns that can hold a requested type are read; the others are scanned by their type.
  const candidates = columns
    .map((c) => ({ column: c, types: possibleEntityTypes(c.type, pii.entityTypes) }))
    .filter((c) => c.types.length > 0);
  const select = candidates.map(({ column }, i) => `CAST(${quoteIdent(column.name)} AS VARCHAR) AS c${i}`);
  const sample =
    pii.sampleFraction < 1
      ? ` USING SAMPLE ${pii.sampleFraction * 100} PERCENT (bernoulli, ${SAMPLE_SEED})`
      : '';
  const data = select.length
    ? (
        await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM ${quoteIdent(view)}${sample}`)
      ).getColumnsJson()
    : [];
  const groups = new Map<string, { types: string[]; cells: Record<string, (string | null)[]> }>();
  candidates.forEach(({ column, types }, i) => {
    const group = groups.get(types.join()) ?? { types, cells: {} };
    group.cells[column.name] = (data[i] ?? []).map((v) => (v === null ? null : String(v)));
    groups.set(types.join(), group);
  });
  const found: FindingsDocument['sensitiveData']['columns'] = {};
  let failed: FindingsDocument['sensitiveData']['columnsFailed'] = [];
  for (const { types, cells } of groups.values()) {
    const result = classifyColumns(cells, {
      entityTypes: types,
      thresholdFraction: pii.thresholdFraction,
      columnTypes: Object.fromEntries(columns.map((c) => [c.name, c.type])),
    });
    failed.push(...result.failed);
    for (const [c, entities] of Object.entries(result.columns)) if (entities.length) found[c] = entities;
  }
  const undetectable = pii.entityTypes.filter((t) => !isSupportedEntityType(t));
  if (undetectable.length)
    failed = columns.map((c) => ({
      column: c.name,
      reason: `entity types ${undetectable.join(', ')} cannot be detected locally`,
    }));
  const failedNames = new Set(failed.map((f) => f.column));
  return {
    entityTypes: pii.entityTypes,
    sampleFraction: pii.sampleFraction,
    thresholdFraction: pii.thresholdFraction,
    columnsScanned: columns.map((c) => c.name).filter((c) => !failedNames.has(c)),
    columnsFailed: failed,
    columns: Object.fromEntries(Object.entries(found).filter(([c]) => !failedNames.has(c))),
  };
}

/** Types whose values are never text: no entity type fits in them. */
const NON_TEXT_TYPES = /^(BOOLEAN|DATE|TIME|TIMESTAMP|INTERVAL|UUID)/;
/** Numbers can only hold digit-only entities (SSN, card, phone, account numbers…). */
const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|FLOAT|DOUBLE)/;
const NEEDS_TEXT = new Set(['PERSON_NAME', 'EMAIL', 'IP_ADDRESS', 'MAC_ADDRESS']);

/** The requested entity types a value of this DuckDB column type can hold at all. */
export function possibleEntityTypes(duckType: string, requested: string[]): string[] {
  const t = duckType.toUpperCase();
  // A DATE column can still be a date of birth (decided by its name: src/pii/column-signal.ts).
  if (NON_TEXT_TYPES.test(t))
    return /^(DATE|TIMESTAMP)/.test(t) ? requested.filter((e) => e === 'DATE_OF_BIRTH') : [];
  if (NUMERIC_TYPES.test(t)) return requested.filter((e) => !NEEDS_TEXT.has(e));
  return requested;
}
