// Certified before served (issue 8 item 1): an upload is staged; personas read only files a successful
// governance run evaluated and promoted. A run that fails — bad ruleset, missing ruleset or reference,
// killed — serves nothing new, `tables` says so, and the next run picks the staged files up again.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEED_DATABASE } from '../../src/app/demo';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import { certifiedLocation, latestRunLocation, tableLocation } from '../../src/governance/keys';
import { seedLake } from '../support/fixtures';
import { track } from '../support/processes';

jest.setTimeout(180_000);

const SEED = join(PROJECT_ROOT, 'samples/seed');
const dir = mkdtempSync(join(tmpdir(), 'certify-'));
const lakeDir = join(dir, 'lake');
const CUSTOMER = `${SEED_DATABASE}.customer`;
const rulesetFile = join(dir, 'customer.dqdl');
const goodRuleset = readFileSync(join(PROJECT_ROOT, 'dqdl/customer.dqdl'), 'utf8');
const governanceFile = join(dir, 'governance.yml');
/** The repo's policy, with the customer table's ruleset and references in the test's folder. */
const writeGovernance = (references: string) =>
  writeFileSync(
    governanceFile,
    readFileSync(join(PROJECT_ROOT, 'governance.yml'), 'utf8')
      .replaceAll('dqdl/', `${PROJECT_ROOT}/dqdl/`)
      .replace(
        '    tables:\n',
        `    tables:\n      customer:\n        ruleset: ${rulesetFile}\n        references: ${references}\n`,
      ),
  );
/** The e-mails in comment1 of customer_v1.csv: served to category2 if v1 were served under v0's tags. */
const V1_COMMENT_EMAILS = /reply to [a-z.]+@example/;

