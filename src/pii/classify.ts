import {
  type ColumnContext,
  type ColumnSignal,
  columnThreshold,
  nameSignals,
  SHAPE_FRACTION,
} from './column-signal';
import { type DetectOptions, detectEntities } from './detectors';
import { redact } from './redact';
import { mulberry32 } from './sample';
import { isCheckpoint, type SettleRule, settleRule, verdictSettled } from './settle';
import { type DetectionSensitivity, isSupportedEntityType, notDetectableLocally } from './types';

export interface ClassifyOptions {
  /** Glue entity type names to look for; only these are reported. */
  entityTypes: readonly string[];
  /** A type is reported when its fraction of matching cells is ≥ this (Glue default 0.1). */
  thresholdFraction: number;
  /** Glue's detectionSensitivity; default LOW. */
  detectionSensitivity?: DetectionSensitivity;
  /**
   * Stop reading a column once every type's verdict holds with at most this probability of
   * differing from the exact fraction's (src/pii/settle.ts). 0 or absent: every cell is read,
   * Glue's exact fraction.
   */
  earlyStopErrorBound?: number;
  /** The column's name and type: its name with right-shaped values can decide a type (column-signal.ts). */
  column?: ColumnContext;
  /** Regions whose national phone formats count (default: patterns-intl DEFAULT_PHONE_REGIONS). */
  phoneRegions?: readonly string[];
}

/** Why a type was reported for a column: what `autogov explain` shows. */
export interface ColumnEvidence {
  /** the detector rules that matched (DetectedEntity.detector), sorted */
  detectors: string[];
  /** cells holding the type among the cells read */
  matchedCells: number;
  /** non-null cells read: the fraction's denominator */
  sampledCells: number;
  threshold: number;
  /** up to three distinct matches, redacted (src/pii/redact.ts) */
  examples: string[];
  /** the column name that, with right-shaped values, decided the type (column-signal.ts) */
  columnNameSignal?: string;
  /** present when reading stopped before the end of the sample because the verdict was settled */
  stoppedEarly?: { errorBound: number };
}

export interface ColumnEntity {
  entityType: string;
  /** Matching non-null cells / non-null sampled cells. */
  fraction: number;
  evidence: ColumnEvidence;
}

const MAX_EXAMPLES = 3;
/** Distinct values remembered per column; beyond it values are still classified, just not cached. */
const MEMO_LIMIT = 100_000;

interface CellMatch {
  entityType: string;
  detectors: string[];
  /** code point span of the first match of the type in the cell */
  start: number;
  end: number;
}

interface TypeTally {
  matched: number;
  detectors: Set<string>;
  examples: string[];
}

/**
 * Glue classify_columns for one column, fed one sampled cell at a time.
 *
 * fraction = (non-null cells containing the type) / (non-null cells). Glue's documented
 * wording ("fraction of the data") leaves the denominator open; counting only non-null cells
 * is the fail-closed reading — a mostly-empty column of SSNs still crosses the threshold.
 * Each distinct value is detected once (sampled columns repeat codes and categories). Requested
 * types this engine cannot detect are ignored here; classifyColumns lists them.
 */
export class ColumnClassifier {
  private readonly types: string[];
  private readonly detectOpts: DetectOptions;
  private readonly rule: SettleRule | undefined;
  private readonly memo = new Map<string, CellMatch[]>();
  private readonly tallies = new Map<string, TypeTally>();
  private nonNull = 0;
  private isSettled = false;
  private readonly signals: ColumnSignal[];
  /** per signal: non-null cells read with the signalled type's shape, and up to three examples */
  private readonly shaped: { cells: number; examples: string[] }[];
  private readonly shapeMemo = new Map<string, boolean[]>();

  constructor(private readonly opts: ClassifyOptions) {
    validateThreshold(opts.thresholdFraction);
    this.types = [...new Set(opts.entityTypes.filter(isSupportedEntityType))];
    this.detectOpts = {
      entityTypes: this.types,
      sensitivity: opts.detectionSensitivity ?? 'LOW',
      ...(opts.phoneRegions ? { phoneRegions: opts.phoneRegions } : {}),
    };
    if (this.types.length === 0) this.isSettled = true;
    this.signals = opts.column ? nameSignals(opts.column, this.types) : [];
    this.shaped = this.signals.map(() => ({ cells: 0, examples: [] }));
    // Every type's verdict and every name signal's is one test of the union bound.
    this.rule = opts.earlyStopErrorBound
      ? settleRule(opts.earlyStopErrorBound, this.types.length + this.signals.length)
      : undefined;
  }

  /** True once further cells cannot change the verdict (within the error bound), or nothing is asked. */
  get settled(): boolean {
    return this.isSettled;
  }

  add(value: string | null | undefined): void {
    if (value === null || value === undefined || this.isSettled) return;
    this.nonNull++;
    let found = this.memo.get(value);
    if (!found) {
      found = this.detect(value);
      if (this.memo.size < MEMO_LIMIT) this.memo.set(value, found);
    }
    for (const m of found) {
      let tally = this.tallies.get(m.entityType);
      if (!tally) {
        tally = { matched: 0, detectors: new Set(), examples: [] };
        this.tallies.set(m.entityType, tally);
      }
      tally.matched++;
      for (const d of m.detectors) tally.detectors.add(d);
      if (tally.examples.length < MAX_EXAMPLES) {
        const example = redact([...value].slice(m.start, m.end).join(''));
        if (!tally.examples.includes(example)) tally.examples.push(example);
      }
    }
    if (this.signals.length) this.addShapes(value);
    if (this.rule && isCheckpoint(this.nonNull)) this.isSettled = this.verdictsSettled(this.rule);
  }

