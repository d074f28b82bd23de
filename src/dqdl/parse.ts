// Hand-written recursive-descent parser for DQDL documents (aws-semantics.md §1).
// Syntax errors stop the parse (one precise message beats a cascade); validation errors
// (unknown rule type, where/threshold unsupported, labels, variables, …) are collected and parsing goes on.

import type {
  Analyzer,
  ComparisonOp,
  Condition,
  DateCondition,
  DateExpr,
  Duration,
  DurationCondition,
  DurationUnit,
  NumberCondition,
  NumberExpr,
  Parameter,
  Position,
  Rule,
  RuleNode,
  Ruleset,
  Size,
  SizeCondition,
  SizeUnit,
  StringCondition,
  StringOperand,
  TagValue,
  VariableValue,
} from './ast';
import { type Overload, type ReturnType, resolveOverload, ruleTypeSpec, suggestRuleType } from './catalog';
import { describeToken, type Token, tokenize } from './lexer';

export interface DqdlError {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  message: string;
}

export type ParseResult =
  | { ok: true; ruleset: Ruleset; warnings: DqdlError[] }
  | { ok: false; errors: DqdlError[] };

export const MAX_LABELS = 10;
export const MAX_LABEL_KEY_LENGTH = 128;
export const MAX_LABEL_VALUE_LENGTH = 256;

class SyntaxFailure extends Error {
  constructor(
    readonly token: Token,
    message: string,
  ) {
    super(message);
  }
}

