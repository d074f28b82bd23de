// Conditions and their operands: comparisons, between, in and matches over numbers (with arithmetic
// and function calls), dates and times (now() and offsets), strings and variables, durations and sizes.

import type {
  ComparisonOp,
  Condition,
  DateCondition,
  DateExpr,
  Duration,
  DurationCondition,
  DurationUnit,
  NumberCondition,
  NumberExpr,
  Size,
  SizeCondition,
  SizeUnit,
  StringCondition,
  StringOperand,
} from './ast';
import type { ReturnType } from './catalog';
import { RESERVED, STRING_KEYWORDS } from './parse-cursor';
import { CatalogueValidator } from './validate';

const COMPARISON_OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const DURATION_UNITS: ReadonlySet<string> = new Set(['days', 'hours', 'minutes']);
const SIZE_UNITS: ReadonlySet<string> = new Set(['B', 'KB', 'MB', 'GB', 'TB']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^(?:(?:0?[1-9]|1[0-2]):[0-5]\d (?:AM|PM)|(?:[01]?\d|2[0-3]):[0-5]\d)$/;

type ConditionOp = ComparisonOp | 'between' | 'not between' | 'in' | 'not in' | 'matches' | 'not matches';
type ConditionKind = Condition['kind'];

export abstract class ConditionParser extends CatalogueValidator {
  protected startsCondition(): boolean {
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
  protected parseCondition(returns: readonly ReturnType[] | undefined): Condition {
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
  protected parseNumberCondition(requireNumber = false): NumberCondition {
    const parts = this.parseOrderedCondition(() => this.parseNumberExpr());
    const operands = parts.list ?? [parts.operand ?? parts.low!, ...(parts.high ? [parts.high] : [])];
    if (requireNumber && operands.every((o) => o.kind === 'null')) this.fail('a number');
    return ConditionParser.build('number', parts);
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
    return ConditionParser.build('date', parts);
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

  /** A quoted string or NULL/EMPTY/WHITESPACES_ONLY, consumed; undefined (nothing consumed) otherwise. */
  protected parseStringLiteral(): StringOperand | undefined {
    const tok = this.peek();
    if (tok.kind === 'string') {
      this.advance();
      return { kind: 'quoted', value: tok.value!, raw: tok.text };
    }
    const keyword = tok.kind === 'word' ? STRING_KEYWORDS.get(tok.text) : undefined;
    if (!keyword) return undefined;
    this.advance();
    return { kind: 'keyword', value: keyword };
  }

  private parseStringOperand(allowVariable: boolean): StringOperand {
    const literal = this.parseStringLiteral();
    if (literal) return literal;
    if (allowVariable && this.isOp('$')) return { kind: 'variable', name: this.parseVariableRef('string') };
    this.fail('a quoted string, NULL, EMPTY or WHITESPACES_ONLY');
  }

  private parseDurationCondition(): DurationCondition {
    return ConditionParser.build(
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
    return ConditionParser.build(
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
