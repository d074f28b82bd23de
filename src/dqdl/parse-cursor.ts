// The parser's foundation: the token cursor every grammar layer reads through, the syntax failure that
// stops a parse, the error list validation appends to, and the keywords the layers share.

import type { Position } from './ast';
import { describeToken, type Token, tokenize } from './lexer';

export interface DqdlError {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  message: string;
}

export class SyntaxFailure extends Error {
  constructor(
    readonly token: Token,
    message: string,
  ) {
    super(message);
  }
}

/** Case variants the reference lexer accepts for its case-insensitive keywords. */
const caseKeyword = (w: string) => new Set([w, w.toLowerCase()]);
export const AND = caseKeyword('AND');
export const OR = caseKeyword('OR');
export const OF = caseKeyword('OF');
export const STRING_KEYWORDS: ReadonlyMap<string, 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY'> = new Map([
  ['NULL', 'NULL'],
  ['null', 'NULL'],
  ['EMPTY', 'EMPTY'],
  ['empty', 'EMPTY'],
  ['WHITESPACES_ONLY', 'WHITESPACES_ONLY'],
  ['whitespaces_only', 'WHITESPACES_ONLY'],
]);
/** Words that end a rule's parameter list, so they can never be bare parameters. */
export const RESERVED = new Set([
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

export abstract class TokenCursor {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected readonly errors: DqdlError[] = [];

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token cursor ----------------------------------------------------------------------

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  protected advance(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  protected isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.text === text;
  }

  protected isWord(words: string | ReadonlySet<string>, ahead = 0): boolean {
    const t = this.peek(ahead);
    if (t.kind !== 'word') return false;
    return typeof words === 'string' ? t.text === words : words.has(t.text);
  }

  protected fail(expected: string, tok: Token = this.peek()): never {
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

  protected expectOp(text: string, expected = `'${text}'`): Token {
    if (!this.isOp(text)) this.fail(expected);
    return this.advance();
  }

  protected expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail(`'${word}'`);
    return this.advance();
  }

  protected expectString(expected = 'a quoted string'): Token {
    if (this.peek().kind !== 'string') this.fail(expected);
    return this.advance();
  }

  protected error(at: Token | Position, message: string): void {
    this.errors.push({ line: at.line, column: at.column, message });
  }

  protected static position(tok: Token): Position {
    return { line: tok.line, column: tok.column };
  }

  /** Tries alternatives in order, backtracking; on total failure rethrows the one that got furthest. */
  protected attempt<T>(alternatives: Array<() => T | undefined>): T {
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
}
