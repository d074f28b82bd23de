// Reads never wait for writes (issue 8 item 5): while another process ingests (here held inside its
// Glue job, as a 300 MB file holds it for minutes), `tables`, `tags`, `access` and `query` answer from
// the last committed state; once the ingest commits they see its result.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SEED_DATABASE } from '../../src/app/demo';
import { PROJECT_ROOT } from '../../src/app/local-lake';
import { autogovInProcess } from '../support/cli';
import { seedLake } from '../support/fixtures';
import { track } from '../support/processes';

jest.setTimeout(180_000);

const SEED = join(PROJECT_ROOT, 'samples/seed');
const GOVERNANCE = join(PROJECT_ROOT, 'governance.yml');
const dir = mkdtempSync(join(tmpdir(), 'reads-during-ingest-'));
const lakeDir = join(dir, 'lake');
const CUSTOMER = `${SEED_DATABASE}.customer`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('tables, tags, access and query answer while another process ingests, then see what it committed', async () => {
  await seedLake('v0', dir); // base and customer_v0 ingested, at lakeDir

  const ingest = spawn(
    process.execPath,
    [
      join(__dirname, 'fixtures/ingest-paused-in-job.js'),
      lakeDir,
      GOVERNANCE,
      join(SEED, 'customer_v1.csv'),
      SEED_DATABASE,
      'customer',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  track(ingest);
  const lines = createInterface({ input: ingest.stdout! })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe('evaluating');

  const count = async () => {
    const q = await autogovInProcess(
      lakeDir,
      'query',
      '--as',
      'category2',
      '--json',
      `SELECT count(*) AS n FROM ${CUSTOMER}`,
    );
    expect(q).toMatchObject({ code: 0, stderr: '' });
    return Number(JSON.parse(q.stdout).rows[0].n);
  };
  const tables = await autogovInProcess(lakeDir, 'tables', '--json');
  expect(tables.code).toBe(0);
  expect(JSON.parse(tables.stdout).find((t: { table: string }) => t.table === 'customer')).toMatchObject({
    tags: { dq_tag: 'DQ100' },
    uncertified: 1,
  });
  expect(await autogovInProcess(lakeDir, 'tags', CUSTOMER)).toMatchObject({ code: 0 });
  expect(await autogovInProcess(lakeDir, 'access', CUSTOMER, '--as', 'category1')).toMatchObject({ code: 0 });
  expect(await count()).toBe(20);

  ingest.stdin!.write('go\n');
  expect((await lines.next()).value).toBe('SUCCEEDED');
  await new Promise((resolve) => ingest.once('exit', resolve));
  expect(await count()).toBe(30);
});
