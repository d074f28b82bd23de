import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lake } from '../../src/local/store';

// A lost or corrupt catalog is refused with one line naming the fix, never silently recreated empty.
describe('the local catalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a lake whose catalog.duckdb was deleted while objects remain is refused', async () => {
    const root = join(dir, 'lost');
    await (await Lake.open(root)).close();
    writeFileSync(join(root, 's3', 'marker'), 'x');
    rmSync(join(root, 'catalog.duckdb'));
    await expect(Lake.open(root)).rejects.toThrow(
      /^[^\n]*catalog\.duckdb is missing but the lake holds objects; run `autogov catalog rebuild`/,
    );
  });

  test('a corrupt catalog.duckdb is refused, naming the file', async () => {
    const root = join(dir, 'corrupt');
    await (await Lake.open(root)).close();
    writeFileSync(join(root, 'catalog.duckdb'), 'not a database');
    await expect(Lake.open(root)).rejects.toThrow(
      /catalog\.duckdb is not a readable DuckDB catalog \(corrupt\)/,
    );
  });

  test('a new lake folder still starts empty', async () => {
    await expect(Lake.open(join(dir, 'fresh')).then((l) => l.close())).resolves.toBeUndefined();
  });
});
