import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { jsonLinePasses } from './json-line';
import { LINE_SCAN_WASM } from './line-scan-wasm';

// Lines are scanned a window at a time in the module's memory; a line longer than this is left to
// the strict readers (it is half their 1 MiB limit, so nothing they refuse for length passes here).
const WINDOW = 512 * 1024;

// Node's global; TypeScript declares it only in the DOM library, which this project does not load.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface LineScan {
  memory: { buffer: ArrayBuffer };
  delimitedLines(p: number, end: number, delimiter: number, want: number): number;
  jsonLines(p: number, end: number, templateLength: number): number;
  jsonKeys(p: number, end: number): number;
  at: { value: number };
  next: { value: number };
  rows: { value: number };
}

let compiled: object | undefined;
// An instance per file: two validations in one process must not share a memory across awaits.
function lineScan(): LineScan {
  compiled ??= new WebAssembly.Module(Buffer.from(LINE_SCAN_WASM, 'base64'));
  return new WebAssembly.Instance(compiled).exports as unknown as LineScan;
}

// Read a window's worth at a time in pieces this small, synchronously: a piece stays in the CPU's
// cache for the scan that follows, and a threadpool read costs several times the copy on this kind of
// VM (1.98 GB read alone: 0.6–0.9 s of system time in 512 KiB threadpool reads, 0.22 s in 128 KiB
// synchronous ones, 0.40 s in 256 KiB ones).
const PIECE = 128 * 1024;
// …handing the event loop back between pieces now and then, so other work in the process goes on.
const PIECES_BETWEEN_YIELDS = 64;

/** Bytes [from, to) of a file; a range other than the whole file starts and ends at a line's start. */
export interface ByteRange {
  from: number;
  to: number;
}

/**
 * The lines of `range` (the whole file by default), a window of whole lines at a time (the file's
 * last line given its missing line feed), each window checked by `accept` from the start of the
 * module's memory; false as soon as one is not accepted or a line does not fit in a window.
 */
