import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../src/app/local-lake';
import { LocalGlue } from '../../src/local/glue';
import { LocalLakeFormation } from '../../src/local/lakeformation';
import { LocalS3 } from '../../src/local/s3';
import { readServerless } from '../../src/local/serverless';
import { type Lake, openLake } from '../../src/local/store';
import { rejection, tempDir } from './helpers';

const customerTable = {
  Name: 'Customer',
  StorageDescriptor: {
    Columns: [
      { Name: 'data_key', Type: 'string' },
      { Name: 'customer_name', Type: 'string' },
      { Name: 'customer_email', Type: 'string' },
      { Name: 'comment1', Type: 'string' },
    ],
    Location: 's3://autogov-local-raw/tables/oktank/customer/',
  },
  PartitionKeys: [{ Name: 'data_load_date', Type: 'string' }],
  Parameters: { classification: 'csv' },
};

describe('LocalGlue', () => {
  let tmp: ReturnType<typeof tempDir>;
  let lake: Lake;
  let glue: LocalGlue;

  beforeEach(async () => {
    tmp = tempDir();
    lake = await openLake(tmp.dir);
    glue = await LocalGlue.create(lake, {
      jobs: {
        ok: async () => undefined,
        broken: async (args) => {
          throw new Error(`cannot evaluate ${args['--table']}`);
        },
      },
    });
  });
  afterEach(async () => {
    await lake.close();
    tmp.cleanup();
  });

  it('creates and reads databases and tables with lower-cased names', async () => {
    await glue.createDatabase({ DatabaseInput: { Name: 'OkTank', Description: 'demo' } });
    await glue.createTable({ DatabaseName: 'oktank', TableInput: customerTable });
    const { Table } = await glue.getTable({ DatabaseName: 'OKTANK', Name: 'customer' });
    expect(Table).toMatchObject({
      Name: 'customer',
      DatabaseName: 'oktank',
      Parameters: { classification: 'csv' },
      VersionId: '1',
    });
    expect(Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual([
      'data_key',
      'customer_name',
      'customer_email',
      'comment1',
    ]);
    expect((await glue.getDatabase({ Name: 'oktank' })).Database?.Description).toBe('demo');
    await glue.updateTable({
      DatabaseName: 'oktank',
      TableInput: { ...customerTable, Parameters: { classification: 'json' } },
    });
    const updated = (await glue.getTable({ DatabaseName: 'oktank', Name: 'customer' })).Table;
    expect(updated?.Parameters).toEqual({ classification: 'json' });
    expect(updated?.VersionId).toBe('2');
    await glue.createTable({ DatabaseName: 'oktank', TableInput: { Name: 'base' } });
    const page1 = await glue.getTables({ DatabaseName: 'oktank', MaxResults: 1 });
    const page2 = await glue.getTables({ DatabaseName: 'oktank', MaxResults: 1, NextToken: page1.NextToken });
    expect([...(page1.TableList ?? []), ...(page2.TableList ?? [])].map((t) => t.Name)).toEqual([
      'base',
      'customer',
    ]);
    expect(page2.NextToken).toBeUndefined();
    expect(
      (await glue.getTables({ DatabaseName: 'oktank', Expression: 'cust*' })).TableList?.map((t) => t.Name),
    ).toEqual(['customer']);
  });

  it('throws Glue error codes', async () => {
    expect((await rejection(glue.getDatabase({ Name: 'nope' }))).name).toBe('EntityNotFoundException');
    expect((await rejection(glue.getTable({ DatabaseName: 'nope', Name: 't' }))).name).toBe(
      'EntityNotFoundException',
    );
    await glue.createDatabase({ DatabaseInput: { Name: 'db' } });
    expect((await rejection(glue.createDatabase({ DatabaseInput: { Name: 'DB' } }))).name).toBe(
      'AlreadyExistsException',
    );
    expect((await rejection(glue.getTable({ DatabaseName: 'db', Name: 't' }))).name).toBe(
      'EntityNotFoundException',
    );
    await glue.createTable({ DatabaseName: 'db', TableInput: { Name: 't' } });
    expect((await rejection(glue.createTable({ DatabaseName: 'db', TableInput: { Name: 'T' } }))).name).toBe(
      'AlreadyExistsException',
    );
    expect((await rejection(glue.updateTable({ DatabaseName: 'db', TableInput: { Name: 'u' } }))).name).toBe(
      'EntityNotFoundException',
    );
    expect((await rejection(glue.createTable({ DatabaseName: 'db', TableInput: { Name: '' } }))).name).toBe(
      'InvalidInputException',
    );
    expect((await rejection(glue.startJobRun({ JobName: 'unknown' }))).name).toBe('EntityNotFoundException');
  });

  it('runs local jobs: SUCCEEDED, or FAILED with the error message', async () => {
    const ok = await glue.startJobRun({ JobName: 'ok', Arguments: { '--table': 't' } });
    expect(ok.JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
    expect((await glue.waitForJobRun('ok', ok.JobRunId!)).JobRunState).toBe('SUCCEEDED');
    const bad = await glue.startJobRun({ JobName: 'broken', Arguments: { '--table': 'customer' } });
    await glue.drain();
    const run = (await glue.getJobRun({ JobName: 'broken', RunId: bad.JobRunId })).JobRun;
    expect(run).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'cannot evaluate customer' });
    expect(run?.CompletedOn).toBeInstanceOf(Date);
  });

  it('marks runs left RUNNING by an exited process as FAILED on re-open', async () => {
    let release!: () => void;
    glue.registerJob('slow', () => new Promise<void>((r) => (release = r)));
    const { JobRunId } = await glue.startJobRun({ JobName: 'slow' });
    expect((await glue.getJobRun({ JobName: 'slow', RunId: JobRunId })).JobRun?.JobRunState).toBe('RUNNING');
    // a second emulator on the same lake stands for the next CLI process
    const next = await LocalGlue.create(lake);
    const run = (await next.getJobRun({ JobName: 'slow', RunId: JobRunId })).JobRun;
    expect(run?.JobRunState).toBe('FAILED');
    expect(run?.ErrorMessage).toMatch(/exited/);
    release();
    await glue.drain();
  });
});

