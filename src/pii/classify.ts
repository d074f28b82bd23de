import { entityTypesIn } from './detectors';
import { type DetectionSensitivity, isSupportedEntityType } from './types';

export interface ClassifyOptions {
  /** Glue entity type names to look for; only these are reported. */
  entityTypes: readonly string[];
  /** A type is reported when its fraction of matching cells is ≥ this (Glue default 0.1). */
  thresholdFraction: number;
  /** Glue's detectionSensitivity; default LOW. */
  detectionSensitivity?: DetectionSensitivity;
}

export interface ColumnEntity {
  entityType: string;
  /** Matching non-null cells / non-null sampled cells. */
  fraction: number;
}

/**
 * Glue classify_columns for one column whose cells have already been sampled.
 *
 * fraction = (non-null cells containing the type) / (non-null cells). Glue's documented
 * wording ("fraction of the data") leaves the denominator open; counting only non-null cells
 * is the fail-closed reading — a mostly-empty column of SSNs still crosses the threshold.
 * An all-null column reports nothing. Requested types this engine cannot detect are ignored
 * here; classifyColumns lists them. Result is sorted by fraction desc, then name.
 */
export function classifyColumn(
  values: readonly (string | null | undefined)[],
  opts: ClassifyOptions,
): ColumnEntity[] {
  validateThreshold(opts.thresholdFraction);
  const entityTypes = opts.entityTypes.filter(isSupportedEntityType);
  if (entityTypes.length === 0) return [];
  const detectOpts = { entityTypes, sensitivity: opts.detectionSensitivity ?? 'LOW' } as const;
  const counts = new Map<string, number>();
  // Sampled columns repeat values (codes, categories); tag each distinct value once.
  const memo = new Map<string, readonly string[]>();
  let nonNull = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    nonNull++;
    let found = memo.get(v);
    if (!found) {
      found = [...entityTypesIn(v, detectOpts)];
      memo.set(v, found);
    }
    for (const t of found) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (nonNull === 0) return [];
  const result: ColumnEntity[] = [];
  for (const [entityType, n] of counts) {
    const fraction = n / nonNull;
    if (fraction >= opts.thresholdFraction) result.push({ entityType, fraction });
  }
  return result.sort((a, b) => b.fraction - a.fraction || a.entityType.localeCompare(b.entityType));
}

export interface ColumnsClassification {
  /** Every column that was classified, with its reported entity types (possibly empty). */
  columns: Record<string, ColumnEntity[]>;
  /** Columns whose detection threw; callers should treat these as sensitive. */
  failed: { column: string; reason: string }[];
  /** Requested types with no local detector (never reported, so not proven absent). */
  unsupportedEntityTypes: string[];
}

/** classifyColumn over every column of a sampled table, isolating per-column failures. */
export function classifyColumns(
  table: Readonly<Record<string, readonly (string | null | undefined)[]>>,
  opts: ClassifyOptions,
): ColumnsClassification {
  validateThreshold(opts.thresholdFraction);
  const out: ColumnsClassification = {
    columns: {},
    failed: [],
    unsupportedEntityTypes: [...new Set(opts.entityTypes.filter((t) => !isSupportedEntityType(t)))],
  };
  for (const [column, values] of Object.entries(table)) {
    try {
      out.columns[column] = classifyColumn(values, opts);
    } catch (err) {
      out.failed.push({ column, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

function validateThreshold(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`thresholdFraction must be within [0, 1], got ${t}`);
}
