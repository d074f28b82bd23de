import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { errorMessage, UserError } from '../errors';
import { withoutValues } from '../sql/redact';
import { withReadEngine } from './engine';
import { type DataFormat, delimitedLayout, formatOf } from './files';
import { jsonArrayRefusal } from './json-array';
import { jsonLineProblem } from './json-line';
import { plainDelimitedLines, plainJsonLinesInParts } from './line-scan';
import { quoteLiteral } from './source';

const SNIFF_BYTES = 8192;
// A row or JSON line over 1 MiB (a 10 MB cell) would make every later scan and query of the table
// slow or fail.
export const MAX_RECORD_BYTES = 1 << 20;

/**
 * Checks one data file before it joins a table, so a bad file is refused with one line naming it
 * and the fix — DuckDB's own sniffer would misread a ragged CSV as a single column instead.
 */
export function validateDataFile(path: string, label = basename(path)): Promise<void> {
  return validate(path, label, true);
}

/**
 * validateDataFile without its quick passes, every file read by the strict readers: what the quick
 * passes are held to (test/data/line-scan.test.ts).
 */
export function validateDataFileStrictly(path: string, label = basename(path)): Promise<void> {
  return validate(path, label, false);
}

async function validate(path: string, label: string, quick: boolean): Promise<void> {
  const format = formatOf(path);
  const { size } = await stat(path);
  if (size === 0) throw new UserError(`${label}: empty file; add a header and data rows, then try again`);
  const head = await readHead(path);
  if (format === 'parquet') return validateParquet(path, head, size, label);
  if (head.includes(0))
    throw new UserError(`${label}: looks binary, not ${format.toUpperCase()} text; check the file`);
  if (format === 'json') await validateJsonLines(path, label, quick);
  else await validateCsv(path, label, format, quick);
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
  try {
    await withReadEngine([path], (c) =>
      c.run(`SELECT count(*) FROM parquet_metadata(${quoteLiteral(path)})`),
    );
  } catch {
    throw new UserError(`${label}: not a readable Parquet file (its footer does not decode); re-export it`);
  }
}

/**
 * One strict pass of DuckDB's CSV reader (native, parallel, streaming) over the whole file, every
 * field read as text so UTF-8 is checked, with the dialect fixed rather than sniffed: RFC 4180
 * quoting and as many fields on every row as the header has. DuckDB's message quotes the row it
 * failed on, so only its line number and counts are kept.
 */
