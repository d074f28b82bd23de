// Canonical text of rules and analyzers, exactly as the reference parser's toString prints them
// (oracle: the `rules` field of ../shared/conformance/dqdl/syntax.jsonl). Result rows are keyed by this text.

import type {
  Analyzer,
  Condition,
  DateExpr,
  Duration,
  NumberExpr,
  Parameter,
  Rule,
  RuleNode,
  Size,
  StringCondition,
  StringOperand,
  TagValue,
} from './ast';

export function printRule(rule: RuleNode): string {
  if (rule.kind === 'composite') {
    // Composite labels are not part of the canonical text; nested rules keep theirs.
    return rule.operands.map((o) => `(${printRule(o)})`).join(rule.op === 'and' ? ' AND ' : ' OR ');
  }
  return printSimpleRule(rule);
}

export function printAnalyzer(analyzer: Analyzer): string {
  return [analyzer.type, ...analyzer.parameters.map(printParameter)].join(' ');
}

function printSimpleRule(rule: Rule): string {
  const parts = [rule.type, ...rule.parameters.map(printParameter)];
  if (rule.condition) parts.push(printCondition(rule.condition));
  if (rule.where !== undefined) parts.push(`where ${quote(rule.whereRaw, rule.where)}`);
  // Grammar order (where, labels, with …) so the canonical text parses back to the same rule.
  if (rule.labels) parts.push(printLabels(rule.labels));
  if (rule.threshold) parts.push(`with threshold ${printCondition(rule.threshold)}`);
  for (const [key, value] of javaHashMapOrder(Object.entries(rule.tags))) {
    parts.push(`with ${key} = ${printTagValue(value)}`);
  }
  return parts.join(' ');
}

function printParameter(p: Parameter): string {
  const text = p.variable ? `$${p.value}` : p.quoted ? quote(p.raw, p.value) : p.value;
  return p.connector ? `${p.connector} ${text}` : text;
}

/** Quoted text as the user wrote it when known, else the value with `"` and `\` escaped. */
function quote(raw: string | undefined, value: string): string {
  return `"${raw ?? value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function printLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels).map(([k, v]) => `${quote(undefined, k)}=${quote(undefined, v)}`);
  return `labels=[${entries.join(', ')}]`;
}

function printTagValue(v: TagValue): string {
  return v.kind === 'string' ? quote(undefined, v.value) : String(v.value);
}

export function printCondition(c: Condition): string {
  switch (c.kind) {
    case 'number':
      return printOrdered(c, printNumberExpr);
    case 'date':
      return printOrdered(c, printDateExpr);
    case 'duration':
      return printOrdered(c, printDuration);
    case 'size':
      return printOrdered(c, printSize);
    case 'string':
      return printStringCondition(c);
  }
}

function printStringCondition(c: StringCondition): string {
  switch (c.op) {
    case 'matches':
    case 'not matches':
      return `${c.op} ${c.variable !== undefined ? `$${c.variable}` : quote(c.raw, c.pattern)}`;
    case 'in':
    case 'not in':
      // The reference prints list items with escapes resolved (unlike `=` operands).
      return `${c.op} ${
        Array.isArray(c.list)
          ? `[${c.list.map((o) => printStringOperand(o, false)).join(',')}]`
          : `$${c.list.variable}`
      }`;
    default:
      return `${c.op} ${printStringOperand(c.operand, true)}`;
  }
}

type Ordered<T> =
  | { op: '=' | '!=' | '>' | '>=' | '<' | '<='; operand: T }
  | { op: 'between' | 'not between'; low: T; high: T }
  | { op: 'in' | 'not in'; list: T[] | { variable: string } };

function printOrdered<T>(c: Ordered<T>, item: (t: T) => string): string {
  switch (c.op) {
    case 'between':
    case 'not between':
      return `${c.op} ${item(c.low)} and ${item(c.high)}`;
    case 'in':
    case 'not in':
      return `${c.op} ${Array.isArray(c.list) ? `[${c.list.map(item).join(',')}]` : `$${c.list.variable}`}`;
    default:
      return `${c.op} ${item(c.operand)}`;
  }
}

export function printNumberExpr(e: NumberExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'binary':
      return `${printNumberExpr(e.left)} ${e.op} ${printNumberExpr(e.right)}`;
    case 'call':
      return `${e.name}(${e.args.map(printNumberExpr).join(',')})`;
    case 'paren':
      return `(${printNumberExpr(e.expr)})`;
    case 'null':
      return 'NULL';
  }
}

function printDateExpr(d: DateExpr): string {
  switch (d.kind) {
    case 'date':
    case 'time':
      return `"${d.value}"`;
    case 'now':
      return d.offset ? `(now() ${d.offset.sign} ${d.offset.amount} ${d.offset.unit})` : 'now()';
    case 'null':
      return 'NULL';
  }
}

function printDuration(d: Duration): string {
  return `${d.negative ? '-' : ''}${d.amount} ${d.unit}`;
}

function printSize(s: Size): string {
  return `${s.amount} ${s.unit}`;
}

function printStringOperand(o: StringOperand, asWritten: boolean): string {
  switch (o.kind) {
    case 'quoted':
      return asWritten ? quote(o.raw, o.value) : `"${o.value}"`;
    case 'keyword':
      return o.value;
    case 'variable':
      return `$${o.name}`;
  }
}

/** Iteration order of a java.util.HashMap holding these keys: the reference keeps rule tags in one. */
function javaHashMapOrder<V>(entries: Array<[string, V]>): Array<[string, V]> {
  let buckets = 16;
  while (entries.length > buckets * 0.75) buckets *= 2;
  const bucketOf = (key: string) => {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (buckets - 1);
  };
  // Array.prototype.sort is stable, so keys sharing a bucket keep insertion order as in the HashMap's chain.
  return entries
    .map((e) => [bucketOf(e[0]), e] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => e);
}