async function everyWindow(
  path: string,
  scan: LineScan,
  range: ByteRange | undefined,
  accept: (window: Buffer) => boolean,
): Promise<boolean> {
  const memory = Buffer.from(scan.memory.buffer);
  const fd = openSync(path, 'r');
  try {
    let at = range?.from ?? 0;
    const to = range?.to ?? Number.POSITIVE_INFINITY;
    let carried = 0;
    for (let pieces = 1; ; pieces++) {
      if (pieces % PIECES_BETWEEN_YIELDS === 0) await new Promise(setImmediate);
      const want = Math.min(PIECE, WINDOW - carried, to - at);
      const bytesRead = want > 0 ? readSync(fd, memory, carried, want, at) : 0;
      at += bytesRead;
      let end = carried + bytesRead;
      if (bytesRead === 0) {
        if (carried === 0) return true;
        memory[end++] = 10;
      }
      const last = memory.lastIndexOf(10, end - 1);
      if (last === -1) {
        if (end === WINDOW) return false;
        carried = end;
        continue;
      }
      if (!accept(memory.subarray(0, last + 1))) return false;
      if (bytesRead === 0) return true;
      memory.copyWithin(0, last + 1, end);
      carried = end - last - 1;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * How many lines a delimited file has when every one is plainly well formed, so no strict reader
 * could refuse it: valid UTF-8 without NUL bytes, no quote character at all where quoting applies,
 * exactly `fields` fields on each line, a carriage return only before a line feed, no line over
 * WINDOW bytes. Undefined when it cannot tell (the strict readers then decide and word the refusal).
 */
export async function plainDelimitedLines(
  path: string,
  delimiter: string,
  quoting: boolean,
  fields: number,
): Promise<number | undefined> {
  const scan = lineScan();
  const code = delimiter.charCodeAt(0);
  let lines = 0;
  const plain = await everyWindow(path, scan, undefined, (window) => {
    if (!isUtf8(window) || window.indexOf(0) !== -1 || (quoting && window.indexOf(0x22) !== -1)) return false;
    const n = scan.delimitedLines(0, window.length, code, fields - 1);
    lines += n;
    return n >= 0;
  });
  return plain ? lines : undefined;
}

/**
 * How many JSON objects a JSON lines file holds when every line is blank or one object as JSON.parse
 * reads it, valid UTF-8, no line over WINDOW bytes, and `passes` (the strict check of one line,
 * given its bytes) accepts each line whose keys differ from the last line it accepted — a line with
 * the same keys in the same order (its brackets included) cannot repeat a key or nest deeper than
 * that one. Undefined when it cannot tell (the strict readers then decide and word the refusal).
 */
export async function plainJsonLines(
  path: string,
  passes: (line: Buffer) => boolean,
  range?: ByteRange,
): Promise<number | undefined> {
  const scan = lineScan();
  let template = 0;
  const plain = await everyWindow(path, scan, range, (window) => {
    if (!isUtf8(window)) return false;
    for (let p = 0; ; ) {
      const status = scan.jsonLines(p, window.length, template);
      if (status === 0) return true;
      if (status === 2) return false;
      const [at, next] = [scan.at.value, scan.next.value];
      if (!passes(window.subarray(at, next - 1))) return false;
      template = scan.jsonKeys(at, next);
      p = next;
    }
  });
  return plain ? scan.rows.value : undefined;
}

// A file this big is scanned in parts at once, one a core (up to MAX_PARTS), each but the first in
// a worker thread: DuckDB reads it on every core too, and a worker costs ~40 ms to start.
const SPLIT_BYTES = 64 << 20;
const MAX_PARTS = 4;

/**
 * plainJsonLines of the whole file with validateDataFile's strict check of a line, a big file in
 * `parts` line-aligned ranges at once: the first here, the others in worker threads
 * (line-scan-worker.ts). Undefined when any part cannot tell, or a worker fails.
 */
export async function plainJsonLinesInParts(path: string, parts?: number): Promise<number | undefined> {
  const { size } = statSync(path);
  const n = parts ?? Math.min(MAX_PARTS, availableParallelism(), Math.ceil(size / SPLIT_BYTES));
  const ranges = n > 1 ? lineAlignedRanges(path, size, n) : undefined;
  if (!ranges) return plainJsonLines(path, jsonLinePasses);
  const counts = await Promise.all([
    plainJsonLines(path, jsonLinePasses, ranges[0]),
    ...ranges.slice(1).map((range) => inWorker(path, range)),
  ]);
  return counts.some((n) => n === undefined) ? undefined : counts.reduce((a, n) => a! + n!, 0);
}

/** `parts` ranges of about equal size, each starting at a line's start; undefined when a cut falls in a line over WINDOW bytes. */
function lineAlignedRanges(path: string, size: number, parts: number): ByteRange[] | undefined {
  const fd = openSync(path, 'r');
  try {
    const cuts = [0];
    const buf = Buffer.alloc(WINDOW);
    for (let k = 1; k < parts; k++) {
      const guess = Math.max(Math.floor((size * k) / parts), cuts.at(-1)!);
      // the line feed before the cut's line start may be the byte just before the guess
      const n = readSync(fd, buf, 0, WINDOW, Math.max(0, guess - 1));
      const lf = buf.subarray(0, n).indexOf(10);
      if (lf === -1) return undefined;
      cuts.push(Math.max(0, guess - 1) + lf + 1);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((from, k) => ({ from, to: cuts[k + 1]! }));
  } finally {
    closeSync(fd);
  }
}

/** plainJsonLines of one range in a worker thread (a TypeScript one, under the tests, through tsx). */
function inWorker(path: string, range: ByteRange): Promise<number | undefined> {
  const typescript = __filename.endsWith('.ts');
  return new Promise((resolve) => {
    const worker = new Worker(join(__dirname, `line-scan-worker${typescript ? '.ts' : '.js'}`), {
      workerData: { path, range },
      execArgv: typescript ? ['--require', require.resolve('tsx/cjs')] : [],
    });
    let count: number | undefined;
    worker.once('message', (n: number | null) => {
      count = n ?? undefined;
    });
    // a worker that fails or stops before answering leaves its part to the strict readers
    worker.once('error', () => undefined);
    worker.once('exit', () => resolve(count));
  });
}
