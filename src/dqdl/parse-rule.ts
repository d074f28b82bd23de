// Rules and analyzers: composites (AND binds tighter than OR), parameters, the condition a rule's
// return type calls for, where clauses, labels and with-tags.

import type { Analyzer, Parameter, Rule, RuleNode, TagValue } from './ast';
import { type ReturnType, ruleTypeSpec } from './catalog';
import type { Token } from './lexer';
import { ConditionParser } from './parse-condition';
import { AND, OF, OR, RESERVED, SyntaxFailure, TokenCursor } from './parse-cursor';

export const MAX_LABELS = 10;
export const MAX_LABEL_KEY_LENGTH = 128;
export const MAX_LABEL_VALUE_LENGTH = 256;

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

/** Far beyond any real composite rule, far below what overflows the stack. */
const MAX_RULE_NESTING = 100;

export abstract class RuleParser extends ConditionParser {
  protected defaultLabels: Record<string, string> = {};

  // ---- rules -----------------------------------------------------------------------------

  /** Composite rules: AND binds tighter than OR; a same-operator chain is one n-ary composite. */
  protected parseTopLevelRule(): RuleNode {
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
    return { kind: 'composite', op, operands, position: TokenCursor.position(start) };
  }

  /** Parentheses open around the operand being parsed; bounded so a hostile ruleset cannot overflow the stack. */
  private nesting = 0;

  private parseRuleOperand(): RuleNode {
    if (!this.isOp('(')) return this.parseRule();
    const open = this.advance();
    if (this.nesting >= MAX_RULE_NESTING)
      throw new SyntaxFailure(
        open,
        `Rule nested more than ${MAX_RULE_NESTING} parentheses deep; flatten the composite`,
      );
    this.nesting++;
    let inner: RuleNode;
    try {
      inner = this.parseTopLevelRule();
    } finally {
      this.nesting--;
    }
    this.expectOp(')', "')' to close the parenthesised rule, or AND / OR");
    if (this.isWord('labels')) {
      const labels = this.parseRuleLabels();
      if (labels) inner.labels = inner.kind === 'rule' ? { ...labels, ...inner.labels } : labels;
    }
    if (inner.kind === 'composite') inner.position = TokenCursor.position(open);
    return inner;
  }

  private parseRule(): Rule {
    const typeTok = this.peek();
    if (typeTok.kind !== 'word' || RESERVED.has(typeTok.text)) this.fail('a rule type such as IsComplete');
    this.advance();
    const type = typeTok.text;
    const parameters = this.parseParameters();
    const rule: Rule = { kind: 'rule', type, parameters, tags: {}, position: TokenCursor.position(typeTok) };
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
      this.checkWhere(type, whereTok, predicate);
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

  private parseTag(rule: Rule): void {
    const withTok = this.advance();
    const keyTok = this.peek();
    if (keyTok.kind !== 'word') this.fail('a tag name after with, such as threshold');
    this.advance();
    if (keyTok.text === 'threshold') {
      if (!this.startsCondition()) this.fail('a number condition after with threshold, such as > 0.9');
      const threshold = this.parseNumberCondition();
      this.checkThreshold(rule, withTok);
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
  protected parseLabelList(ownerTok: Token): Record<string, string> | undefined {
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

  protected parseAnalyzer(): Analyzer {
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
    return { kind: 'analyzer', type: typeTok.text, parameters, position: TokenCursor.position(typeTok) };
  }
}