async function validateCsv(path: string, label: string, format: DataFormat, quick: boolean): Promise<void> {
  // TSV: split on tabs, no quoting at all, as Athena's LazySimpleSerDe reads it (files.ts).
  const { delimiter, quoted: quoting } = delimitedLayout(format)!;
  const fields = await headerFieldCount(path, label, delimiter, quoting);
  // Most files are plain (no quotes, same field count everywhere): a SIMD pass over the bytes proves
  // that at a fraction of a parse. Anything else is read by DuckDB, which also words the refusal.
  if (quick && fields > 1 && ((await plainDelimitedLines(path, delimiter, quoting, fields)) ?? 0) > 1) return;
  const columns = Array.from({ length: fields }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  let records: number;
  let quoted: boolean;
  try {
    [records, quoted] = await withReadEngine([path], async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT count(*), count_if(contains(COLUMNS(*), '"')) FROM read_csv(${quoteLiteral(path)}, header = false,
           auto_detect = false, columns = {${columns}}, delim = ${quoteLiteral(delimiter)},
           quote = '${quoting ? '"' : ''}', escape = '${quoting ? '"' : ''}',
           strict_mode = true, null_padding = false, max_line_size = ${MAX_RECORD_BYTES})`,
      );
      const [count, ...withQuotes] = reader.getRows()[0]!.map(Number);
      return [count!, withQuotes.some((n) => n > 0)] as const;
    });
  } catch (err) {
    throw new UserError(csvProblem(errorMessage(err), label, quoting));
  }
  if (records === 0) throw new UserError(`${label}: empty file; add a header and data rows, then try again`);
  if (records === 1) throw new UserError(`${label}: has a header but no data rows; add rows, then try again`);
  // DuckDB keeps a quote inside an unquoted value (`a"b"`) as text, where RFC 4180 and csv-parse
  // refuse it; a value holding a quote is rare, so only then is the file parsed again, strictly.
  if (quoting && quoted) await validateCsvQuoting(path, label);
}

/** csv-parse over the whole file (streaming, bounded by MAX_RECORD_BYTES): its quoting rules are RFC 4180's. */
async function validateCsvQuoting(path: string, label: string): Promise<void> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES }),
  );
  try {
    for await (const _ of parser);
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new UserError(
      `${label}: line ${e.lines ?? '?'}: not valid CSV (${withoutValues(e.message?.split('\n')[0] ?? '')}); quote the value and double its quotes ("")`,
    );
  }
}

/** The header's field count, from its first record (csv-parse stops there). */
async function headerFieldCount(
  path: string,
  label: string,
  delimiter: string,
  quoting: boolean,
): Promise<number> {
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      to: 1,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      delimiter,
      quote: quoting ? '"' : false,
    }),
  );
  try {
    for await (const header of parser as AsyncIterable<string[]>) return header.length;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw new UserError(
        `${label}: line 1: a row over ${MAX_RECORD_BYTES} bytes; split large values out of the table`,
      );
    throw new UserError(
      `${label}: not valid CSV (${withoutValues(e.message?.split('\n')[0] ?? '')}); fix the file`,
    );
  } finally {
    parser.destroy();
  }
  throw new UserError(`${label}: empty file; add a header and data rows, then try again`);
}

/** DuckDB's CSV error as autogov's one line: the file, the line, the fix; no value of the row. */
function csvProblem(message: string, label: string, quoting: boolean): string {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1] ?? '?';
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (/Invalid unicode/i.test(message))
    return `${label}: not UTF-8 (invalid bytes on line ${line}); re-save the file as UTF-8`;
  if (counts)
    return `${label}: line ${line}: ${counts[2]} fields where the header has ${counts[1]}; fix the row (${quoting ? 'quote values containing commas' : 'a TSV value cannot hold a tab'})`;
  if (/Maximum line size/i.test(message))
    return `${label}: line ${line}: a row over ${MAX_RECORD_BYTES} bytes; split large values out of the table`;
  if (/unterminated quote/i.test(message))
    return `${label}: line ${line}: a quoted value is not closed where it should be (text after its closing quote, or no closing quote); quote the whole value and double its quotes ("")`;
  const reason = message
    .split('\n')
    .find((l, i) => i > 0 && l.trim() && !/^(Original Line|Possible Solution|\s|\*)/.test(l));
  return `${label}: line ${line}: not valid CSV (${withoutValues(reason ?? message.split('\n')[0]!)}); fix the file`;
}

/**
 * JSON lines, one line at a time from a byte stream (never more than MAX_RECORD_BYTES of one line
 * held, whatever the file), each decoded as strict UTF-8 and parsed.
 */
async function validateJsonLines(path: string, label: string, quick: boolean): Promise<void> {
  // The quick pass proves the usual file (lines of the same keys) at a fraction of JSON.parse;
  // otherwise the lines are read here one by one, which also words the refusal.
  if (quick && ((await plainJsonLinesInParts(path)) ?? 0) > 0) return;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rows = 0;
  let n = 0;
  const check = (bytes: Buffer): void => {
    n++;
    let line: string;
    try {
      line = decoder.decode(bytes);
    } catch {
      throw new UserError(`${label}: not UTF-8 (invalid bytes on line ${n}); re-save the file as UTF-8`);
    }
    if (!line.trim()) return;
    if (rows === 0 && line.trimStart().startsWith('[')) throw new UserError(jsonArrayRefusal(label));
    const problem = jsonLineProblem(line);
    if (problem) throw new UserError(`${label}: line ${n}: ${problem}`);
    rows++;
  };
  const tooLong = () =>
    new UserError(
      `${label}: line ${n + 1}: a JSON object over ${MAX_RECORD_BYTES} bytes; split large values out of the table`,
    );
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (pendingBytes + nl - from > MAX_RECORD_BYTES) throw tooLong();
      const part = chunk.subarray(from, nl);
      check(pending.length ? Buffer.concat([...pending, part]) : part);
      pending = [];
      pendingBytes = 0;
      from = nl + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
      if (pendingBytes > MAX_RECORD_BYTES) throw tooLong();
    }
  }
  if (pendingBytes) check(Buffer.concat(pending));
  if (rows === 0) throw new UserError(`${label}: no JSON objects; add one object per line, then try again`);
}
