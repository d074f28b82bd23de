// The DQDL rule-type catalogue as data (aws-semantics.md §1.2). It drives parser validation
// (name + parameter count, condition kind, where/threshold support, analyzer use) and the evaluator.

/** What a rule type's metric is compared against; decides which condition grammar applies. */
export type ReturnType =
  | 'NUMBER'
  | 'BOOLEAN'
  | 'STRING'
  | 'STRING_ARRAY'
  | 'NUMBER_ARRAY'
  | 'DATE_ARRAY'
  | 'DURATION_ARRAY'
  | 'DATE'
  | 'SIZE';

/** One accepted parameter-count range of a rule type; FileMatch and DatasetMatch have several. */
export interface Overload {
  minParams: number;
  /** `Infinity` for variadic types (Uniqueness, IsUnique, IsPrimaryKey, DetectAnomalies) */
  maxParams: number;
  /** parameter meanings, for messages and the evaluator; the last repeats for variadic types */
  parameters: readonly string[];
  /** several entries: the rule accepts a condition of any of these kinds (ColumnValues, CustomSql) */
  returns: readonly ReturnType[];
}

export interface RuleTypeSpec {
  name: string;
  overloads: readonly Overload[];
  whereSupported: boolean;
  thresholdSupported: boolean;
  /** usable in `Rules = [...]` (AllStatistics is analyzer-only) */
  ruleSupported: boolean;
  /** usable in `Analyzers = [...]`: every type whose metric is not a bare pass/fail */
  analyzerSupported: boolean;
  /** evaluated over the whole dataset even under row-level composite evaluation (§1.4) */
  excludedAtRowLevelInComposites: boolean;
  experimental: boolean;
}

interface Entry {
  overloads: Overload[];
  where?: boolean;
  threshold?: boolean;
  ruleOnly?: boolean;
  analyzerOnly?: boolean;
  rowLevelExcluded?: boolean;
  experimental?: boolean;
}

const ov = (
  params: readonly string[],
  returns: ReturnType | readonly ReturnType[],
  variadic = false,
): Overload => ({
  minParams: params.length,
  maxParams: variadic ? Number.POSITIVE_INFINITY : params.length,
  parameters: params,
  returns: typeof returns === 'string' ? [returns] : returns,
});

const COL = ['column'];
const numberOfColumn: Entry = { overloads: [ov(COL, 'NUMBER')], where: true };

const ENTRIES: Record<string, Entry> = {
  RowCount: { overloads: [ov([], 'NUMBER')], where: true },
  RowCountMatch: { overloads: [ov(['referenceAlias'], 'NUMBER')] },
  ColumnCount: { overloads: [ov([], 'NUMBER')] },
  Completeness: { overloads: [ov(COL, 'NUMBER')], where: true, rowLevelExcluded: true },
  IsComplete: { overloads: [ov(COL, 'BOOLEAN')], where: true },
  ColumnDataType: { overloads: [ov(COL, 'STRING')], where: true, threshold: true },
  ColumnNamesMatchPattern: { overloads: [ov(['pattern'], 'BOOLEAN')] },
  ColumnExists: { overloads: [ov(COL, 'BOOLEAN')] },
  ColumnCorrelation: { overloads: [ov(['column1', 'column2'], 'NUMBER')], where: true },
  Uniqueness: { overloads: [ov(COL, 'NUMBER', true)], where: true, rowLevelExcluded: true },
  IsUnique: { overloads: [ov(COL, 'BOOLEAN', true)], where: true },
  IsPrimaryKey: { overloads: [ov(COL, 'BOOLEAN', true)], where: true },
  Mean: numberOfColumn,
  Sum: numberOfColumn,
  StandardDeviation: numberOfColumn,
  Variance: numberOfColumn,
  Entropy: numberOfColumn,
  DistinctValuesCount: numberOfColumn,
  UniqueValueRatio: numberOfColumn,
  ColumnLength: numberOfColumn,
  ColumnValues: {
    overloads: [ov(COL, ['STRING_ARRAY', 'NUMBER_ARRAY', 'DATE_ARRAY'])],
    where: true,
    threshold: true,
  },
  DataFreshness: { overloads: [ov(COL, 'DURATION_ARRAY')], where: true },
  CustomSql: { overloads: [ov(['sql'], ['NUMBER', 'BOOLEAN'])], threshold: true },
  ReferentialIntegrity: {
    overloads: [ov(['primaryColumns', 'referenceColumns'], 'NUMBER')],
    rowLevelExcluded: true,
  },
  DatasetMatch: {
    overloads: [
      ov(['referenceAlias', 'keyMap'], 'NUMBER'),
      ov(['referenceAlias', 'keyMap', 'matchMap'], 'NUMBER'),
    ],
    rowLevelExcluded: true,
  },
  SchemaMatch: { overloads: [ov(['referenceAlias'], 'NUMBER')] },
  AggregateMatch: { overloads: [ov(['aggregate1', 'aggregate2'], 'NUMBER')] },
  DetectAnomalies: { overloads: [ov(['metric'], 'BOOLEAN', true)] },
  AllStatistics: { overloads: [ov(COL, 'NUMBER')], analyzerOnly: true },
  FileMatch: {
    overloads: [ov([], 'STRING'), ov(['path'], 'STRING'), ov(['path1', 'path2'], 'BOOLEAN')],
    experimental: true,
  },
  FileUniqueness: { overloads: [ov([], 'NUMBER'), ov(['path'], 'NUMBER')], experimental: true },
  FileFreshness: { overloads: [ov([], 'DATE'), ov(['path'], 'DATE')], threshold: true, experimental: true },
  FileSize: { overloads: [ov([], 'SIZE'), ov(['path'], 'SIZE')], threshold: true, experimental: true },
};

const CATALOG: ReadonlyMap<string, RuleTypeSpec> = new Map(
  Object.entries(ENTRIES).map(([name, e]) => [
    name,
    {
      name,
      overloads: e.overloads,
      whereSupported: e.where ?? false,
      thresholdSupported: e.threshold ?? false,
      ruleSupported: !e.analyzerOnly,
      analyzerSupported: !e.ruleOnly && e.overloads.some((o) => !o.returns.every((r) => r === 'BOOLEAN')),
      excludedAtRowLevelInComposites: e.rowLevelExcluded ?? false,
      experimental: e.experimental ?? false,
    },
  ]),
);

/** The catalogue entry for a rule type name (case-sensitive, as in the reference), if any. */
export function ruleTypeSpec(name: string): RuleTypeSpec | undefined {
  return CATALOG.get(name);
}

/** The overload a rule type takes with `paramCount` parameters, if any. */
export function resolveOverload(spec: RuleTypeSpec, paramCount: number): Overload | undefined {
  return spec.overloads.find((o) => paramCount >= o.minParams && paramCount <= o.maxParams);
}

/** The catalogue name closest to a misspelt one (case slip or up to 2 edits), for "did you mean". */
export function suggestRuleType(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of CATALOG.keys()) {
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    const d = editDistance(candidate.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