describe('LocalGlue job concurrency', () => {
  test("refuses a run beyond the job's MaxConcurrentRuns, as Glue does, and takes it once a run ended", async () => {
    const tmp = tempDir();
    const lake = await openLake(tmp.dir);
    try {
      const releases: (() => void)[] = [];
      const glue = await LocalGlue.create(lake, {
        jobs: { job: () => new Promise<void>((r) => releases.push(r)) },
        maxConcurrentRuns: { job: 2 },
      });
      const first = await glue.startJobRun({ JobName: 'job' });
      await glue.startJobRun({ JobName: 'job' });
      const refused = await rejection(glue.startJobRun({ JobName: 'job' }));
      expect(refused).toMatchObject({ name: 'ConcurrentRunsExceededException' });
      expect(refused.message).toBe('Concurrent runs exceeded for job');
      releases[0]!();
      expect((await glue.waitForJobRun('job', first.JobRunId!)).JobRunState).toBe('SUCCEEDED');
      await expect(glue.startJobRun({ JobName: 'job' })).resolves.toHaveProperty('JobRunId');
      for (const release of releases) release();
      await glue.drain();
    } finally {
      await lake.close();
      tmp.cleanup();
    }
  });

  test("the stack's govern-table job allows the MaxConcurrentRuns serverless.yml gives it", () => {
    expect(readServerless(PROJECT_ROOT).glueJobConcurrency).toEqual({ GovernTableJob: 20 });
  });
});

