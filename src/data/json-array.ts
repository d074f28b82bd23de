import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors';
import { formatOf } from './files';

/**
 * Athena's JSON SerDes (Hive and OpenX) read one JSON object per line; a file holding a JSON array
 * reads as one bad row (docs/table-files.md). So an array is never a raw object: the CLI converts it
 * to JSON lines before it uploads, and a run that finds one staged (put there by other means) fails.
 */
export function jsonArrayRefusal(label: string): string {
  return `${label}: a JSON array, which Athena cannot read (its JSON SerDes take one object per line); convert it to JSON lines (autogov ingest does) and upload that`;
}

/** Whether a .json file holds a JSON array: its first character after a BOM and whitespace is `[`. */
export async function isJsonArrayFile(path: string): Promise<boolean> {
  if (formatOf(path) !== 'json') return false;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').trimStart().startsWith('[');
  } finally {
    await fh.close();
  }
}

/** A table file ready to stage: the user's file, or its JSON lines when it held a JSON array. */
export interface StageableFile {
  path: string;
  /** objects of the JSON array the file held, written one per line; undefined when not converted */
  convertedObjects?: number;
  /** removes the converted copy, if any */
  dispose(): Promise<void>;
}

export async function stageableFile(file: string): Promise<StageableFile> {
  if (!(await isJsonArrayFile(file))) return { path: file, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'autogov-json-'));
  const path = join(dir, basename(file));
  try {
    const convertedObjects = await jsonArrayToLines(file, path);
    return { path, convertedObjects, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Streams a JSON array `[ {…}, … ]` into JSON lines, one element per line, each copied exactly (no
 * value re-encoded, so numbers keep every digit) with the whitespace between tokens dropped. Memory
 * stays bounded by the read chunk. Only the array's shape is checked here (objects, commas, nothing
 * after `]`); each line is then validated like any JSON lines file. Messages name no value.
 */
export async function jsonArrayToLines(src: string, dest: string): Promise<number> {
  const label = basename(src);
  const bad = (what: string) => new UserError(`${label}: not a valid JSON array (${what}); fix the file`);
  let state: 'start' | 'element-or-end' | 'element' | 'comma-or-end' | 'after' = 'start';
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let objects = 0;
  let line = 1;
  async function* convert(source: AsyncIterable<string>): AsyncGenerator<string> {
    let first = true;
    for await (let chunk of source) {
      if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
      let out = '';
      for (const c of chunk) {
        if (c === '\n') line++;
        if (depth > 0) {
          if (inString) {
            out += c;
            if (escaped) escaped = false;
            else if (c === '\\') escaped = true;
            else if (c === '"') inString = false;
            continue;
          }
          if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
          out += c;
          if (c === '"') inString = true;
          else if (c === '{' || c === '[') depth++;
          else if (c === '}' || c === ']') {
            depth--;
            if (depth === 0) {
              out += '\n';
              objects++;
              state = 'comma-or-end';
            }
          }
          continue;
        }
        if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
        if (state === 'start') {
          if (c !== '[') throw bad('it does not start with [');
          state = 'element-or-end';
        } else if ((state === 'element-or-end' || state === 'comma-or-end') && c === ']') state = 'after';
        else if (state === 'comma-or-end') {
          if (c !== ',') throw bad(`line ${line}: a comma or ] expected after element ${objects}`);
          state = 'element';
        } else if (state === 'element' || state === 'element-or-end') {
          if (c !== '{')
            throw bad(`line ${line}: element ${objects + 1} is not an object; a table row is an object`);
          out += c;
          depth = 1;
        } else throw bad(`line ${line}: text after the closing ]`);
      }
      yield out;
    }
    if (state !== 'after') throw bad('it ends before its closing ]');
  }
  await pipeline(createReadStream(src, { encoding: 'utf8' }), convert, createWriteStream(dest));
  if (objects === 0) throw new UserError(`${label}: an empty JSON array; add objects, then try again`);
  return objects;
}