  private addShapes(value: string): void {
    let shapes = this.shapeMemo.get(value);
    if (!shapes) {
      shapes = this.signals.map((s) => s.shape(value));
      if (this.shapeMemo.size < MEMO_LIMIT) this.shapeMemo.set(value, shapes);
    }
    shapes.forEach((fits, i) => {
      if (!fits) return;
      const tally = this.shaped[i]!;
      tally.cells++;
      const example = redact(value);
      if (tally.examples.length < MAX_EXAMPLES && !tally.examples.includes(example))
        tally.examples.push(example);
    });
  }

  /** The reported types, sorted by fraction desc, then name. An all-null column reports nothing. */
  result(): ColumnEntity[] {
    if (this.nonNull === 0) return [];
    const stopped = this.rule && this.isSettled && this.opts.earlyStopErrorBound;
    const out: ColumnEntity[] = [];
    for (const [entityType, t] of this.tallies) {
      const fraction = t.matched / this.nonNull;
      if (fraction < columnThreshold(entityType, this.opts.column, this.opts.thresholdFraction)) continue;
      out.push({
        entityType,
        fraction,
        evidence: {
          detectors: [...t.detectors].sort(),
          matchedCells: t.matched,
          sampledCells: this.nonNull,
          threshold: this.opts.thresholdFraction,
          examples: t.examples,
          ...(stopped ? { stoppedEarly: { errorBound: stopped } } : {}),
        },
      });
    }
    this.signals.forEach((signal, i) => {
      const { cells, examples } = this.shaped[i]!;
      const fraction = cells / this.nonNull;
      if (fraction < Math.max(SHAPE_FRACTION, this.opts.thresholdFraction)) return;
      const columnNameSignal = this.opts.column!.name;
      const seen = out.findIndex((e) => e.entityType === signal.entityType);
      if (seen >= 0 && out[seen]!.fraction >= fraction) {
        out[seen]!.evidence.columnNameSignal = columnNameSignal;
        return;
      }
      const entity: ColumnEntity = {
        entityType: signal.entityType,
        fraction,
        evidence: {
          detectors: [`column-name+shape:${signal.entityType}`],
          matchedCells: cells,
          sampledCells: this.nonNull,
          threshold: this.opts.thresholdFraction,
          examples,
          columnNameSignal,
          ...(stopped ? { stoppedEarly: { errorBound: stopped } } : {}),
        },
      };
      if (seen >= 0) out[seen] = entity;
      else out.push(entity);
    });
    return out.sort((a, b) => b.fraction - a.fraction || a.entityType.localeCompare(b.entityType));
  }

  private detect(value: string): CellMatch[] {
    const byType = new Map<string, CellMatch>();
    for (const e of detectEntities(value, this.detectOpts)) {
      const seen = byType.get(e.entityType);
      if (seen) {
        if (!seen.detectors.includes(e.detector)) seen.detectors.push(e.detector);
      } else
        byType.set(e.entityType, {
          entityType: e.entityType,
          detectors: [e.detector],
          start: e.start,
          end: e.end,
        });
    }
    return [...byType.values()];
  }

  /** Each verdict result() makes, against the bar result() applies to it. */
  private verdictsSettled(rule: SettleRule): boolean {
    const { column, thresholdFraction } = this.opts;
    return (
      this.types.every((t) =>
        verdictSettled(
          this.tallies.get(t)?.matched ?? 0,
          this.nonNull,
          columnThreshold(t, column, thresholdFraction),
          rule,
        ),
      ) &&
      this.shaped.every(({ cells }) =>
        verdictSettled(cells, this.nonNull, Math.max(SHAPE_FRACTION, thresholdFraction), rule),
      )
    );
  }
}

/** Seed of the reading order when stopping early: the same column always reads the same cells. */
const ORDER_SEED = 42;

/**
 * Feeds cells to a classifier in a seeded random order (a lazy Fisher–Yates shuffle, which the
 * stopping rule's bound needs) until it is settled.
 */
export function feedInRandomOrder(
  classifier: ColumnClassifier,
  values: readonly (string | null | undefined)[],
): void {
  const order = Uint32Array.from(values.keys());
  const next = mulberry32(ORDER_SEED);
  for (let i = 0; i < order.length && !classifier.settled; i++) {
    const j = i + Math.floor(next() * (order.length - i));
    const pick = order[j]!;
    order[j] = order[i]!;
    classifier.add(values[pick]);
  }
}

/** classifyColumn over cells already sampled; in random order when stopping early. */
export function classifyColumn(
  values: readonly (string | null | undefined)[],
  opts: ClassifyOptions,
): ColumnEntity[] {
  const classifier = new ColumnClassifier(opts);
  if (opts.earlyStopErrorBound) feedInRandomOrder(classifier, values);
  else for (const v of values) classifier.add(v);
  return classifier.result();
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
  opts: ClassifyOptions & { columnTypes?: Readonly<Record<string, string>> },
): ColumnsClassification {
  validateThreshold(opts.thresholdFraction);
  const out: ColumnsClassification = {
    columns: {},
    failed: [],
    unsupportedEntityTypes: notDetectableLocally(opts.entityTypes),
  };
  for (const [column, values] of Object.entries(table)) {
    try {
      out.columns[column] = classifyColumn(values, {
        ...opts,
        column: { name: column, type: opts.columnTypes?.[column] },
      });
    } catch (err) {
      out.failed.push({ column, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

function validateThreshold(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`thresholdFraction must be within [0, 1], got ${t}`);
}
