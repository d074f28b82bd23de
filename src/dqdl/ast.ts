// The DQDL syntax tree shared by the parser (parse.ts), the printer (print.ts) and the evaluator.
// Shapes follow the reference grammar (awslabs/dqdl DataQualityDefinitionLanguage.g4); see
// ../shared/spec/aws-semantics.md §1. Every node the user wrote carries its source position.

export interface Position {
  /** 1-based line */
  line: number;
  /** 1-based column */
  column: number;
}

export interface Ruleset {
  metadata?: Record<string, string>;
  dataSources?: { primary?: string; additional?: string[] };
  /** `name = value` declarations, referenced as `$name` */
  variables: Record<string, VariableValue>;
  defaultLabels?: Record<string, string>;
  rules: RuleNode[];
  analyzers: Analyzer[];
}

export type VariableValue =
  | { kind: 'string'; value: string }
  | { kind: 'stringList'; values: StringOperand[] }
  | { kind: 'numberList'; values: NumberExpr[] };

export type RuleNode = Rule | CompositeRule;

export interface CompositeRule {
  kind: 'composite';
  op: 'and' | 'or';
  operands: RuleNode[];
  labels?: Record<string, string>;
  position: Position;
}

export interface Parameter {
  /** unquoted value (escapes resolved) */
  value: string;
  /** written as "quoted" rather than as a bare identifier */
  quoted: boolean;
  /** quoted only: the text between the quotes as written (escapes unresolved); the canonical print uses it */
  raw?: string;
  /** written as $name (value is then the variable name) */
  variable?: boolean;
  /** connector word written before the parameter: `Completeness of "col"` */
  connector?: 'of' | 'and';
}

export interface Rule {
  kind: 'rule';
  /** rule type exactly as in the catalogue, e.g. `IsComplete` */
  type: string;
  parameters: Parameter[];
  condition?: Condition;
  /** the Spark SQL predicate of `where "..."` (escapes resolved) */
  where?: string;
  /** the where predicate as written between the quotes; the canonical print uses it */
  whereRaw?: string;
  labels?: Record<string, string>;
  /** `with threshold <numberCondition>` */
  threshold?: NumberCondition;
  /** other `with key = value` tags (hashAlgorithm, timeZone, recentFiles, uriRegex, ignoreCase, …) */
  tags: Record<string, TagValue>;
  position: Position;
}

export type TagValue = { kind: 'string'; value: string } | { kind: 'number'; value: number };

export interface Analyzer {
  kind: 'analyzer';
  type: string;
  parameters: Parameter[];
  position: Position;
}

// ---- operands ---------------------------------------------------------------------------

export type NumberExpr =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: NumberExpr; right: NumberExpr }
  | { kind: 'call'; name: string; args: NumberExpr[] }
  | { kind: 'paren'; expr: NumberExpr }
  | { kind: 'null' };

export type StringOperand =
  /** `raw`: the text between the quotes as written (escapes unresolved) */
  | { kind: 'quoted'; value: string; raw?: string }
  | { kind: 'keyword'; value: 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY' }
  | { kind: 'variable'; name: string };

export type DateExpr =
  | { kind: 'date'; value: string }
  | { kind: 'time'; value: string }
  | { kind: 'now'; offset?: { sign: '+' | '-'; amount: number; unit: DurationUnit }; parenthesised: boolean }
  | { kind: 'null' };

export type DurationUnit = 'days' | 'hours' | 'minutes';
export interface Duration {
  amount: number;
  unit: DurationUnit;
  /** written with a leading minus */
  negative?: boolean;
}

export type SizeUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';
export interface Size {
  amount: number;
  /** `B` when the user wrote a bare number (`FileSize > 2` means 2 B) */
  unit: SizeUnit;
}

// ---- conditions -------------------------------------------------------------------------

export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** A condition over one operand type T, in any of the grammar's forms. */
export type ConditionOf<K extends string, T> =
  | { kind: K; op: ComparisonOp; operand: T }
  | { kind: K; op: 'between' | 'not between'; low: T; high: T }
  | { kind: K; op: 'in' | 'not in'; list: T[] | { variable: string } };

export type NumberCondition = ConditionOf<'number', NumberExpr>;
export type DateCondition = ConditionOf<'date', DateExpr>;
export type DurationCondition = ConditionOf<'duration', Duration>;
export type SizeCondition = ConditionOf<'size', Size>;

export type StringCondition =
  | { kind: 'string'; op: '=' | '!='; operand: StringOperand }
  | { kind: 'string'; op: 'in' | 'not in'; list: StringOperand[] | { variable: string } }
  | {
      kind: 'string';
      op: 'matches' | 'not matches';
      /** the regex; for `matches $name`, the variable's value (empty if undefined) */
      pattern: string;
      /** the regex as written between the quotes */
      raw?: string;
      /** written as `matches $name` */
      variable?: string;
    };

export type Condition = NumberCondition | StringCondition | DateCondition | DurationCondition | SizeCondition;
