// Tokeniser for DQDL. Keywords other than AND/OR/OF/NULL/EMPTY/WHITESPACES_ONLY are context-sensitive,
// so they come out as plain `word` tokens and the parser decides by text.

export type TokenKind =
  | 'word' // [a-zA-Z0-9_.]+ that is not a number
  | 'int'
  | 'decimal'
  | 'string' // "…" — `text` holds the raw body (escapes unresolved), `value` the resolved one
  | 'op' // = != < <= > >= + - * / ( ) [ ] { } , : $
  | 'error' // a character no token starts with, or an unterminated string
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** source text; for strings the body between the quotes, as written */
  text: string;
  /** strings only: the body with `\x` escapes resolved to `x` */
  value?: string;
  line: number;
  column: number;
  /** offset of the token's first character */
  offset: number;
  /** offset just past the token */
  end: number;
}

const WORD_CHAR = /[a-zA-Z0-9_.]/;
const TWO_CHAR_OPS = new Set(['!=', '<=', '>=']);
const ONE_CHAR_OPS = new Set([
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '$',
]);

/** Tokenises the whole text; lexical problems become `error` tokens so the parser can place them. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const push = (kind: TokenKind, start: number, end: number, tokText: string, value?: string) => {
    const tok: Token = { kind, text: tokText, line, column: start - lineStart + 1, offset: start, end };
    if (value !== undefined) tok.value = value;
    tokens.push(tok);
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"') {
      const start = i;
      const startLine = line;
      const startCol = start - lineStart + 1;
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < text.length) {
        const c = text[j]!;
        if (c === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          break;
        }
        if (c === '\n') break; // strings never span lines: a lone quote is far likelier a typo
        value += c;
        j++;
      }
      if (!closed) {
        tokens.push({
          kind: 'error',
          text: 'unterminated string',
          line: startLine,
          column: startCol,
          offset: start,
          end: j,
        });
        i = j;
        continue;
      }
      push('string', start, j + 1, text.slice(start + 1, j), value);
      i = j + 1;
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const kind: TokenKind = /^\d+$/.test(word) ? 'int' : /^\d+\.\d+$/.test(word) ? 'decimal' : 'word';
      push(kind, start, i, word);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      push('op', i, i + 2, two);
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(ch)) {
      push('op', i, i + 1, ch);
      i++;
      continue;
    }
    push('error', i, i + 1, ch);
    i++;
  }
  push('eof', i, i, '');
  return tokens;
}

/** Token description for error messages. */
export function describeToken(tok: Token): string {
  switch (tok.kind) {
    case 'eof':
      return 'end of input';
    case 'string':
      return `"${tok.text}"`;
    case 'error':
      return tok.text === 'unterminated string' ? 'an unterminated string' : `'${tok.text}'`;
    default:
      return `'${tok.text}'`;
  }
}
