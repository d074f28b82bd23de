import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderQuality, renderTags } from '../../src/cli/render';
import { autogovInProcess } from '../support/cli';
import { type DemoUseCase, demoLake } from '../support/fixtures';

const ALL = [
  'data_key',
  'data_load_date',
  'data_location',
  'customer_name',
  'customer_email',
  'customer_phone',
  'comment1',
];
const PUBLIC_V0 = ['data_key', 'data_load_date', 'data_location', 'customer_phone', 'comment1'];

describe('the seed scenario, run locally through the state machine', () => {
  let useCases: DemoUseCase[];
  // What `autogov demo --json` printed (shared: run once for the test files that need the demo).
  beforeAll(async () => {
    ({ useCases } = await demoLake());
  });

  const colClass = (u: DemoUseCase) =>
    Object.fromEntries(Object.entries(u.tags.columns).map(([c, t]) => [c, t.col_class]));

  test('use case 1: PII in name and email → sensitive table at DQ100; category 1 sees all, 2 the public columns, 3 nothing', () => {
    const u = useCases[0]!;
    expect(u.tags.table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ100' });
    expect(u.quality).toMatchObject({ score: 1, passed: 4, total: 4, failed: [] });
    expect(colClass(u)).toEqual({
      data_key: 'public',
      data_load_date: 'public',
      data_location: 'public',
      customer_name: 'sensitive',
      customer_email: 'sensitive',
      customer_phone: 'public',
      comment1: 'public',
    });
    expect(u.access).toEqual({
      category1: { allowed: true, columns: ALL },
      category2: { allowed: true, columns: PUBLIC_V0 },
      category3: { allowed: false, columns: [] },
    });
  });

  test('use case 2, as the seed post reports it: ReferentialIntegrity fails, 3 of 4 rules pass (75 %) → DQ50_80; comment1 sensitive; category 1 loses access', () => {
    const u = useCases[1]!;
    expect(u.tags.table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ50_80' });
    expect(u.quality).toMatchObject({ score: 0.75, passed: 3, total: 4, tag: 'DQ50_80' });
    expect(u.quality.failed.map((f) => f.rule)).toEqual([
      'ReferentialIntegrity "data_location" "reference.data_location" = 1.0',
    ]);
    expect(u.tags.columns.comment1).toEqual({ col_class: 'sensitive' });
    expect(u.access.category1).toEqual({ allowed: false, columns: [] });
    expect(u.access.category2).toEqual({
      allowed: true,
      columns: PUBLIC_V0.filter((c) => c !== 'comment1'),
    });
    expect(u.access.category3).toEqual({ allowed: false, columns: [] });
  });

  test('use case 3: the fixed file brings DQ100 back and category 1 regains access; comment1 stays sensitive', () => {
    const u = useCases[2]!;
    expect(u.tags.table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ100' });
    expect(u.tags.columns.comment1).toEqual({ col_class: 'sensitive' });
    expect(u.access.category1).toEqual({ allowed: true, columns: ALL });
    expect(u.access.category2?.columns).not.toContain('comment1');
  });

  // The shared fixture ran `demo --json`; the README's `npm start` runs it for people to read.
  test("npm start: `autogov demo` prints each use case's tags, quality and persona access, then where to explore", async () => {
    const r = await autogovInProcess(join(mkdtempSync(join(tmpdir(), 'demo-')), 'lake'), 'demo');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const sections = r.stdout.split('\nUse case ').slice(1);
    expect(sections).toHaveLength(useCases.length);
    sections.forEach((section, i) => {
      const u = useCases[i]!;
      expect(section.startsWith(`${u.name}\n`)).toBe(true);
      expect(section).toContain(renderTags('customer', u.tags));
      expect(section).toContain(renderQuality(u.quality));
      for (const persona of Object.keys(u.access)) expect(section).toMatch(new RegExp(`\\b${persona}\\b`));
    });
    expect(r.stdout).toMatch(
      /\nDone in \d+\.\d s\. Explore it: npx autogov --lake \S+ access oktank_autogov_temp\.customer\n$/,
    );
  });
});