/** Case variants the reference lexer accepts for its case-insensitive keywords. */
const caseKeyword = (w: string) => new Set([w, w.toLowerCase()]);
const AND = caseKeyword('AND');
const OR = caseKeyword('OR');
const OF = caseKeyword('OF');
const STRING_KEYWORDS: ReadonlyMap<string, 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY'> = new Map([
  ['NULL', 'NULL'],
  ['null', 'NULL'],
  ['EMPTY', 'EMPTY'],
  ['empty', 'EMPTY'],
  ['WHITESPACES_ONLY', 'WHITESPACES_ONLY'],
  ['whitespaces_only', 'WHITESPACES_ONLY'],
]);
/** Words that end a rule's parameter list, so they can never be bare parameters. */
const RESERVED = new Set([
  ...AND,
  ...OR,
  ...OF,
  ...STRING_KEYWORDS.keys(),
  'between',
  'not',
  'in',
  'matches',
  'with',
  'where',
  'labels',
  'now',
]);
const SECTION_WORDS = new Set(['Metadata', 'DataSources', 'DefaultLabels', 'Rules', 'Analyzers']);
const COMPARISON_OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const DURATION_UNITS: ReadonlySet<string> = new Set(['days', 'hours', 'minutes']);
const SIZE_UNITS: ReadonlySet<string> = new Set(['B', 'KB', 'MB', 'GB', 'TB']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^(?:(?:0?[1-9]|1[0-2]):[0-5]\d (?:AM|PM)|(?:[01]?\d|2[0-3]):[0-5]\d)$/;

type ConditionOp = ComparisonOp | 'between' | 'not between' | 'in' | 'not in' | 'matches' | 'not matches';
type ConditionKind = Condition['kind'];

const RETURN_TYPE_WORDS: Record<ReturnType, string> = {
  NUMBER: 'number',
  BOOLEAN: 'boolean',
  STRING: 'string',
  STRING_ARRAY: 'string',
  NUMBER_ARRAY: 'number',
  DATE_ARRAY: 'date',
  DURATION_ARRAY: 'duration',
  DATE: 'date',
  SIZE: 'size',
};

const CONDITION_EXAMPLES: Record<ReturnType, string> = {
  NUMBER: '> 0.9',
  BOOLEAN: '',
  STRING: '= "INTEGER"',
  STRING_ARRAY: 'in ["a","b"]',
  NUMBER_ARRAY: 'between 1 and 10',
  DATE_ARRAY: '> (now() - 1 days)',
  DURATION_ARRAY: '<= 3 days',
  DATE: '> (now() - 24 hours)',
  SIZE: '< 5 GB',
};

/** Type-specific examples where the return type's generic one would mislead. */
const TYPE_EXAMPLES: Record<string, string> = {
  FileMatch: 'in ["<sha-256 hash>"]',
  ColumnValues: 'in ["a","b"] or > 0',
  DataFreshness: '<= 24 hours',
};

const conditionExample = (type: string, r: ReturnType) => TYPE_EXAMPLES[type] ?? CONDITION_EXAMPLES[r];

/** Parses a DQDL document into a syntax tree, or reports every problem found with its position. */
export function parseDqdl(text: string): ParseResult {
  return new Parser(text).parseDocument();
}

interface VariableInfo {
  value: VariableValue;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly errors: DqdlError[] = [];
  private readonly warnings: DqdlError[] = [];
  private readonly variables = new Map<string, VariableInfo>();
  private defaultLabels: Record<string, string> = {};
  /** error count when the current rule began: a syntax error drops that rule's follow-on complaints */
  private ruleErrorMark: number | undefined;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token cursor ----------------------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private advance(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.text === text;
  }

  private isWord(words: string | ReadonlySet<string>, ahead = 0): boolean {
    const t = this.peek(ahead);
    if (t.kind !== 'word') return false;
    return typeof words === 'string' ? t.text === words : words.has(t.text);
  }

  private fail(expected: string, tok: Token = this.peek()): never {
    if (tok.kind === 'error') {
      throw new SyntaxFailure(
        tok,
        tok.text === 'unterminated string'
          ? 'Unterminated string: missing closing "'
          : `Unexpected character '${tok.text}'`,
      );
    }
    throw new SyntaxFailure(tok, `Unexpected ${describeToken(tok)}; expected ${expected}`);
  }

  private expectOp(text: string, expected = `'${text}'`): Token {
    if (!this.isOp(text)) this.fail(expected);
    return this.advance();
  }

  private expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail(`'${word}'`);
    return this.advance();
  }

  private expectString(expected = 'a quoted string'): Token {
    if (this.peek().kind !== 'string') this.fail(expected);
    return this.advance();
  }

  private error(at: Token | Position, message: string): void {
    this.errors.push({ line: at.line, column: at.column, message });
  }

  private static position(tok: Token): Position {
    return { line: tok.line, column: tok.column };
  }

  /** Tries alternatives in order, backtracking; on total failure rethrows the one that got furthest. */
  private attempt<T>(alternatives: Array<() => T | undefined>): T {
    const start = this.pos;
    const errorCount = this.errors.length;
    let furthest: SyntaxFailure | undefined;
    for (const alt of alternatives) {
      try {
        const result = alt();
        if (result !== undefined) return result;
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        // ties go to the later, more specific alternative (string after number/date)
        if (!furthest || e.token.offset >= furthest.token.offset) furthest = e;
      }
      this.pos = start;
      this.errors.length = errorCount;
    }
    throw furthest ?? new SyntaxFailure(this.peek(), 'Invalid condition');
  }

  // ---- document --------------------------------------------------------------------------

  parseDocument(): ParseResult {
    const ruleset: Ruleset = { variables: {}, rules: [], analyzers: [] };
    try {
      this.parseSections(ruleset);
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      if (this.ruleErrorMark !== undefined) this.errors.length = this.ruleErrorMark;
      this.errors.unshift({ line: e.token.line, column: e.token.column, message: e.message });
    }
    if (this.errors.length > 0) {
      const seen = new Set<string>();
      const errors = this.errors
        .filter((err) => {
          const key = `${err.line}:${err.column}:${err.message}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .sort((a, b) => a.line - b.line || a.column - b.column);
      return { ok: false, errors };
    }
    return { ok: true, ruleset, warnings: this.warnings };
  }

  private parseSections(ruleset: Ruleset): void {
    // Sections must come in the reference grammar's order: Metadata, DataSources, variables, DefaultLabels, Rules/Analyzers.
    const order = ['Metadata', 'DataSources', 'variables', 'DefaultLabels'];
    let stage = -1;
    const enter = (section: string, tok: Token) => {
      const idx = order.indexOf(section);
      if (idx < stage || (idx === stage && section !== 'variables')) {
        const what = section === 'variables' ? 'Variable declarations' : `The ${section} section`;
        throw new SyntaxFailure(
          tok,
          idx === stage
            ? `${what} appears twice`
            : `${what} must come before ${order[stage] === 'variables' ? 'variable declarations' : order[stage]}`,
        );
      }
      stage = idx;
    };

    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'eof') {
        this.error(tok, 'No rules or analyzers provided: add a Rules = [ ... ] section');
        return;
      }
      if (tok.kind === 'word' && this.isOp('=', 1)) {
        switch (tok.text) {
          case 'Metadata':
            enter('Metadata', tok);
            ruleset.metadata = this.parseMetadata();
            continue;
          case 'DataSources':
            enter('DataSources', tok);
            ruleset.dataSources = this.parseDataSources();
            continue;
          case 'DefaultLabels': {
            enter('DefaultLabels', tok);
            this.advance();
            this.advance();
            const labels = this.parseLabelList(tok);
            if (labels) {
              this.defaultLabels = labels;
              ruleset.defaultLabels = labels;
            }
            continue;
          }
          case 'Rules':
          case 'Analyzers':
            this.checkTrailing(this.parseRulesAndAnalyzers(ruleset));
            return;
          default:
            enter('variables', tok);
            this.parseVariableOrMisspeltSection(ruleset);
            continue;
        }
      }
      if (tok.kind === 'word') this.fail(`'=' after '${tok.text}'`, this.peek(1));
      this.fail('a section such as Rules = [ ... ]');
    }
  }

  private checkTrailing(hadRules: boolean): void {
    const tok = this.peek();
    if (tok.kind === 'eof') return;
    // A misplaced section or declaration would silently lose its content, so it is an error; anything
    // else (a stray bracket) is ignored as the reference parser ignores it, with a warning.
    if (tok.kind === 'word' && this.isOp('=', 1)) {
      let message: string;
      if (tok.text === 'Rules') {
        message = hadRules
          ? 'The Rules section appears twice'
          : 'The Rules section must come before Analyzers';
      } else if (tok.text === 'Analyzers') message = 'The Analyzers section appears twice';
      else if (SECTION_WORDS.has(tok.text))
        message = `The ${tok.text} section must come before Rules and Analyzers`;
      else message = `Variable declarations must come before Rules and Analyzers ('${tok.text}')`;
      this.error(tok, message);
      return;
    }
    this.warnings.push({
      line: tok.line,
      column: tok.column,
      message: `Ignored text after the last section, starting at ${describeToken(tok)}`,
    });
  }

  private parseMetadata(): Record<string, string> {
    const tok = this.advance();
    this.advance();
    const entries = this.parseDictionary(tok, 'Metadata');
    const out: Record<string, string> = {};
    for (const [key, keyTok, value] of entries) {
      if (key !== 'Version') {
        this.error(
          keyTok,
          `Unsupported key provided in Metadata section: "${key}" (only "Version" is allowed)`,
        );
      } else if (typeof value !== 'string') {
        this.error(keyTok, 'Metadata "Version" must be a quoted string');
      } else out[key] = value;
    }
    return out;
  }

  private parseDataSources(): { primary?: string; additional?: string[] } {
    const tok = this.advance();
    this.advance();
    const entries = this.parseDictionary(tok, 'DataSources');
    const out: { primary?: string; additional?: string[] } = {};
    for (const [key, keyTok, value] of entries) {
      if (key === 'Primary' && typeof value === 'string') out.primary = value;
      else if (key === 'AdditionalDataSources' && Array.isArray(value)) out.additional = value;
      else if (key === 'Primary' || key === 'AdditionalDataSources') {
        this.error(
          keyTok,
          `DataSources "${key}" must be ${key === 'Primary' ? 'a quoted string' : 'a list of quoted strings'}`,
        );
      } else {
        this.error(
          keyTok,
          `Unsupported key provided in Sources section: "${key}" (allowed: "Primary", "AdditionalDataSources")`,
        );
      }
    }
    return out;
  }

  /** `{ "key": "value" | ["v", …], … }` */
  private parseDictionary(sectionTok: Token, section: string): Array<[string, Token, string | string[]]> {
    this.expectOp('{');
    if (this.isOp('}')) {
      this.error(sectionTok, `Empty dictionary provided for ${section}`);
      this.advance();
      return [];
    }
    const entries: Array<[string, Token, string | string[]]> = [];
    for (;;) {
      const keyTok = this.expectString('a quoted key');
      this.expectOp(':');
      let value: string | string[];
      if (this.isOp('[')) {
        this.advance();
        value = [];
        if (!this.isOp(']')) {
          for (;;) {
            value.push(this.expectString().value!);
            if (!this.isOp(',')) break;
            this.advance();
          }
        }
        this.expectOp(']', "',' or ']'");
      } else value = this.expectString('a quoted value').value!;
      entries.push([keyTok.value!, keyTok, value]);
      if (!this.isOp(',')) break;
      this.advance();
    }
    this.expectOp('}', "',' or '}'");
    return entries;
  }

  /** `rules = [ … ]` is grammatically a variable; when it fails as one, say what was probably meant. */
  private parseVariableOrMisspeltSection(ruleset: Ruleset): void {
    const nameTok = this.peek();
    try {
      this.parseVariable(ruleset);
    } catch (e) {
      const section = [...SECTION_WORDS].find((w) => w.toLowerCase() === nameTok.text.toLowerCase());
      if (!(e instanceof SyntaxFailure) || !section) throw e;
      throw new SyntaxFailure(
        nameTok,
        `Unknown section '${nameTok.text}': section names are case-sensitive, write ${section}`,
      );
    }
  }

  private parseVariable(ruleset: Ruleset): void {
    const nameTok = this.advance();
    this.advance(); // '='
    const name = nameTok.text;
    let value: VariableValue;
    if (this.isOp('[')) {
      this.advance();
      const values: StringOperand[] = [];
      if (!this.isOp(']')) {
        for (;;) {
          values.push(this.parseVariableListItem(name));
          if (!this.isOp(',')) break;
          this.advance();
        }
      }
      this.expectOp(']', "',' or ']'");
      value = { kind: 'stringList', values };
    } else if (this.peek().kind === 'string') {
      const tok = this.advance();
      value = { kind: 'string', value: tok.value! };
      if (/\$[a-zA-Z0-9_.]/.test(tok.value!)) {
        this.error(tok, `Nested variables are not supported in variable '${name}'`);
      }
    } else {
      const tok = this.peek();
      if (tok.kind === 'int' || tok.kind === 'decimal' || this.isOp('-')) {
        throw new SyntaxFailure(
          tok,
          `Failed to parse variable '${name}': only quoted strings and lists of strings are supported, not numbers`,
        );
      }
      if (this.isOp('$'))
        throw new SyntaxFailure(tok, `Nested variables are not supported in variable '${name}'`);
      this.fail(`a quoted string or a [list] as the value of variable '${name}'`);
    }
    if (name.startsWith('.') || name.startsWith('_')) {
      this.error(nameTok, `Variable name '${name}' cannot start with '.' or '_'`);
    } else if (this.variables.has(name)) {
      this.error(nameTok, `Variable '${name}' is already defined`);
    } else {
      this.variables.set(name, { value });
      ruleset.variables[name] = value;
    }
  }

  private parseVariableListItem(name: string): StringOperand {
    const tok = this.peek();
    if (tok.kind === 'string') {
      this.advance();
      return { kind: 'quoted', value: tok.value!, raw: tok.text };
    }
    const keyword = tok.kind === 'word' ? STRING_KEYWORDS.get(tok.text) : undefined;
    if (keyword) {
      this.advance();
      return { kind: 'keyword', value: keyword };
    }
    if (tok.kind === 'int' || tok.kind === 'decimal' || this.isOp('-')) {
      throw new SyntaxFailure(
        tok,
        `Failed to parse variable '${name}': list items must be quoted strings, not numbers`,
      );
    }
    this.fail('a quoted string, NULL, EMPTY or WHITESPACES_ONLY');
  }

  /** Returns whether a Rules section was present. */
  private parseRulesAndAnalyzers(ruleset: Ruleset): boolean {
    let rulesTok: Token | undefined;
    if (this.isWord('Rules')) {
      rulesTok = this.advance();
      this.advance();
      this.expectOp('[', "'[' to open the rule list");
      if (!this.isOp(']')) {
        for (;;) {
          this.ruleErrorMark = this.errors.length;
          ruleset.rules.push(this.parseTopLevelRule());
          if (!this.isOp(',')) break;
          this.advance();
        }
      }
      this.expectOp(']', "',' or ']' after a rule");
      this.ruleErrorMark = undefined;
    }
    let analyzersTok: Token | undefined;
    if (this.isWord('Analyzers') && this.isOp('=', 1)) {
      analyzersTok = this.advance();
      this.advance();
      this.expectOp('[', "'[' to open the analyzer list");
      if (!this.isOp(']')) {
        for (;;) {
          this.ruleErrorMark = this.errors.length;
          ruleset.analyzers.push(this.parseAnalyzer());
          if (!this.isOp(',')) break;
          this.advance();
        }
      }
      this.expectOp(']', "',' or ']' after an analyzer");
      this.ruleErrorMark = undefined;
    }
    if (ruleset.rules.length === 0 && ruleset.analyzers.length === 0) {
      this.error(rulesTok ?? analyzersTok!, 'No rules or analyzers provided: the list is empty');
    }
    return rulesTok !== undefined;
  }

  // ---- rules -----------------------------------------------------------------------------

  /** Composite rules: AND binds tighter than OR; a same-operator chain is one n-ary composite. */
  private parseTopLevelRule(): RuleNode {
    return this.parseComposite('or');
  }

  private parseComposite(op: 'and' | 'or'): RuleNode {
    const start = this.peek();
    const parseOperand = () => (op === 'or' ? this.parseComposite('and') : this.parseRuleOperand());
    const first = parseOperand();
    const words = op === 'and' ? AND : OR;
    if (!this.isWord(words)) return first;
    const operands: RuleNode[] = [first];
    while (this.isWord(words)) {
      this.advance();
      operands.push(parseOperand());
    }
    return { kind: 'composite', op, operands, position: Parser.position(start) };
  }

  private parseRuleOperand(): RuleNode {
    if (!this.isOp('(')) return this.parseRule();
    const open = this.advance();
    const inner = this.parseTopLevelRule();
    this.expectOp(')', "')' to close the parenthesised rule, or AND / OR");
    if (this.isWord('labels')) {
      const labels = this.parseRuleLabels();
      if (labels) inner.labels = inner.kind === 'rule' ? { ...labels, ...inner.labels } : labels;
    }
    if (inner.kind === 'composite') inner.position = Parser.position(open);
    return inner;
  }

  private parseRule(): Rule {
    const typeTok = this.peek();
    if (typeTok.kind !== 'word' || RESERVED.has(typeTok.text)) this.fail('a rule type such as IsComplete');
    this.advance();
    const type = typeTok.text;
    const parameters = this.parseParameters();
    const rule: Rule = { kind: 'rule', type, parameters, tags: {}, position: Parser.position(typeTok) };
    const overload = this.resolveType(typeTok, parameters, 'rule');
    const returns = overload?.returns;

    if (this.startsCondition()) {
      const condTok = this.peek();
      if (returns?.every((r) => r === 'BOOLEAN')) {
        this.error(
          condTok,
          `Unexpected condition for rule of type ${type} with boolean return type: ${type} takes no condition`,
        );
      }
      rule.condition = this.parseCondition(
        returns && !returns.every((r) => r === 'BOOLEAN') ? returns : undefined,
      );
    } else if (returns && !returns.includes('BOOLEAN')) {
      const first = returns[0]!;
      if (!this.atRuleEnd()) this.fail(`a condition such as ${conditionExample(type, first)}`);
      this.error(
        this.peek(),
        `Unexpected condition for rule of type ${type} with ${RETURN_TYPE_WORDS[first]} return type: ${type} needs a condition such as ${type} … ${conditionExample(type, first)}`,
      );
    }

    if (this.isWord('where')) {
      const whereTok = this.advance();
      const predicate = this.expectString('a quoted predicate after where');
      rule.where = predicate.value!;
      rule.whereRaw = predicate.text;
      const spec = ruleTypeSpec(type);
      if (spec && !spec.whereSupported) {
        this.error(whereTok, `Where clause is not supported for rule type: ${type}`);
      } else if (predicate.value!.trim() === '') {
        this.error(predicate, `Empty where condition provided for rule type: ${type}`);
      }
    }
    if (this.isWord('labels')) {
      const labels = this.parseRuleLabels();
      if (labels) rule.labels = labels;
    }
    while (this.isWord('with')) this.parseTag(rule);
    return rule;
  }

  /** Whether the next token can follow a rule's parameters when it has no condition. */
  private atRuleEnd(): boolean {
    const t = this.peek();
    if (t.kind === 'eof') return true;
    if (t.kind === 'op') return t.text === ',' || t.text === ']' || t.text === ')';
    return (
      this.isWord('where') ||
      this.isWord('labels') ||
      this.isWord('with') ||
      this.isWord(AND) ||
      this.isWord(OR)
    );
  }

  private parseParameters(): Parameter[] {
    const params: Parameter[] = [];
    for (;;) {
      let connector: 'of' | 'and' | undefined;
      let offset = 0;
      if (this.isWord(OF)) {
        connector = 'of';
        offset = 1;
      } else if (this.isWord(AND)) {
        // `and` joins parameters only when a parameter follows that is not the next rule of a composite
        const next = this.peek(1);
        const startsRule = next.kind === 'word' && ruleTypeSpec(next.text) !== undefined;
        if (startsRule || !this.startsParameter(1)) return params;
        connector = 'and';
        offset = 1;
      }
      if (!this.startsParameter(offset)) {
        if (connector) this.fail(`a parameter after '${this.peek().text}'`, this.peek(1));
        return params;
      }
      if (connector) this.advance();
      const param = this.parseParameter();
      if (connector) param.connector = connector;
      params.push(param);
    }
  }

  private startsParameter(ahead: number): boolean {
    const t = this.peek(ahead);
    if (t.kind === 'string') return true;
    if (t.kind === 'word') return !RESERVED.has(t.text);
    return t.kind === 'op' && t.text === '$' && this.peek(ahead + 1).kind === 'word';
  }

  private parseParameter(): Parameter {
    const tok = this.advance();
    if (tok.kind === 'string') return { value: tok.value!, quoted: true, raw: tok.text };
    if (tok.kind === 'op') {
      const nameTok = this.advance();
      this.checkVariable(nameTok, 'string');
      return { value: nameTok.text, quoted: false, variable: true };
    }
    return { value: tok.text, quoted: false };
  }

  /** Validates the rule type against the catalogue; the overload decides the condition grammar. */
  private resolveType(
    typeTok: Token,
    parameters: Parameter[],
    where: 'rule' | 'analyzer',
  ): Overload | undefined {
    const type = typeTok.text;
    const label = where === 'rule' ? 'Rule Type' : 'Analyzer Type';
    const spec = ruleTypeSpec(type);
    if (!spec) {
      const suggestion = suggestRuleType(type);
      this.error(
        typeTok,
        `${label}: ${type} is not valid: unknown ${where} type${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
      return undefined;
    }
    if (where === 'rule' && !spec.ruleSupported) {
      this.error(
        typeTok,
        `Analyzer Type: ${type} is not supported in rules section: use it under Analyzers = [ ... ]`,
      );
      return undefined;
    }
    const overload = resolveOverload(spec, parameters.length);
    if (!overload) {
      const counts = spec.overloads.map((o) =>
        o.maxParams === Number.POSITIVE_INFINITY ? `${o.minParams} or more` : String(o.minParams),
      );
      this.error(
        typeTok,
        `${label}: ${type} is not valid with ${parameters.length} parameter${parameters.length === 1 ? '' : 's'} (takes ${counts.join(' or ')})`,
      );
      return undefined;
    }
    if (where === 'analyzer' && overload.returns.every((r) => r === 'BOOLEAN')) {
      this.error(
        typeTok,
        `Analyzer Type: ${type} is not supported: it is a pass/fail rule with no metric to analyze`,
      );
    }
    return overload;
  }

  private checkVariable(nameTok: Token, kind: 'string' | 'stringList'): VariableInfo | undefined {
    const info = this.variables.get(nameTok.text);
    if (!info) {
      this.error(nameTok, `Variable not found: ${nameTok.text}`);
      return undefined;
    }
    if (info.value.kind !== kind) {
      const expected = kind === 'string' ? 'STRING' : 'STRING_ARRAY';
      const got = info.value.kind === 'string' ? 'STRING' : 'STRING_ARRAY';
      this.error(
        nameTok,
        `Invalid variable type for '${nameTok.text}': expected ${expected}, but got ${got}`,
      );
    }
    return info;
  }

  private parseTag(rule: Rule): void {
    const withTok = this.advance();
    const keyTok = this.peek();
    if (keyTok.kind !== 'word') this.fail('a tag name after with, such as threshold');
    this.advance();
    if (keyTok.text === 'threshold') {
      if (!this.startsCondition()) this.fail('a number condition after with threshold, such as > 0.9');
      const threshold = this.parseNumberCondition();
      const spec = ruleTypeSpec(rule.type);
      if (rule.threshold) this.error(withTok, 'Only one threshold condition at a time is supported.');
      else if (spec && !spec.thresholdSupported) {
        this.error(withTok, `Threshold condition not supported for rule type: ${rule.type}`);
      }
      rule.threshold = threshold;
      return;
    }
    const opTok = this.peek();
    if (!this.isOp('=')) {
      if (this.startsCondition()) {
        this.error(
          opTok,
          `String tags only support the equality operator: write with ${keyTok.text} = "value"`,
        );
        this.parseCondition(undefined);
        return;
      }
      this.fail(`'=' after with ${keyTok.text}`);
    }
    this.advance();
    const valueTok = this.peek();
    let value: TagValue;
    if (valueTok.kind === 'string') value = { kind: 'string', value: valueTok.value! };
    else if (valueTok.kind === 'int' || valueTok.kind === 'decimal') {
      value = { kind: 'number', value: Number(valueTok.text) };
    } else this.fail(`a quoted string or number as the value of ${keyTok.text}`);
    this.advance();
    rule.tags[keyTok.text] = value;
  }

  private parseRuleLabels(): Record<string, string> | undefined {
    const labelsTok = this.advance();
    this.expectOp('=', "'=' after labels");
    const labels = this.parseLabelList(labelsTok);
    if (!labels) return undefined;
    const combined = new Set([...Object.keys(this.defaultLabels), ...Object.keys(labels)]);
    if (combined.size > MAX_LABELS) {
      this.error(
        labelsTok,
        `Number of labels exceed maximum allowed (MAX: ${MAX_LABELS}), counting ${Object.keys(this.defaultLabels).length} DefaultLabels`,
      );
    }
    return labels;
  }

  /** `[ "k" = "v", … ]` with the reference's limits; undefined when invalid (errors recorded). */
  private parseLabelList(ownerTok: Token): Record<string, string> | undefined {
    this.expectOp('[', "'[' to open the labels");
    const entries = new Map<string, string>();
    let valid = true;
    const invalid = (at: Token, message: string) => {
      this.error(at, message);
      valid = false;
    };
    if (this.isOp(']')) invalid(ownerTok, 'Labels must have at least one label');
    else {
      for (;;) {
        const keyTok = this.expectString('a quoted label key, as in "team" = "finance"');
        this.expectOp('=', "'=' between label key and value");
        const valueTok = this.expectString('a quoted label value');
        const key = keyTok.value!;
        const value = valueTok.value!;
        if (key === '' || value === '')
          invalid(key === '' ? keyTok : valueTok, 'Label key or value cannot be empty');
        else if (key.length > MAX_LABEL_KEY_LENGTH) {
          invalid(
            keyTok,
            `Label key has length ${key.length} exceeding the maximum length of ${MAX_LABEL_KEY_LENGTH} characters`,
          );
        } else if (value.length > MAX_LABEL_VALUE_LENGTH) {
          invalid(
            valueTok,
            `Label value has length ${value.length} exceeding the maximum length of ${MAX_LABEL_VALUE_LENGTH} characters`,
          );
        } else if (entries.has(key)) invalid(keyTok, `Duplicate label key "${key}". Key must be unique.`);
        else entries.set(key, value);
        if (!this.isOp(',')) break;
        this.advance();
      }
    }
    this.expectOp(']', "',' or ']' in the labels");
    if (entries.size > MAX_LABELS)
      invalid(ownerTok, `Number of labels exceed maximum allowed (MAX: ${MAX_LABELS})`);
    return valid ? Object.fromEntries(entries) : undefined;
  }

  // ---- analyzers -------------------------------------------------------------------------

  private parseAnalyzer(): Analyzer {
    const typeTok = this.peek();
    if (typeTok.kind !== 'word' || RESERVED.has(typeTok.text))
      this.fail('an analyzer type such as Completeness');
    this.advance();
    const parameters = this.parseParameters();
    this.resolveType(typeTok, parameters, 'analyzer');
    if (!this.isOp(',') && !this.isOp(']')) {
      this.fail(
        this.startsCondition() ? "',' or ']' (analyzers take no condition)" : "',' or ']' after an analyzer",
      );
    }
    return { kind: 'analyzer', type: typeTok.text, parameters, position: Parser.position(typeTok) };
  }

  // ---- conditions ------------------------------------------------------------------------

  private startsCondition(): boolean {
    const t = this.peek();
    if (t.kind === 'op') return COMPARISON_OPS.has(t.text);
    return t.kind === 'word' && ['between', 'not', 'in', 'matches'].includes(t.text);
  }

  private parseConditionOp(): ConditionOp {
    const tok = this.advance();
    if (tok.kind === 'op' && COMPARISON_OPS.has(tok.text)) return tok.text as ComparisonOp;
    if (tok.kind === 'word') {
      if (tok.text === 'between' || tok.text === 'in' || tok.text === 'matches') return tok.text;
      if (tok.text === 'not') {
        const next = this.peek();
        if (
          next.kind === 'word' &&
          (next.text === 'between' || next.text === 'in' || next.text === 'matches')
        ) {
          this.advance();
          return `not ${next.text}`;
        }
        this.fail("'between', 'in' or 'matches' after 'not'");
      }
    }
    this.fail('a comparison such as >, between or in', tok);
  }

  /** Parses a condition of the kind the rule's return type allows; several kinds are tried in turn. */
  private parseCondition(returns: readonly ReturnType[] | undefined): Condition {
    const kinds = new Set<ConditionKind>();
    for (const r of returns ?? ['NUMBER', 'DATE', 'STRING', 'DURATION_ARRAY', 'SIZE']) {
      if (r === 'NUMBER' || r === 'NUMBER_ARRAY') kinds.add('number');
      else if (r === 'STRING' || r === 'STRING_ARRAY') kinds.add('string');
      else if (r === 'DATE' || r === 'DATE_ARRAY') kinds.add('date');
      else if (r === 'DURATION_ARRAY') kinds.add('duration');
      else if (r === 'SIZE') kinds.add('size');
    }
    const alternatives: Array<() => Condition | undefined> = [];
    // Number before date before string: `in [1,2]` is numeric, `> "2022-01-01"` a date, `= "x"` a string.
    if (kinds.has('number')) alternatives.push(() => this.parseNumberCondition(kinds.size > 1));
    if (kinds.has('date')) alternatives.push(() => this.parseDateCondition(kinds.has('string')));
    if (kinds.has('string')) alternatives.push(() => this.parseStringCondition());
    if (kinds.has('duration')) alternatives.push(() => this.parseDurationCondition());
    if (kinds.has('size')) alternatives.push(() => this.parseSizeCondition());
    return this.attempt(alternatives);
  }

  /** Shared shape of comparison / between / in conditions over one operand parser. */
  private parseOrderedCondition<T>(
    operand: () => T,
    allowMatches = false,
  ): { op: ConditionOp; operand?: T; low?: T; high?: T; list?: T[] } {
    const op = this.parseConditionOp();
    if ((op === 'matches' || op === 'not matches') && !allowMatches)
      this.fail('a number, date or size comparison');
    if (op === 'between' || op === 'not between') {
      const low = operand();
      this.expectWord('and');
      return { op, low, high: operand() };
    }
    if (op === 'in' || op === 'not in') return { op, list: this.parseList(operand) };
    return { op, operand: operand() };
  }

  private parseList<T>(item: () => T): T[] {
    this.expectOp('[', "'[' to open the list");
    if (this.isOp(']')) this.fail('at least one list item');
    const items: T[] = [];
    for (;;) {
      items.push(item());
      if (!this.isOp(',')) break;
      this.advance();
    }
    this.expectOp(']', "',' or ']' in the list");
    return items;
  }

  private static build<K extends string, T>(
    kind: K,
    parts: { op: ConditionOp; operand?: T; low?: T; high?: T; list?: T[] },
  ):
    | { kind: K; op: ComparisonOp; operand: T }
    | { kind: K; op: 'between' | 'not between'; low: T; high: T }
    | { kind: K; op: 'in' | 'not in'; list: T[] } {
    const { op } = parts;
    if (op === 'between' || op === 'not between') return { kind, op, low: parts.low!, high: parts.high! };
    if (op === 'in' || op === 'not in') return { kind, op, list: parts.list! };
    return { kind, op: op as ComparisonOp, operand: parts.operand! };
  }

  /** `requireNumber`: reject all-NULL operands so a ColumnValues `= NULL` reads as a string condition. */
  private parseNumberCondition(requireNumber = false): NumberCondition {
    const parts = this.parseOrderedCondition(() => this.parseNumberExpr());
    const operands = parts.list ?? [parts.operand ?? parts.low!, ...(parts.high ? [parts.high] : [])];
    if (requireNumber && operands.every((o) => o.kind === 'null')) this.fail('a number');
    return Parser.build('number', parts);
  }

  private parseNumberExpr(): NumberExpr {
    let left = this.parseTerm();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.advance().text as '+' | '-';
      left = { kind: 'binary', op, left, right: this.parseTerm() };
    }
    return left;
  }

  private parseTerm(): NumberExpr {
    let left = this.parseFactor();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.advance().text as '*' | '/';
      left = { kind: 'binary', op, left, right: this.parseFactor() };
    }
    return left;
  }

  private parseFactor(): NumberExpr {
    const tok = this.peek();
    if (this.isOp('-')) {
      const num = this.peek(1);
      if (num.kind !== 'int' && num.kind !== 'decimal') this.fail('a number after -', num);
      this.advance();
      this.advance();
      return { kind: 'number', value: -Number(num.text), text: `-${num.text}` };
    }
    if (tok.kind === 'int' || tok.kind === 'decimal') {
      this.advance();
      return { kind: 'number', value: Number(tok.text), text: tok.text };
    }
    if (this.isOp('(')) {
      this.advance();
      const expr = this.parseNumberExpr();
      this.expectOp(')', "')' or an operator");
      return { kind: 'paren', expr };
    }
    if (tok.kind === 'word' && STRING_KEYWORDS.get(tok.text) === 'NULL') {
      this.advance();
      return { kind: 'null' };
    }
    if (tok.kind === 'word' && tok.text !== 'now' && !RESERVED.has(tok.text) && this.isOp('(', 1)) {
      this.advance();
      this.advance();
      const args: NumberExpr[] = [];
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.parseNumberExpr());
          if (!this.isOp(',')) break;
          this.advance();
        }
      }
      this.expectOp(')', "',' or ')' in the function call");
      return { kind: 'call', name: tok.text, args };
    }
    if (this.isOp('$')) this.fail('a number (variables hold strings only)');
    this.fail('a number, function call or parenthesised expression');
  }

  /** `preferString`: for ColumnValues, plain quoted dates under `=`/`in` stay string conditions. */
  private parseDateCondition(preferString: boolean): DateCondition | undefined {
    const parts = this.parseOrderedCondition(() => this.parseDateExpr());
    const operands = parts.list ?? [parts.operand ?? parts.low!, ...(parts.high ? [parts.high] : [])];
    const equality = parts.op === '=' || parts.op === '!=' || parts.op === 'in' || parts.op === 'not in';
    if (preferString && equality && !operands.some((o) => o.kind === 'now')) return undefined;
    if (operands.every((o) => o.kind === 'null')) this.fail('a date');
    return Parser.build('date', parts);
  }

  private parseDateExpr(): DateExpr {
    const tok = this.peek();
    if (tok.kind === 'string') {
      const v = tok.value!;
      if (DATE_RE.test(v)) {
        this.advance();
        return { kind: 'date', value: v };
      }
      if (TIME_RE.test(v)) {
        this.advance();
        return { kind: 'time', value: v };
      }
      this.fail('a date "YYYY-MM-DD", a time such as "9:30 AM" or "21:45", or now()');
    }
    if (this.isWord('now')) {
      this.parseNowCall(false);
      return { kind: 'now', parenthesised: false };
    }
    if (this.isOp('(') && this.isWord('now', 1)) {
      this.advance();
      this.parseNowCall(true);
      const signTok = this.peek();
      if (!this.isOp('+') && !this.isOp('-')) this.fail("'+' or '-' after now()");
      this.advance();
      const amountTok = this.peek();
      if (amountTok.kind !== 'int') this.fail('a whole number of days, hours or minutes');
      this.advance();
      const unitTok = this.peek();
      if (unitTok.kind !== 'word' || !DURATION_UNITS.has(unitTok.text)) this.fail('days, hours or minutes');
      this.advance();
      this.expectOp(')', "')' to close the date expression");
      return {
        kind: 'now',
        offset: {
          sign: signTok.text as '+' | '-',
          amount: Number(amountTok.text),
          unit: unitTok.text as DurationUnit,
        },
        parenthesised: true,
      };
    }
    if (tok.kind === 'word' && STRING_KEYWORDS.get(tok.text) === 'NULL') {
      this.advance();
      return { kind: 'null' };
    }
    this.fail('a date "YYYY-MM-DD", a time, now() or (now() - N days)');
  }

  private parseNowCall(inParens: boolean): void {
    this.advance();
    this.expectOp('(', "'(' after now");
    this.expectOp(')', "')' (now() takes no arguments)");
    if (!inParens && (this.isOp('+') || this.isOp('-'))) {
      this.fail('a parenthesised date expression: write (now() - 3 days), not now() - 3 days');
    }
  }

  private parseStringCondition(): StringCondition {
    const op = this.parseConditionOp();
    if (op === 'matches' || op === 'not matches') {
      if (this.isOp('$')) {
        this.advance();
        const nameTok = this.peek();
        if (nameTok.kind !== 'word') this.fail('a variable name after $');
        this.advance();
        const info = this.checkVariable(nameTok, 'string');
        const pattern = info?.value.kind === 'string' ? info.value.value : '';
        return { kind: 'string', op, pattern, variable: nameTok.text };
      }
      const tok = this.expectString('a quoted regular expression');
      return { kind: 'string', op, pattern: tok.value!, raw: tok.text };
    }
    if (op === 'in' || op === 'not in') {
      if (this.isOp('$'))
        return { kind: 'string', op, list: { variable: this.parseVariableRef('stringList') } };
      return { kind: 'string', op, list: this.parseList(() => this.parseStringOperand(false)) };
    }
    if (op === '=' || op === '!=') return { kind: 'string', op, operand: this.parseStringOperand(true) };
    this.fail("'=', '!=', 'in' or 'matches' (strings have no order)", this.tokens[this.pos - 1]);
  }

  private parseVariableRef(kind: 'string' | 'stringList'): string {
    this.advance();
    const nameTok = this.peek();
    if (nameTok.kind !== 'word') this.fail('a variable name after $');
    this.advance();
    this.checkVariable(nameTok, kind);
    return nameTok.text;
  }

  private parseStringOperand(allowVariable: boolean): StringOperand {
    const tok = this.peek();
    if (tok.kind === 'string') {
      this.advance();
      return { kind: 'quoted', value: tok.value!, raw: tok.text };
    }
    const keyword = tok.kind === 'word' ? STRING_KEYWORDS.get(tok.text) : undefined;
    if (keyword) {
      this.advance();
      return { kind: 'keyword', value: keyword };
    }
    if (allowVariable && this.isOp('$')) return { kind: 'variable', name: this.parseVariableRef('string') };
    this.fail('a quoted string, NULL, EMPTY or WHITESPACES_ONLY');
  }

  private parseDurationCondition(): DurationCondition {
    return Parser.build(
      'duration',
      this.parseOrderedCondition(() => this.parseDuration()),
    );
  }

  private parseDuration(): Duration {
    const negative = this.isOp('-');
    if (negative) this.advance();
    const amountTok = this.peek();
    if (amountTok.kind !== 'int' && amountTok.kind !== 'decimal') this.fail('a duration such as 3 days');
    this.advance();
    const unitTok = this.peek();
    if (unitTok.kind !== 'word' || !DURATION_UNITS.has(unitTok.text)) this.fail('days, hours or minutes');
    this.advance();
    // amount is the magnitude; the sign lives in `negative`, as the AST documents
    const d: Duration = { amount: Number(amountTok.text), unit: unitTok.text as DurationUnit };
    if (negative) d.negative = true;
    return d;
  }

  private parseSizeCondition(): SizeCondition {
    return Parser.build(
      'size',
      this.parseOrderedCondition(() => this.parseSize()),
    );
  }

  private parseSize(): Size {
    const amountTok = this.peek();
    if (amountTok.kind !== 'int' && amountTok.kind !== 'decimal') this.fail('a size such as 5 GB');
    this.advance();
    let unit: SizeUnit = 'B';
    if (this.isWord(SIZE_UNITS)) unit = this.advance().text as SizeUnit;
    return { amount: Number(amountTok.text), unit };
  }
}
