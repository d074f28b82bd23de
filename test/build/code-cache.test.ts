import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { requireCached, writeCodeCache } from '../../src/code-cache';

// A bundled package as the build leaves it in dist/vendor/: CommonJS with its own require and __dirname.
const PACKAGE = `
const { sep } = require('node:path');
module.exports = { answer: 6 * 7, dir: __dirname, file: __filename, sep, self: typeof module.exports };
`;

describe('bundled packages load with a V8 code cache (src/code-cache.ts)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    file = join(dir, 'pkg.bundle.js');
    writeFileSync(file, PACKAGE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const expected = () => ({ answer: 42, dir, file, sep: '/', self: 'object' });

  test('without a cache the package loads as require would load it', () => {
    expect(requireCached(file)).toEqual(expected());
  });

  test('the build step writes a cache V8 accepts for that same code', () => {
    writeCodeCache(file);
    const cache = join(dir, 'pkg.bundle.v8cache');
    expect(existsSync(cache)).toBe(true);
    // the cache file is the SHA-256 of the source (32 bytes), then V8's cache
    const cachedData = readFileSync(cache).subarray(32);
    const script = new Script(Module.wrap(PACKAGE), { filename: file, cachedData });
    expect(script.cachedDataRejected).toBe(false);
    expect(requireCached(file)).toEqual(expected());
  });

  test('a cache V8 refuses (damaged, another Node) only costs the compile: same exports', () => {
    writeFileSync(join(dir, 'pkg.bundle.v8cache'), 'not a code cache');
    expect(requireCached(file)).toEqual(expected());
  });

  test('a cache made from other code of the same length is not used: the current code runs', () => {
    writeCodeCache(file);
    writeFileSync(file, PACKAGE.replace('6 * 7', '6 * 8'));
    expect(requireCached(file)).toEqual({ ...expected(), answer: 48 });
  });
});
