// `autogov tags … --stage NAME` reads a deployed stage with real SDK clients; here the stage's Glue
// catalog and Lake Formation are a moto server on 127.0.0.1, reached through AWS_ENDPOINT_URL.
import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { autogovWith, ROOT } from '../support/cli';
import { type Moto, startMoto } from '../support/moto';

const REGION = 'us-east-1';
let moto: Moto;
let env: NodeJS.ProcessEnv;

const autogovOnStage = (...args: string[]) => autogovWith({ cwd: ROOT, env }, ...args);

beforeAll(async () => {
  moto = await startMoto();
  env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  const config = {
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const glue = new Glue(config);
  const lf = new LakeFormation(config);
  // What the stack and a governance run leave behind for the seed's second file.
  await glue.createDatabase({ DatabaseInput: { Name: 'oktank_autogov_temp' } });
  await glue.createTable({
    DatabaseName: 'oktank_autogov_temp',
    TableInput: {
      Name: 'customer',
      StorageDescriptor: {
        Columns: ['id', 'name', 'comment1'].map((Name) => ({ Name, Type: 'string' })),
      },
    },
  });
  await lf.createLFTag({ TagKey: 'tbl_class', TagValues: ['sensitive', 'public'] });
  await lf.createLFTag({ TagKey: 'dq_tag', TagValues: ['dq100', 'dq50_80'] });
  // moto replaces a resource's tags on each add, so the table's two tags go in one call.
  await lf.addLFTagsToResource({
    Resource: { Table: { DatabaseName: 'oktank_autogov_temp', Name: 'customer' } },
    LFTags: [
      { TagKey: 'tbl_class', TagValues: ['sensitive'] },
      { TagKey: 'dq_tag', TagValues: ['dq50_80'] },
    ],
  });
  glue.destroy();
  lf.destroy();
}, 240_000);

afterAll(async () => {
  await moto?.stop();
});

test('tags of a governed table on the deployed stage dev, in governance.yml spelling', async () => {
  const res = await autogovOnStage(
    'tags',
    'oktank_autogov_temp.customer',
    '--stage',
    'dev',
    '--region',
    REGION,
    '--json',
  );
  expect(res.stderr).not.toMatch(/at .*\.js:\d+/);
  expect(res.code).toBe(0);
  expect(JSON.parse(res.stdout).table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ50_80' });
}, 120_000);

test('a table the stage does not have is one line naming it, exit 2', async () => {
  const res = await autogovOnStage(
    'tags',
    'oktank_autogov_temp.nosuch',
    '--stage',
    'dev',
    '--region',
    REGION,
  );
  expect(res.code).toBe(2);
  expect(res.stderr.trim().split('\n')).toEqual([
    expect.stringContaining(
      'oktank_autogov_temp.nosuch: no such table in the Glue catalog of stage dev (us-east-1)',
    ),
  ]);
}, 120_000);

test('a stage sls package would refuse is refused before any call', async () => {
  const res = await autogovOnStage(
    'tags',
    'oktank_autogov_temp.customer',
    '--stage',
    'PR_12',
    '--region',
    REGION,
  );
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(/^autogov: --stage: stage 'PR_12': use lower-case letters/);
}, 120_000);
