import type { DuckDBConnection } from '@duckdb/node-api';
import { type Column, quoteIdent } from '../data/source';
import type { FindingsDocument } from '../findings/schema';
import { ColumnClassifier, feedInRandomOrder } from '../pii/classify';
import { notDetectableLocally } from '../pii/types';

export interface PiiOptions {
  entityTypes: string[];
  sampleFraction: number;
  thresholdFraction: number;
  /** stop reading a column once its verdict is settled within this error (src/pii/settle.ts); 0: exact */
  earlyStopErrorBound?: number;
  /** regions whose national phone formats count (governance.yml sensitiveData.phoneRegions) */
  phoneRegions?: readonly string[];
}

/** Same seed for every run, so a repeated run of the same data samples the same rows. */
const SAMPLE_SEED = 42;
/** Rows of the subsample read first when stopping early: enough to settle all but borderline columns. */
const ROUND_ROWS = 8192;

/**
 * Glue classify_columns semantics: one Bernoulli sample of the rows (one scan for all columns),
 * then each column classified on its sampled cells. A column that fails is reported, not fatal.
 * An entity type the local engine cannot detect is not proven absent, so every column is then
 * reported as failed (and so treated as sensitive) with that reason.
 *
 * With an early-stop bound, a reservoir subsample of ROUND_ROWS rows of the sample (a uniform random
 * subset of it, so the stopping rule's bound holds against the sample's exact fraction) is read
 * first, each column in random order until its verdict is settled; the columns it leaves unsettled
 * (fractions near the threshold) are then classified on the whole sample, exactly. One scan for
 * the subsample, one more only when some column needs it.
 */
export async function classifyTable(
  connection: DuckDBConnection,
  view: string,
  columns: Column[],
  pii: PiiOptions,
): Promise<FindingsDocument['sensitiveData']> {
  // Only columns that can hold a requested type are read; the others are scanned by their type.
  const candidates = columns
    .map((c) => ({ column: c, types: possibleEntityTypes(c.type, pii.entityTypes) }))
    .filter((c) => c.types.length > 0);
  const classifiers = candidates.map(({ column, types }) => classifierFor(column, types, pii));
  const failed: FindingsDocument['sensitiveData']['columnsFailed'] = [];
  const failedAt = new Set<number>();
  const feed = (i: number, add: () => void) => {
    if (failedAt.has(i)) return;
    try {
      add();
    } catch (err) {
      failedAt.add(i);
      failed.push({
        column: candidates[i]!.column.name,
        reason: err instanceof Error ? err.message : String(err),
      });
    }
  };
  let exact = classifiers.map((_, i) => i);
  if (candidates.length && pii.earlyStopErrorBound) {
    // First a uniform subsample of the sample, each column read in random order until settled.
    const round = (
      await connection.runAndReadAll(
        sampleQuery(
          view,
          candidates.map((c) => c.column),
          pii.sampleFraction,
          `reservoir(${ROUND_ROWS} ROWS) REPEATABLE (${SAMPLE_SEED})`,
        ),
      )
    ).getColumnsJS();
    const wholeSample = (round[0]?.length ?? 0) < ROUND_ROWS;
    for (const [i, cells] of round.entries())
      feed(i, () => feedInRandomOrder(classifiers[i]!, cells.map(text)));
    // Columns the subsample did not settle are read whole, exactly as Glue does.
    exact = wholeSample ? [] : exact.filter((i) => !classifiers[i]!.settled && !failedAt.has(i));
    for (const i of exact)
      classifiers[i] = classifierFor(candidates[i]!.column, candidates[i]!.types, {
        ...pii,
        earlyStopErrorBound: 0,
      });
  }
  if (exact.length) {
    const result = await connection.stream(
      sampleQuery(
        view,
        exact.map((i) => candidates[i]!.column),
        pii.sampleFraction,
      ),
    );
    for (let chunk = await result.fetchChunk(); chunk?.rowCount; chunk = await result.fetchChunk())
      for (const [k, i] of exact.entries())
        feed(i, () => {
          for (const v of chunk.getColumnValues(k)) classifiers[i]!.add(text(v));
        });
  }
  const found: FindingsDocument['sensitiveData']['columns'] = {};
  classifiers.forEach((classifier, i) => {
    const entities = failedAt.has(i) ? [] : classifier.result();
    if (entities.length) found[candidates[i]!.column.name] = entities;
  });
  const undetectable = notDetectableLocally(pii.entityTypes);
  const columnsFailed = undetectable.length
    ? columns.map((c) => ({
        column: c.name,
        reason: `entity types ${undetectable.join(', ')} cannot be detected locally`,
      }))
    : failed;
  const failedNames = new Set(columnsFailed.map((f) => f.column));
  return {
    entityTypes: pii.entityTypes,
    sampleFraction: pii.sampleFraction,
    thresholdFraction: pii.thresholdFraction,
    columnsScanned: columns.map((c) => c.name).filter((c) => !failedNames.has(c)),
    columnsFailed,
    columns: Object.fromEntries(Object.entries(found).filter(([c]) => !failedNames.has(c))),
  };
}

