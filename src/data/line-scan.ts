import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
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
// VM (bench:hostile: 1.9 GB of JSON lines, 0.9 s of system time in 512 KiB async reads, 0.2 s so).
const PIECE = 128 * 1024;
// …handing the event loop back between pieces now and then, so other work in the process goes on.
const PIECES_BETWEEN_YIELDS = 64;

/**
 * The file's lines, a window of whole lines at a time (the last line given its missing line feed),
 * each window checked by `accept` from the start of the module's memory; false as soon as one is not
 * accepted or a line does not fit in a window.
 */
async function everyWindow(
  path: string,
  scan: LineScan,
  accept: (window: Buffer) => boolean,
): Promise<boolean> {
  const memory = Buffer.from(scan.memory.buffer);
  const fd = openSync(path, 'r');
  try {
    let carried = 0;
    for (let pieces = 1; ; pieces++) {
      if (pieces % PIECES_BETWEEN_YIELDS === 0) await new Promise(setImmediate);
      const bytesRead = readSync(fd, memory, carried, Math.min(PIECE, WINDOW - carried), null);
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
  const plain = await everyWindow(path, scan, (window) => {
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
): Promise<number | undefined> {
  const scan = lineScan();
  let template = 0;
  const plain = await everyWindow(path, scan, (window) => {
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
