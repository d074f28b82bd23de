import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { autogovInProcess, type CliResult, ROOT } from '../support/cli';
import { seedLake } from '../support/fixtures';

const SEED = join(ROOT, 'samples/seed');
const TABLE = 'oktank_autogov_temp.customer';

const ok = (r: CliResult) => {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
};

/** Every stored object and record of the lake, by content (the DuckDB catalog is compared through the CLI). */
function objects(lake: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('catalog.duckdb'))
        out[relative(lake, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(lake);
  return out;
}

describe('autogov plan: what a change would do to tags and persona access, applying nothing', () => {
  let lake: string;
  const state = async () => ({
    objects: objects(lake),
    tables: JSON.parse(ok(await autogovInProcess(lake, 'tables', '--json'))),
    tags: JSON.parse(ok(await autogovInProcess(lake, 'tags', TABLE, '--json'))),
  });

  // The seed's base and customer_v0 ingested (shared, copied for this file).
  beforeAll(async () => {
    lake = await seedLake('v0');
  });

  test("the seed's second file: comment1 turns sensitive, dq_tag DQ50_80, category1 loses the table, category2 loses comment1 — and nothing changes", async () => {
    const before = await state();
    const out = JSON.parse(
      ok(await autogovInProcess(lake, 'plan', join(SEED, 'customer_v1.csv'), '--table', TABLE, '--json')),
    );
    expect(out.applied).toBe(false);
    expect(out.plan).toHaveLength(1);
    const [p] = out.plan;
    expect(p).toMatchObject({
      database: 'oktank_autogov_temp',
      table: 'customer',
      score: 0.75,
      dqTag: 'DQ50_80',
    });
    expect(p.tagChanges).toEqual(
      expect.arrayContaining([
        { column: 'comment1', key: 'col_class', from: 'public', to: 'sensitive' },
        { key: 'dq_tag', from: 'DQ100', to: 'DQ50_80' },
      ]),
    );
    expect(p.tagChanges).toHaveLength(2);
    expect(p.access).toEqual({
      category1: { table: 'lost', columnsGained: [], columnsLost: expect.arrayContaining(['comment1']) },
      category2: { columnsGained: [], columnsLost: ['comment1'] },
      category3: { columnsGained: [], columnsLost: [] },
    });
    expect(p.widens).toBe(false);
    expect(await state()).toEqual(before);
  });

  test('ingest --plan prints the same plan for people and places nothing', async () => {
    const before = await state();
    const out = ok(
      await autogovInProcess(lake, 'ingest', join(SEED, 'customer_v1.csv'), '--table', TABLE, '--plan'),
    );
    expect(out).toMatch(/oktank_autogov_temp\.customer: score 75 % → DQ50_80/);
    expect(out).toMatch(/comment1 +│ col_class +│ public → sensitive/);
    expect(out).toMatch(/category1 +│ loses the table/);
    expect(out).toMatch(/category2 +│ loses comment1/);
    expect(out).toMatch(/Plan only: nothing was applied\./);
    expect(await state()).toEqual(before);
  });

  test('a change that widens access is refused without --yes, naming who gains what; with --yes it is applied', async () => {
    ok(await autogovInProcess(lake, 'ingest', join(SEED, 'customer_v1.csv'), '--table', TABLE));
    const before = await state();
    // Removing the bad file brings the score back: category1 regains the table.
    const refused = await autogovInProcess(lake, 'remove', TABLE, 'customer_v1.csv');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `autogov: this change widens access (category1 gains the table (data_key, data_load_date, data_location, customer_name, customer_email, customer_phone, comment1) of ${TABLE}); review it with --plan and rerun with --yes`,
    );
    expect(await state()).toEqual(before);
    ok(await autogovInProcess(lake, 'remove', TABLE, 'customer_v1.csv', '--yes'));
    expect(JSON.parse(ok(await autogovInProcess(lake, 'tags', TABLE, '--json'))).table.dq_tag).toBe('DQ100');
  });
});
