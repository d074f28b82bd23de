// Hand-written recursive-descent parser for DQDL documents (aws-semantics.md §1).
// Syntax errors stop the parse (one precise message beats a cascade); validation errors
// (unknown rule type, where/threshold unsupported, labels, variables, …) are collected and parsing goes on.
// The grammar is layered, each layer a class extending the one below: parse-cursor (tokens, syntax
// failures) → validate (catalogue and variable checks) → parse-condition → parse-rule → this module
// (document and sections).

import type { Ruleset, StringOperand, VariableValue } from './ast';
import { describeToken, type Token } from './lexer';
import { type DqdlError, SyntaxFailure } from './parse-cursor';
import { RuleParser } from './parse-rule';

export { MAX_LABEL_KEY_LENGTH, MAX_LABEL_VALUE_LENGTH, MAX_LABELS } from './parse-rule';
export type { DqdlError };

export type ParseResult =
  | { ok: true; ruleset: Ruleset; warnings: DqdlError[] }
  | { ok: false; errors: DqdlError[] };

const SECTION_WORDS = new Set(['Metadata', 'DataSources', 'DefaultLabels', 'Rules', 'Analyzers']);

/** Parses a DQDL document into a syntax tree, or reports every problem found with its position. */
export function parseDqdl(text: string): ParseResult {
  return new Parser(text).parseDocument();
}

class Parser extends RuleParser {
  private readonly warnings: DqdlError[] = [];
  /** error count when the current rule began: a syntax error drops that rule's follow-on complaints */
  private ruleErrorMark: number | undefined;

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
    const literal = this.parseStringLiteral();
    if (literal) return literal;
    const tok = this.peek();
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
}
