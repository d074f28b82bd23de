import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInChromium, type Page } from '../support/chromium';
import { autogovInProcess, type CliResult } from '../support/cli';
import { demoLake } from '../support/fixtures';

const TABLE = 'oktank_autogov_temp.customer';
const GREEN = 'rgb(200, 230, 201)';
const RED = 'rgb(255, 205, 210)';

const ok = (r: CliResult) => {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
};

describe("autogov report: the demo lake's static HTML page, as a person sees it in Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  let page: Page;

  beforeAll(async () => {
    // `autogov demo`'s lake (shared, copied to dir/lake).
    const { lake } = await demoLake(dir);
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
    // A run that fails (the table has no data) is recorded and shown.
    const failed = await autogovInProcess(
      lake,
      'start',
      'govern-table',
      '--input',
      '{"database":"oktank_autogov_temp","table":"nosuch"}',
    );
    expect(failed.code).toBe(1);
    expect(ok(await autogovInProcess(lake, 'report', '--out', join(dir, 'out'))).trim()).toBe(
      `report: ${join(dir, 'out', 'index.html')}`,
    );
    page = await openInChromium(join(dir, 'out', 'index.html'));
  }, 300_000);

  afterAll(() => page?.close());

  test('lists each governed table with its tags and score', async () => {
    const rows = await page.evaluate<string[][]>(
      `[...document.querySelectorAll('#tables tbody tr')].map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()))`,
    );
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['oktank_autogov_temp.base', 'dq_tag=DQ100 tbl_class=public', '100 %', '—'],
      [
        'oktank_autogov_temp.customer',
        'dq_tag=DQ100 tbl_class=sensitive',
        '100 %',
        'customer_name, customer_email',
      ],
    ]);
  });

  test("the persona × column matrix shows the seed's three personas, green where a persona sees a column and red where it does not", async () => {
    const matrix = await page.evaluate<{
      head: string[];
      rows: { column: string; cells: string[] }[];
    }>(`(() => {
      const t = document.querySelector('table.matrix[data-table="${TABLE}"]');
      return {
        head: [...t.tHead.rows[0].cells].map(c => c.innerText.trim()),
        rows: [...t.tBodies[0].rows].map(r => ({
          column: r.cells[0].innerText.trim(),
          cells: [...r.cells].slice(2).map(c => getComputedStyle(c).backgroundColor),
        })),
      };
    })()`);
    expect(matrix.head).toEqual(['column', 'LF-Tags', 'category1', 'category2', 'category3']);
    const byColumn = Object.fromEntries(matrix.rows.map((r) => [r.column, r.cells]));
    // DQ100 and sensitive: category1 sees all, category2 the public columns, category3 (public tables only) nothing.
    expect(byColumn['(table)']).toEqual([GREEN, GREEN, RED]);
    expect(byColumn.customer_name).toEqual([GREEN, RED, RED]);
    expect(byColumn.customer_email).toEqual([GREEN, RED, RED]);
    expect(byColumn.customer_phone).toEqual([GREEN, GREEN, RED]);
    expect(byColumn.comment1).toEqual([GREEN, GREEN, RED]); // declassified
  });

  test('the score history chart draws one point per run of customer: 100 %, 75 %, 100 %, 100 %', async () => {
    const label = await page.evaluate<string>(
      `document.querySelector('svg.score-history[data-table="${TABLE}"]').getAttribute('aria-label')`,
    );
    expect(label.replace(/\u00a0/g, ' ')).toBe(`score history of ${TABLE}: 100 %, 75 %, 100 %, 100 %`);
    const dots = await page.evaluate<number>(
      `document.querySelectorAll('svg.score-history[data-table="${TABLE}"] circle').length`,
    );
    expect(dots).toBe(4);
  });

  test('recent failures and declassifications are listed', async () => {
    const text = await page.evaluate<string>('document.body.innerText');
    expect(text).toMatch(/oktank_autogov_temp\.nosuch/);
    expect(text).toMatch(/oktank_autogov_temp\.customer\.comment1\s+\S+\s+test data, reviewed/);
    expect(text).not.toMatch(/No failed governance runs|No declassified columns/);
  });
});