describe('certified before served', () => {
  let lake: LocalLake;
  const open = async () => {
    lake = await LocalLake.open({ lake: lakeDir, governance: governanceFile });
  };
  const rows = async (persona: string, sql = `SELECT * FROM ${CUSTOMER}`) =>
    (await lake.query(persona, sql)).rows;
  const customerStatus = async () => (await lake.tables()).find((t) => t.table === 'customer')!;
  const stagedVersions = async () => {
    const at = tableLocation(lake.services.settings, SEED_DATABASE, 'customer');
    const page = await lake.services.s3.listObjectsV2({ Bucket: at.bucket, Prefix: at.key });
    return (page.Contents ?? []).map((o) => `${o.Key} ${o.ETag}`).sort();
  };

  /** A persona's rows of the table; none when its tags deny the persona the table. */
  const visibleRows = (persona: string) =>
    rows(persona).catch((err: Error) => {
      if (/has no Lake Formation permission/.test(err.message)) return [];
      throw err;
    });

  /**
   * What every failed run must leave: only v0's 20 rows served, and category2 reads none of v1's
   * comment e-mails. (A run killed after ApplyTags has already applied the tags v0+v1 earned —
   * category1 denied — but still serves v0 only.)
   */
  const servesOnlyV0 = async () => {
    expect([0, 20]).toContain((await visibleRows('category1')).length);
    const category2 = await visibleRows('category2');
    expect(category2).toHaveLength(20);
    expect(JSON.stringify(category2)).not.toMatch(V1_COMMENT_EMAILS);
    expect((await customerStatus()).uncertified).toBe(1);
  };

  beforeAll(async () => {
    writeGovernance('{ reference: base }');
    writeFileSync(rulesetFile, goodRuleset);
    // The seed's base and customer_v0 governed (shared, copied to dir/lake) under the repo's policy,
    // which this governance.yml equals until a test changes its ruleset or references.
    await seedLake('v0', dir);
    await open();
  });
  afterAll(async () => {
    await lake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a successful run serves what it evaluated from the certified location, not the staged upload', async () => {
    const status = await customerStatus();
    expect(status.location).toBe(
      `s3://${certifiedLocation(lake.services.settings, SEED_DATABASE, 'customer').bucket}/tables/${CUSTOMER.replace('.', '/')}/`,
    );
    expect(status).toMatchObject({ uncertified: 0, failure: undefined });
    expect(await rows('category1')).toHaveLength(20);
  });

  test('a ruleset with a syntax error: the upload stays staged, nothing new is served, tables shows why', async () => {
    writeFileSync(rulesetFile, 'Rules = [ IsComplete "data_key" ');
    const staged = await stagedVersions();
    const [run] = await lake.ingestTableFile(join(SEED, 'customer_v1.csv'), SEED_DATABASE, 'customer');
    expect(run!.status).toBe('FAILED');
    expect(await stagedVersions()).toHaveLength(staged.length + 1);
    await servesOnlyV0();
    expect((await customerStatus()).failure?.message).toMatch(/customer\.dqdl:\d+:\d+: .*fix the ruleset/);
  });

  test('a missing ruleset file: nothing new is served', async () => {
    unlinkSync(rulesetFile);
    const run = await lake.start('govern-table', { database: SEED_DATABASE, table: 'customer' });
    expect(run.status).toBe('FAILED');
    await servesOnlyV0();
    expect((await customerStatus()).failure?.message).toMatch(/customer\.dqdl does not exist/);
  });

  test('a reference table with no data: nothing new is served', async () => {
    writeFileSync(rulesetFile, goodRuleset);
    writeGovernance('{ reference: nosuch }');
    const run = await lake.start('govern-table', { database: SEED_DATABASE, table: 'customer' });
    expect(run.status).toBe('FAILED');
    await servesOnlyV0();
    expect((await customerStatus()).failure?.message).toMatch(
      /reference 'reference' is .*nosuch, which has no data yet/,
    );
    writeGovernance('{ reference: base }');
  });

  test.each(['PromoteFiles', 'EvaluateTable'])(
    'a run killed at %s serves nothing new, also after the lake is reopened',
    async (state) => {
      await lake.close();
      const child = promisify(execFile)(process.execPath, [
        join(__dirname, 'fixtures/ingest-killed-at.js'),
        lakeDir,
        governanceFile,
        join(SEED, 'customer_v1.csv'),
        SEED_DATABASE,
        'customer',
        state,
      ]);
      track(child.child);
      await expect(child).rejects.toMatchObject({ signal: 'SIGKILL', stderr: '' });
      await open();
      await servesOnlyV0();
    },
  );

  test('the next successful run certifies the staged upload; raw stays as uploaded', async () => {
    const staged = await stagedVersions();
    const run = await lake.start('govern-table', { database: SEED_DATABASE, table: 'customer' });
    expect(run.status).toBe('SUCCEEDED');
    expect(await stagedVersions()).toEqual(staged);
    expect(await customerStatus()).toMatchObject({ uncertified: 0, failure: undefined });
    // v1 is served now, under the tags its evaluation decided: comment1 sensitive, quality below 100 %.
    expect(await rows('category2')).toHaveLength(30);
    expect(Object.keys((await rows('category2'))[0]!)).not.toContain('comment1');
    await expect(lake.query('category1', `SELECT * FROM ${CUSTOMER}`)).rejects.toThrow();
  });

  test('a removed upload leaves the certified files only when its run succeeds', async () => {
    const [run] = await lake.removeTableFile(SEED_DATABASE, 'customer', 'customer_v1.csv');
    expect(run!.status).toBe('SUCCEEDED');
    expect(await rows('category2')).toHaveLength(20);
    expect((await customerStatus()).uncertified).toBe(0);
  });

  test('removing the last file of a reference table is refused with one line, nothing removed', async () => {
    const refused = lake.removeTableFile(SEED_DATABASE, 'base', 'base.csv');
    await expect(refused).rejects.toThrow(
      /^base\.csv is the last data file of oktank_autogov_temp\.base; [^\n]+$/,
    );
    expect(await rows('category3', `SELECT * FROM ${SEED_DATABASE}.base`)).toHaveLength(6);
  });

  test('a reference file deleted behind autogov: its run fails, the certified reference still serves and governs', async () => {
    const at = tableLocation(lake.services.settings, SEED_DATABASE, 'base');
    await lake.services.s3.deleteObject({ Bucket: at.bucket, Key: `${at.key}base.csv` });
    await lake.services.drain();
    const base = (await lake.tables()).find((t) => t.table === 'base')!;
    expect(base.failure?.message).toMatch(/no data files/);
    expect(base.uncertified).toBe(1);
    expect(await rows('category3', `SELECT * FROM ${SEED_DATABASE}.base`)).toHaveLength(6);
    const run = await lake.start('govern-table', { database: SEED_DATABASE, table: 'customer' });
    expect(run.status).toBe('SUCCEEDED');
    expect(await rows('category1')).toHaveLength(20);
  });

  test('a damaged run record makes tables refuse with one line naming the file, quoting nothing', async () => {
    const at = latestRunLocation(lake.services.settings, SEED_DATABASE, 'base');
    await lake.services.s3.putObject({
      Bucket: at.bucket,
      Key: at.key,
      Body: '{"score": 1, "x": "secret@example',
    });
    const refused = lake.tables();
    await expect(refused).rejects.toThrow(
      /^s3:\/\/[^ ]+\/runs\/oktank_autogov_temp\/base\/latest\.json: not valid JSON[^\n]*$/,
    );
    await expect(refused).rejects.not.toThrow(/secret/);
  });
});