describe('LocalLakeFormation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let lake: Lake;
  let lf: LocalLakeFormation;
  const table = { Table: { DatabaseName: 'oktank', Name: 'customer' } };
  const columns = (...names: string[]) => ({
    TableWithColumns: { DatabaseName: 'oktank', Name: 'customer', ColumnNames: names },
  });

  beforeEach(async () => {
    tmp = tempDir();
    lake = await openLake(tmp.dir);
    const glue = await LocalGlue.create(lake);
    await glue.createDatabase({ DatabaseInput: { Name: 'oktank' } });
    await glue.createTable({ DatabaseName: 'oktank', TableInput: customerTable });
    lf = new LocalLakeFormation(lake);
    await lf.createLFTag({ TagKey: 'tbl_class', TagValues: ['sensitive', 'public'] });
    await lf.createLFTag({ TagKey: 'col_class', TagValues: ['sensitive', 'public'] });
    await lf.createLFTag({
      TagKey: 'DQ_tag',
      TagValues: ['DQ100', 'DQ90', 'DQ80_90', 'DQ50_80', 'DQ_LT_50'],
    });
    await lf.createLFTag({ TagKey: 'owner', TagValues: ['finance', 'sales'] });
  });
  afterEach(async () => {
    await lake.close();
    tmp.cleanup();
  });

  it('stores keys and values lower-cased and manages values', async () => {
    expect(await lf.getLFTag({ TagKey: 'DQ_TAG' })).toMatchObject({
      TagKey: 'dq_tag',
      TagValues: ['dq100', 'dq90', 'dq80_90', 'dq50_80', 'dq_lt_50'],
    });
    expect((await rejection(lf.createLFTag({ TagKey: 'Owner', TagValues: ['x'] }))).name).toBe(
      'AlreadyExistsException',
    );
    expect((await rejection(lf.getLFTag({ TagKey: 'nope' }))).name).toBe('EntityNotFoundException');
    await lf.updateLFTag({ TagKey: 'owner', TagValuesToAdd: ['HR'], TagValuesToDelete: ['sales'] });
    expect((await lf.getLFTag({ TagKey: 'owner' })).TagValues).toEqual(['finance', 'hr']);
    expect((await lf.listLFTags({})).LFTags?.map((t) => t.TagKey)).toEqual([
      'col_class',
      'dq_tag',
      'owner',
      'tbl_class',
    ]);
    const tooMany = Array.from({ length: 51 }, (_, i) => `v${i}`);
    expect((await rejection(lf.createLFTag({ TagKey: 'big', TagValues: tooMany }))).name).toBe(
      'InvalidInputException',
    );
    expect((await rejection(lf.createLFTag({ TagKey: 'bad key!', TagValues: ['x'] }))).name).toBe(
      'InvalidInputException',
    );
  });

  it('assigns one value per key: adding a new value replaces, other keys stay untouched', async () => {
    await lf.addLFTagsToResource({ Resource: table, LFTags: [{ TagKey: 'owner', TagValues: ['finance'] }] });
    const r1 = await lf.addLFTagsToResource({
      Resource: table,
      LFTags: [
        { TagKey: 'TBL_CLASS', TagValues: ['Sensitive'] },
        { TagKey: 'dq_tag', TagValues: ['DQ100'] },
      ],
    });
    expect(r1.Failures).toEqual([]);
    await lf.addLFTagsToResource({ Resource: table, LFTags: [{ TagKey: 'dq_tag', TagValues: ['dq90'] }] });
    const got = await lf.getResourceLFTags({ Resource: table, ShowAssignedLFTags: true });
    expect(got.LFTagsOnTable?.map((t) => [t.TagKey, t.TagValues])).toEqual([
      ['dq_tag', ['dq90']],
      ['owner', ['finance']],
      ['tbl_class', ['sensitive']],
    ]);
    await lf.removeLFTagsFromResource({
      Resource: table,
      LFTags: [{ TagKey: 'dq_tag', TagValues: ['dq90'] }],
    });
    const after = await lf.getResourceLFTags({ Resource: table, ShowAssignedLFTags: true });
    expect(after.LFTagsOnTable?.map((t) => t.TagKey)).toEqual(['owner', 'tbl_class']);
  });

  it('reports unknown keys, invalid values and multiple values in Failures, applying the rest', async () => {
    const res = await lf.addLFTagsToResource({
      Resource: table,
      LFTags: [
        { TagKey: 'nope', TagValues: ['x'] },
        { TagKey: 'tbl_class', TagValues: ['secret'] },
        { TagKey: 'col_class', TagValues: ['public', 'sensitive'] },
        { TagKey: 'owner', TagValues: ['sales'] },
      ],
    });
    expect(res.Failures?.map((f) => [f.LFTag?.TagKey, f.Error?.ErrorCode])).toEqual([
      ['nope', 'InvalidInputException'],
      ['tbl_class', 'InvalidInputException'],
      ['col_class', 'InvalidInputException'],
    ]);
    const got = await lf.getResourceLFTags({ Resource: table, ShowAssignedLFTags: true });
    expect(got.LFTagsOnTable?.map((t) => t.TagKey)).toEqual(['owner']);
    const removal = await lf.removeLFTagsFromResource({
      Resource: table,
      LFTags: [{ TagKey: 'owner', TagValues: ['finance'] }],
    });
    expect(removal.Failures?.[0]?.Error?.ErrorCode).toBe('InvalidInputException');
  });

  it('throws EntityNotFoundException for a missing database, table or column; rejects ColumnWildcard', async () => {
    const tag = [{ TagKey: 'col_class', TagValues: ['public'] }];
    expect(
      (await rejection(lf.addLFTagsToResource({ Resource: { Database: { Name: 'nope' } }, LFTags: tag })))
        .name,
    ).toBe('EntityNotFoundException');
    expect(
      (
        await rejection(
          lf.addLFTagsToResource({
            Resource: { Table: { DatabaseName: 'oktank', Name: 'nope' } },
            LFTags: tag,
          }),
        )
      ).name,
    ).toBe('EntityNotFoundException');
    const missingColumn = await rejection(
      lf.addLFTagsToResource({ Resource: columns('data_key', 'ghost'), LFTags: tag }),
    );
    expect(missingColumn.name).toBe('EntityNotFoundException');
    // nothing was applied to data_key either: the call is all or nothing for resource errors
    const got = await lf.getResourceLFTags({ Resource: columns('data_key'), ShowAssignedLFTags: true });
    expect(got.LFTagsOnColumns).toEqual([{ Name: 'data_key', LFTags: [] }]);
    const wildcard = await rejection(
      lf.addLFTagsToResource({
        Resource: { TableWithColumns: { DatabaseName: 'oktank', Name: 'customer', ColumnWildcard: {} } },
        LFTags: tag,
      }),
    );
    expect(wildcard).toMatchObject({ name: 'InvalidInputException', message: 'Must provide column names' });
  });

  it('tags columns and reports inherited values unless ShowAssignedLFTags', async () => {
    await lf.addLFTagsToResource({
      Resource: { Database: { Name: 'oktank' } },
      LFTags: [{ TagKey: 'owner', TagValues: ['finance'] }],
    });
    await lf.addLFTagsToResource({
      Resource: table,
      LFTags: [
        { TagKey: 'tbl_class', TagValues: ['sensitive'] },
        { TagKey: 'col_class', TagValues: ['public'] },
      ],
    });
    await lf.addLFTagsToResource({
      Resource: columns('Customer_Name', 'customer_email'),
      LFTags: [{ TagKey: 'col_class', TagValues: ['sensitive'] }],
    });
    await lf.addLFTagsToResource({
      Resource: columns('data_key'),
      LFTags: [{ TagKey: 'owner', TagValues: ['sales'] }],
    });

    const effective = await lf.getResourceLFTags({ Resource: table });
    const flat = (tags: { TagKey?: string; TagValues?: string[] }[] | undefined) =>
      Object.fromEntries((tags ?? []).map((t) => [t.TagKey, t.TagValues?.[0]]));
    expect(flat(effective.LFTagOnDatabase)).toEqual({ owner: 'finance' });
    expect(flat(effective.LFTagsOnTable)).toEqual({
      owner: 'finance',
      tbl_class: 'sensitive',
      col_class: 'public',
    });
    const cols = Object.fromEntries((effective.LFTagsOnColumns ?? []).map((c) => [c.Name, flat(c.LFTags)]));
    expect(cols).toEqual({
      data_key: { owner: 'sales', tbl_class: 'sensitive', col_class: 'public' },
      customer_name: { owner: 'finance', tbl_class: 'sensitive', col_class: 'sensitive' },
      customer_email: { owner: 'finance', tbl_class: 'sensitive', col_class: 'sensitive' },
      comment1: { owner: 'finance', tbl_class: 'sensitive', col_class: 'public' },
      data_load_date: { owner: 'finance', tbl_class: 'sensitive', col_class: 'public' },
    });

    const assigned = await lf.getResourceLFTags({
      Resource: columns('customer_name', 'comment1'),
      ShowAssignedLFTags: true,
    });
    expect(flat(assigned.LFTagsOnTable)).toEqual({ tbl_class: 'sensitive', col_class: 'public' });
    expect(assigned.LFTagsOnColumns?.map((c) => [c.Name, flat(c.LFTags)])).toEqual([
      ['customer_name', { col_class: 'sensitive' }],
      ['comment1', {}],
    ]);
    // column tags survive a re-open (new process)
    await lake.close();
    lake = await openLake(tmp.dir);
    lf = new LocalLakeFormation(lake);
    const again = await lf.getResourceLFTags({
      Resource: columns('customer_email'),
      ShowAssignedLFTags: true,
    });
    expect(again.LFTagsOnColumns?.[0]?.LFTags?.[0]).toMatchObject({
      TagKey: 'col_class',
      TagValues: ['sensitive'],
    });
  });

  it('deleting a tag value also removes its assignments', async () => {
    await lf.addLFTagsToResource({ Resource: table, LFTags: [{ TagKey: 'owner', TagValues: ['sales'] }] });
    await lf.updateLFTag({ TagKey: 'owner', TagValuesToDelete: ['sales'] });
    const got = await lf.getResourceLFTags({ Resource: table, ShowAssignedLFTags: true });
    expect(got.LFTagsOnTable).toEqual([]);
  });
});

describe('local-only helpers', () => {
  it('lists databases and gives the file behind an object', async () => {
    const tmp = tempDir();
    const lake = await openLake(tmp.dir);
    try {
      const glue = await LocalGlue.create(lake);
      await glue.createDatabase({ DatabaseInput: { Name: 'b_db' } });
      await glue.createDatabase({ DatabaseInput: { Name: 'a_db' } });
      expect((await glue.getDatabases({})).DatabaseList?.map((d) => d.Name)).toEqual(['a_db', 'b_db']);
      const s3 = new LocalS3(lake);
      await s3.createBucket('raw-bucket');
      const v1 = await s3.putObject({ Bucket: 'raw-bucket', Key: 'tables/a_db/t/1.csv', Body: 'one' });
      await s3.putObject({ Bucket: 'raw-bucket', Key: 'tables/a_db/t/1.csv', Body: 'two' });
      expect(readFileSync(await s3.localPath('raw-bucket', 'tables/a_db/t/1.csv'), 'utf8')).toBe('two');
      expect(
        readFileSync(await s3.localPath('raw-bucket', 'tables/a_db/t/1.csv', v1.VersionId), 'utf8'),
      ).toBe('one');
    } finally {
      await lake.close();
      tmp.cleanup();
    }
  });
});
