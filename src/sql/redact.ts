// Error text from DuckDB (and from the CSV parser) can quote the data it failed on (`Could not
// convert string 'alice@x.com' to INT32`, `Malformed JSON … Input: {"email": …}`, `value is "…"`).
// Such text passes through here before autogov prints or records it, so no cell value reaches a
// message, log or findings document.

/** DuckDB's error classes, e.g. `Conversion Error: …`. */
const ENGINE_ERROR = /^[A-Z][A-Za-z ]* Error: /;
/** Classes DuckDB raises before it reads any row: their text names SQL and identifiers only. */
const STATIC_ERROR = /^(Parser|Binder|Catalog|Permission|Not implemented|Syntax) Error: /;

/**
 * `message` with anything that may be a cell value masked: quoted spans, standalone numbers and
 * whatever follows `Input:`, `Original Line:` or `value is`.
 */
export function withoutValues(message: string): string {
  return message
    .replace(/\b(Input:|Original Line:|value is)\s.*$/i, '$1 (not shown)')
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])/gi, '#');
}

/**
 * The first line of an error for a message or findings document. DuckDB's data-time errors
 * (conversion, out of range, invalid input, …) are masked; its parser, binder and catalog errors,
 * which quote the SQL rather than the data, and autogov's own messages are kept.
 */
export function engineErrorText(err: unknown): string {
  // DuckDB's errors may come from another realm (jest), so read `message` rather than test instanceof
  const text =
    typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
  const line = text.split('\n')[0]!.trim();
  return ENGINE_ERROR.test(line) && !STATIC_ERROR.test(line) ? withoutValues(line) : line;
}
