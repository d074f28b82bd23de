// The strict check of one JSON line, apart from the readers so that a worker thread of the quick
// pass (line-scan-worker.ts) loads only this.

// Nesting deeper than 64 levels hangs DuckDB's JSON reader type detection.
const MAX_JSON_DEPTH = 64;

/** Whether a line's bytes can be a row: the strict check the quick pass defers to. */
export const jsonLinePasses = (line: Buffer): boolean => jsonLineProblem(line.toString()) === undefined;

/**
 * Why one JSON line cannot be a row, if it cannot: not JSON, not an object, or what JSON.parse
 * accepts but a table cannot hold — nesting deeper than MAX_JSON_DEPTH, or a key repeated within one
 * object (JSON.parse keeps the last; readers disagree). A repeat shows as more keys in the text than
 * the parsed value holds. Names no key or value, so nothing of the data appears in the message.
 */
export function jsonLineProblem(line: string): string | undefined {
  const structure = scanJson(line);
  if (structure === 'deep') return `nested deeper than ${MAX_JSON_DEPTH} levels; flatten the object`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON; JSON lines files hold one JSON object per line';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected a JSON object per line';
  if (structure.keys !== countKeys(value)) return 'a key appears twice in one object; keep one';
  return undefined;
}

// JSON's whitespace: space, tab, line feed, carriage return.
const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** One pass over the text: nesting depth (stops past MAX_JSON_DEPTH) and how many keys it writes. */
function scanJson(line: string): { keys: number } | 'deep' {
  let depth = 0;
  let keys = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) {
      // jump to the closing quote: the next one not escaped by an odd run of backslashes
      let end = line.indexOf('"', i + 1);
      while (end !== -1) {
        let k = end - 1;
        while (line.charCodeAt(k) === 0x5c) k--;
        if ((end - 1 - k) % 2 === 0) break;
        end = line.indexOf('"', end + 1);
      }
      if (end === -1) break; // unterminated: JSON.parse says so
      i = end;
      let next = i + 1;
      while (JSON_SPACE.has(line.charCodeAt(next))) next++;
      if (line.charCodeAt(next) === 0x3a) keys++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return 'deep';
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { keys };
}

/** Own keys of every object in a parsed JSON value (depth already bounded by scanJson). */
function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countKeys(v), 0);
  let n = 0;
  for (const v of Object.values(value)) n += 1 + countKeys(v);
  return n;
}
