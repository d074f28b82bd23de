import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse';
import { UserError } from '../errors';
import { withoutValues } from '../sql/redact';
import { type DataFormat, delimitedLayout, formatOf } from './files';
import { jsonArrayRefusal } from './json-array';
import { quoteLiteral } from './source';

const SNIFF_BYTES = 8192;
// A row or JSON line over 1 MiB (a 10 MB cell) would make every later scan and query of the table
// slow or fail; nesting deeper than 64 levels hangs DuckDB's JSON reader type detection.
export const MAX_RECORD_BYTES = 1 << 20;
export const MAX_JSON_DEPTH = 64;

/**
 * Checks one data file before it joins a table, so a bad file is refused with one line naming it
 * and the fix — DuckDB's own sniffer would misread a ragged CSV as a single column instead.
 */
export async function validateDataFile(path: string, label = basename(path)): Promise<void> {
  const format = formatOf(path);
  const { size } = await stat(path);
  if (size === 0) throw new UserError(`${label}: empty file; add a header and data rows, then try again`);
  const head = await readHead(path);
  if (format === 'parquet') return validateParquet(path, head, size, label);
  if (head.includes(0))
    throw new UserError(`${label}: looks binary, not ${format.toUpperCase()} text; check the file`);
  await validateUtf8(path, label);
  if (format === 'json') await validateJsonLines(path, label);
  else await validateCsv(path, label, format);
}

async function readHead(path: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function validateParquet(path: string, head: Buffer, size: number, label: string): Promise<void> {
  const magic = Buffer.from('PAR1');
  const fh = await open(path, 'r');
  try {
    const tail = Buffer.alloc(4);
    await fh.read(tail, 0, 4, Math.max(0, size - 4));
    if (size < 12 || !head.subarray(0, 4).equals(magic) || !tail.equals(magic))
      throw new UserError(
        `${label}: not a Parquet file (missing PAR1 markers); check the file or its extension`,
      );
  } finally {
    await fh.close();
  }
  // The markers alone are forgeable (`PAR1…PAR1`): DuckDB's reader must decode the footer too.
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SELECT count(*) FROM parquet_metadata(${quoteLiteral(path)})`);
  } catch {
    throw new UserError(`${label}: not a readable Parquet file (its footer does not decode); re-export it`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function validateUtf8(path: string, label: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    try {
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
    } catch {
      throw new UserError(
        `${label}: not UTF-8 (invalid bytes after line ${line}); re-save the file as UTF-8`,
      );
    }
  }
}

async function validateCsv(path: string, label: string, format: DataFormat): Promise<void> {
  const { delimiter, quoted } = delimitedLayout(format)!;
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter,
      quote: quoted ? '"' : false,
      relax_column_count: false,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  let records = 0;
  try {
    for await (const _ of parser) records++;
  } catch (err) {
    const e = err as { code?: string; lines?: number; record?: unknown[]; message?: string };
    if (
      e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ||
      e.code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH'
    )
      throw new UserError(
        `${label}: line ${e.lines}: ${e.record?.length ?? '?'} fields where the header has a different count; fix the row (${quoted ? 'quote values containing commas' : 'a TSV value cannot hold a tab'})`,
      );
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw new UserError(
        `${label}: line ${e.lines}: a row over ${MAX_RECORD_BYTES} bytes; split large values out of the table`,
      );
    throw new UserError(
      `${label}: not valid CSV (${withoutValues(e.message?.split('\n')[0] ?? '')}); fix the file`,
    );
  }
  if (records === 0) throw new UserError(`${label}: empty file; add a header and data rows, then try again`);
  if (records === 1) throw new UserError(`${label}: has a header but no data rows; add rows, then try again`);
}

async function validateJsonLines(path: string, label: string): Promise<void> {
  let n = 0;
  let rows = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    n++;
    if (!line.trim()) continue;
    if (rows === 0 && line.trimStart().startsWith('[')) throw new UserError(jsonArrayRefusal(label));
    if (line.length > MAX_RECORD_BYTES)
      throw new UserError(
        `${label}: line ${n}: a JSON object over ${MAX_RECORD_BYTES} bytes; split large values out of the table`,
      );
    const structure = jsonStructureProblem(line);
    if (structure) throw new UserError(`${label}: line ${n}: ${structure}`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UserError(
        `${label}: line ${n}: not valid JSON; JSON lines files hold one JSON object per line`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new UserError(`${label}: line ${n}: expected a JSON object per line`);
    rows++;
  }
  if (rows === 0) throw new UserError(`${label}: no JSON objects; add one object per line, then try again`);
}

/**
 * What JSON.parse accepts but a table cannot hold: objects nested deeper than MAX_JSON_DEPTH, or a
 * key repeated within one object (JSON.parse keeps the last; readers disagree). One pass over the
 * line; names no key or value, so nothing of the data appears in the message.
 */
export function jsonStructureProblem(line: string): string | undefined {
  const keys: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const top = keys.at(-1);
      if (expectKey && top) {
        const key = line.slice(i + 1, j);
        if (top.has(key)) return 'a key appears twice in one object; keep one';
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      keys.push(c === '{' ? new Set() : undefined);
      if (keys.length > MAX_JSON_DEPTH)
        return `nested deeper than ${MAX_JSON_DEPTH} levels; flatten the object`;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') keys.pop();
    else if (c === ',') expectKey = keys.at(-1) !== undefined;
  }
  return undefined;
}