/** The sampled cells as text; `subsample` draws from the sample (cells are cast only for the rows kept). */
function sampleQuery(view: string, columns: Column[], sampleFraction: number, subsample?: string): string {
  const cells = columns.map((c, i) => `${cellText(c, `s${i}`)} AS c${i}`).join(', ');
  const sample =
    sampleFraction < 1 ? ` USING SAMPLE ${sampleFraction * 100} PERCENT (bernoulli, ${SAMPLE_SEED})` : '';
  const sampled = `SELECT ${columns.map((c, i) => `${quoteIdent(c.name)} AS s${i}`).join(', ')} FROM ${quoteIdent(view)}${sample}`;
  return subsample
    ? `SELECT ${cells} FROM (${sampled}) USING SAMPLE ${subsample}`
    : `SELECT ${cells} FROM (${sampled})`;
}

/**
 * A cell as the text the detectors read. Compact JSON glues keys to values
 * (`{"text":"Alice Smith"}`, the `entities` column of extracted_text) and DuckDB prints a MAP as
 * `{key=value}`: both hide the name. So a column with a MAP anywhere in its type, and a string
 * cell holding a JSON array or object, are read as indented JSON without its quotes (one
 * `key: value` a line), which is how the detectors see any other text.
 */
function cellText(column: Column, alias: string): string {
  const c = quoteIdent(alias);
  if (/\bMAP\(/i.test(column.type)) return unquoted(`json_pretty(to_json(${c}))`);
  if (column.type.toUpperCase() === 'VARCHAR')
    return `CASE WHEN regexp_matches(${c}, '^\\s*[\\[{]') AND json_valid(${c}) THEN ${unquoted(`json_pretty(${c})`)} ELSE ${c} END`;
  return `CAST(${c} AS VARCHAR)`;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A column's classifier: its name and type back the column-level signals (src/pii/column-signal.ts). */
function classifierFor(column: Column, types: string[], pii: PiiOptions): ColumnClassifier {
  return new ColumnClassifier({
    entityTypes: types,
    thresholdFraction: pii.thresholdFraction,
    earlyStopErrorBound: pii.earlyStopErrorBound,
    column: { name: column.name, type: column.type },
    ...(pii.phoneRegions ? { phoneRegions: pii.phoneRegions } : {}),
  });
}

const unquoted = (sql: string): string => `replace(${sql}, '"', '')`;

/** Types whose values are never text: no entity type fits in them. */
const NON_TEXT_TYPES = /^(BOOLEAN|DATE|TIME|TIMESTAMP|INTERVAL|UUID)/;
/** Numbers can only hold digit-only entities (SSN, card, phone, account numbers…). */
const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|FLOAT|DOUBLE)/;
const NEEDS_TEXT = new Set(['PERSON_NAME', 'EMAIL', 'IP_ADDRESS', 'MAC_ADDRESS']);

/** The requested entity types a value of this DuckDB column type can hold at all. */
export function possibleEntityTypes(duckType: string, requested: string[]): string[] {
  const t = duckType.toUpperCase();
  if (NON_TEXT_TYPES.test(t)) return [];
  if (NUMERIC_TYPES.test(t)) return requested.filter((e) => !NEEDS_TEXT.has(e));
  return requested;
}
