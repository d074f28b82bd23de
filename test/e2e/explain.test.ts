import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autogovInProcess, type CliResult, ROOT } from '../support/cli';
import { seedLake } from '../support/fixtures';

const SEED = join(ROOT, 'samples/seed');
const TABLE = 'oktank_autogov_temp.customer';

const ok = (r: CliResult) => {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
};

describe('autogov explain: why a table and its columns carry their tags', () => {
  let lake: string;

  // The seed's base, customer_v0 and customer_v1 ingested (shared, copied for this file).
  beforeAll(async () => {
    lake = await seedLake('v1');
  });

  test("after the seed's second file, comment1 is sensitive because names and emails were found in it above the threshold", async () => {
    const out = ok(await autogovInProcess(lake, 'explain', `${TABLE}.comment1`));
    expect(out).toMatch(/comment1 {2}col_class=sensitive {2}— detected EMAIL, PERSON_NAME/);
    expect(out).toMatch(/EMAIL: [\d.]+ % of sampled cells \(threshold 10 %\)/);
    expect(out).toMatch(/PERSON_NAME: [\d.]+ % of sampled cells \(threshold 10 %\)/);
    expect(out).not.toMatch(/customer_name/); // one column asked, one column shown
  });

  test('the evidence shows the detectors, the cell counts and redacted examples, never a raw value', async () => {
    const out = ok(await autogovInProcess(lake, 'explain', `${TABLE}.comment1`));
    expect(out).toMatch(/EMAIL: .*\n {4}\d+ of \d+ cells matched; detectors: email-regex\n/);
    expect(out).toMatch(/PERSON_NAME: .*\n {4}\d+ of \d+ cells matched; detectors: name-lists/);
    const examples = [...out.matchAll(/examples \(redacted\): (.*)/g)].map((m) => m[1]!.split(' · '));
    expect(examples).toHaveLength(2);
    for (const shown of examples.flat()) expect(shown).toMatch(/^[\p{L}*]+(?:[ @.][\p{L}*]+)*$/u);
    expect(examples[0]![0]).toMatch(/^\p{L}\*+@\p{L}\*+\.(com|net|org)$/u);
    const raw = readFileSync(join(SEED, 'customer_v1.csv'), 'utf8');
    expect(out).not.toContain('Thompson');
    for (const email of raw.match(/[\w.+-]+@[\w.-]+/g) ?? []) expect(out).not.toContain(email);
    const e = JSON.parse(ok(await autogovInProcess(lake, 'explain', `${TABLE}.comment1`, '--json')));
    expect(e.columns.comment1.entities[0].evidence).toMatchObject({
      detectors: ['email-regex'],
      threshold: 0.1,
      examples: expect.arrayContaining([expect.stringMatching(/\*/)]),
    });
  });

  test('the table is DQ50_80 because ReferentialIntegrity failed: 3 of 4 rules, failed rules listed first, with the run', async () => {
    const e = JSON.parse(ok(await autogovInProcess(lake, 'explain', TABLE, '--json')));
    expect(e.tags).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ50_80' });
    expect(e.quality).toMatchObject({ score: 0.75, passed: 3, total: 4 });
    expect(e.quality.rules.map((r: { outcome: string }) => r.outcome)).toEqual([
      'FAIL',
      'PASS',
      'PASS',
      'PASS',
    ]);
    expect(e.quality.rules[0].rule).toMatch(/^ReferentialIntegrity/);
    expect(e.runId).toEqual(expect.any(String));
    expect(Date.parse(e.evaluatedAt)).not.toBeNaN();
    expect(e.columns.customer_phone).toMatchObject({
      tags: { col_class: 'public' },
      reason: 'no sensitive entities detected',
      entities: [],
    });
  });

  test('autogov history lists each run oldest first: DQ100 with name and email sensitive, then DQ50_80 with comment1 too', async () => {
    const runs = JSON.parse(ok(await autogovInProcess(lake, 'history', TABLE, '--json')));
    expect(
      runs.map((r: { score: number; dqTag: string; sensitiveColumns: string[] }) => [
        r.score,
        r.dqTag,
        r.sensitiveColumns,
      ]),
    ).toEqual([
      [1, 'DQ100', ['customer_name', 'customer_email']],
      [0.75, 'DQ50_80', ['customer_name', 'customer_email', 'comment1']],
    ]);
  });

  test('a declassified column shows who declassified it, when and why', async () => {
    ok(
      await autogovInProcess(
        lake,
        'declassify',
        `${TABLE}.comment1`,
        '--reason',
        'test data, reviewed',
        '--yes',
      ),
    );
    const e = JSON.parse(ok(await autogovInProcess(lake, 'explain', `${TABLE}.comment1`, '--json')));
    expect(e.columns.comment1).toMatchObject({
      tags: { col_class: 'public' },
      reason: 'declassified: test data, reviewed',
      override: { reason: 'test data, reviewed', at: expect.any(String) },
    });
  });

  test('declassifying a public column is refused and records no override', async () => {
    const r = await autogovInProcess(lake, 'declassify', `${TABLE}.customer_phone`, '--reason', 'looks fine');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `autogov: ${TABLE}.customer_phone is not sensitive; there is nothing to declassify`,
    );
    const e = JSON.parse(ok(await autogovInProcess(lake, 'explain', `${TABLE}.customer_phone`, '--json')));
    expect(e.columns.customer_phone.override).toBeUndefined();
  });

  test('a column the table does not have is one clear line naming its columns', async () => {
    const r = await autogovInProcess(lake, 'explain', `${TABLE}.nosuch`);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/has no column nosuch; its columns: data_key/);
  });
});
