// Loads a bundled package of the compiled build (dist/vendor/, made by scripts/build.mjs) with the V8
// code cache the build wrote beside it: most of what a big package (zod, DuckDB's JS API) costs at
// start-up is V8 compiling it, which the cache skips. A cache V8 refuses (another Node version, other
// V8 flags) costs only that compile: the code run is the same either way.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const cacheFileOf = (file: string) => file.replace(/\.js$/, '.v8cache');
// V8 checks a cache against the source's length only: a cache of other code of the same length would
// run that code. So the cache file starts with the SHA-256 of the source it was made from.
const HASH_BYTES = 32;
const sha256 = (source: string) => createHash('sha256').update(source).digest();

/** Runs a CommonJS file as `require` would (its own require, module, __dirname) and returns both. */
function run(source: string, file: string, cachedData?: Buffer): { script: Script; exports: unknown } {
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return { script, exports: module.exports };
}

/** The exports of a bundled package, compiled from its code cache when V8 accepts it. */
export function requireCached(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFileOf(file));
  } catch {
    // no cache (a build that could not write one): compile as require would
  }
  const current = cached?.subarray(0, HASH_BYTES).equals(sha256(source));
  return run(source, file, current ? cached!.subarray(HASH_BYTES) : undefined).exports;
}

/** Build step: runs the bundle once, so the cache also holds the functions its start-up compiled. */
export function writeCodeCache(file: string): void {
  const source = readFileSync(file, 'utf8');
  writeFileSync(
    cacheFileOf(file),
    Buffer.concat([sha256(source), run(source, file).script.createCachedData()]),
  );
}
