// Contract tests: the cloud entry points of the Lambda handlers (`handler`, as Lambda calls it), with the
// real SDK clients they build from the environment, talking HTTP to a moto server that stands in for
// S3, Glue, Lake Formation, Step Functions and EventBridge. What moto does not model is said where it
// matters; everything else is asserted on moto's state, read back over HTTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridge } from '@aws-sdk/client-eventbridge';
import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { S3 } from '@aws-sdk/client-s3';
import { SFN } from '@aws-sdk/client-sfn';
import { parse as parseYaml } from 'yaml';
import { parseS3Uri, s3Uri } from '../../src/aws/s3-json';
import type { Settings } from '../../src/aws/services';
import { loadGovernance } from '../../src/config/load';
import type { Findings } from '../../src/findings/schema';
import { latestRunLocation, tableLocation } from '../../src/governance/keys';
import { ownedTagValues } from '../../src/policy/apply';
import { type Moto, startMoto } from '../support/moto';

const ROOT = join(__dirname, '../..');
const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'us-east-1';
const DB = 'oktank_autogov_temp';
const TABLE = 'customer';
const JOB = 'autogov-dev-govern-table';
const STATE_MACHINE = 'autogov-dev-govern-table';
const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE}`;
const settings: Settings = {
  stage: 'dev',
  rawBucket: 'autogov-dev-raw',
  artifactsBucket: 'autogov-dev-artifacts',
  certifiedBucket: 'autogov-dev-certified',
  governancePath: join(ROOT, 'governance.yml'),
  governTableStateMachineArn: stateMachineArn,
  eventBusName: 'default',
  extractedBucket: 'autogov-dev-extracted',
  ingestObjectStateMachineArn: '',
  documentsDatabase: 'autogov_dev_documents',
};
// What serverless.yml puts in every function's environment, plus where the SDK finds moto.
const lambdaEnv = (endpoint: string): NodeJS.ProcessEnv => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  STAGE: settings.stage,
  RAW_BUCKET: settings.rawBucket,
  ARTIFACTS_BUCKET: settings.artifactsBucket,
  EXTRACTED_BUCKET: settings.extractedBucket,
  EVENT_BUS_NAME: settings.eventBusName,
  DOCUMENTS_DATABASE: settings.documentsDatabase,
  GOVERN_TABLE_STATE_MACHINE_ARN: stateMachineArn,
  AUTOGOV_GOVERNANCE: 'governance.yml',
  LAMBDA_TASK_ROOT: ROOT,
  // The handlers' structured error log is Lambda's business; the assertions here read the errors.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv;
let s3: S3;
let glue: Glue;
let lf: LakeFormation;
let sfn: SFN;
let events: EventBridge;

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION']) delete process.env[k];
  Object.assign(process.env, lambdaEnv(moto.endpoint));
  [s3, glue, lf, sfn, events] = [new S3(), new Glue(), new LakeFormation(), new SFN(), new EventBridge()];
  // What the stack creates: buckets, the Glue database/table and job, governance.yml's LF-Tags, the
  // govern-table state machine from the shared ASL file.
  for (const Bucket of [settings.rawBucket, settings.artifactsBucket]) await s3.createBucket({ Bucket });
  await glue.createDatabase({ DatabaseInput: { Name: DB } });
  await glue.createTable({
    DatabaseName: DB,
    TableInput: {
      Name: TABLE,
      StorageDescriptor: {
        Columns: [
          { Name: 'data_key', Type: 'bigint' },
          { Name: 'customer_email', Type: 'string' },
        ],
      },
    },
  });
  await glue.createJob({
    Name: JOB,
    Role: `arn:aws:iam::${ACCOUNT}:role/GovernTableJobRole`,
    Command: { Name: 'glueetl', ScriptLocation: `s3://${settings.artifactsBucket}/glue/govern_table.py` },
  });
  const gov = loadGovernance(settings.governancePath).config;
  for (const [TagKey, TagValues] of Object.entries(ownedTagValues(gov)))
    await lf.createLFTag({ TagKey, TagValues });
  // A key autogov does not own, on the database: every run keeps it. (It also gives moto an entry
  // for the database: moto answers GetResourceLFTags on a database never tagged with HTTP 500.)
  await lf.createLFTag({ TagKey: 'owner', TagValues: ['finance'] });
  await lf.addLFTagsToResource({ Resource: { Database: { Name: DB } }, LFTags: [OWNER] });
  await sfn.createStateMachine({
    name: STATE_MACHINE,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/GovernTableStateMachineRole`,
    definition: JSON.stringify(
      parseYaml(readFileSync(join(ROOT, 'statemachines/govern-table.asl.yaml'), 'utf8')),
    ),
  });
}, 240_000);

afterAll(async () => {
  for (const c of [s3, glue, lf, sfn, events]) c?.destroy();
  process.env = savedEnv;
  await moto?.stop();
});

const OWNER = { TagKey: 'owner', TagValues: ['finance'] };

/** The findings document the Glue job writes at `--findings_uri` (moto does not run Glue scripts). */
const findingsOf = (runId: string, score: number): Findings => ({
  version: 1,
  database: DB,
  table: TABLE,
  runId,
  evaluatedAt: '2026-12-01T00:00:00.000Z',
  engine: 'glue',
  columns: [
    { name: 'data_key', type: 'bigint' },
    { name: 'customer_email', type: 'string' },
  ],
  dataQuality: { ruleset: 'Rules = [RowCount > 0]', score, rules: [], analyzers: [] },
  sensitiveData: {
    entityTypes: ['EMAIL'],
    sampleFraction: 1,
    thresholdFraction: 0.1,
    columnsScanned: ['data_key', 'customer_email'],
    columnsFailed: [],
    columns: { customer_email: [{ entityType: 'EMAIL', fraction: 1 }] },
  },
});

const handlers = {
  resolveTable: () => require('../../functions/resolve-table').handler,
  applyTags: () => require('../../functions/apply-tags').handler,
  startGovernance: () => require('../../functions/start-governance').handler,
  recordFailure: () => require('../../functions/record-failure').handler,
} as const;
const invoke = (fn: keyof typeof handlers, event: unknown): Promise<Record<string, unknown>> =>
  handlers[fn]()(event);

const put = (uri: string, doc: unknown) => {
  const { bucket, key } = parseS3Uri(uri);
  return s3.putObject({ Bucket: bucket, Key: key, Body: JSON.stringify(doc) });
};
const get = async (uri: string): Promise<unknown> => {
  const { bucket, key } = parseS3Uri(uri);
  return JSON.parse(await (await s3.getObject({ Bucket: bucket, Key: key })).Body!.transformToString());
};

/** moto's SQS over its JSON protocol (no SQS client among the project's dependencies). */
async function sqs<T>(action: string, body: object): Promise<T> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${action}`,
      // moto routes a request to a service by the credential scope of its signature.
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`SQS ${action}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const columnTags = async (column: string) =>
  (
    await lf.getResourceLFTags({
      Resource: { TableWithColumns: { DatabaseName: DB, Name: TABLE, ColumnNames: [column] } },
    })
  ).LFTagsOnColumns?.[0]?.LFTags?.map((t) => `${t.TagKey}=${t.TagValues?.join('|')}`);

describe('govern-table Lambda steps against moto (S3, Glue, Lake Formation over HTTP)', () => {
  test('resolveTable arguments start the Glue job, whose findings applyTags turns into LF-Tags', async () => {
    const resolved = await invoke('resolveTable', { database: DB, table: TABLE });
    expect(resolved.findingsUri).toMatch(new RegExp(`^s3://${settings.artifactsBucket}/`));
    // As the EvaluateTable state does: glue:startJobRun with the resolved arguments. Glue takes only
    // strings; moto keeps what it accepted.
    const args = resolved.arguments as Record<string, string>;
    expect(args['--location']).toBe(s3Uri(tableLocation(settings, DB, TABLE)));
    const { JobRunId } = await glue.startJobRun({ JobName: JOB, Arguments: args });
    const run = await glue.getJobRun({ JobName: JOB, RunId: JobRunId! });
    expect(run.JobRun?.Arguments).toEqual(args);

    // The job's output, where resolveTable told it to write (a stand-in: moto runs no Glue script).
    // The table was governed before (dq_tag from an earlier run): moto answers GetResourceLFTags on
    // a table never tagged with HTTP 500, where AWS answers with empty lists.
    await lf.addLFTagsToResource({
      Resource: { Table: { DatabaseName: DB, Name: TABLE } },
      LFTags: [{ TagKey: 'dq_tag', TagValues: ['DQ100'] }],
    });
    await put(String(resolved.findingsUri), findingsOf(String(resolved.runId), 0.75));

    const applied = await invoke('applyTags', {
      database: DB,
      table: TABLE,
      findingsUri: resolved.findingsUri,
    });
    expect(applied).toMatchObject({
      runId: resolved.runId,
      score: 0.75,
      tags: {
        table: { tbl_class: 'sensitive', dq_tag: 'DQ50_80' },
        columns: { data_key: { col_class: 'public' }, customer_email: { col_class: 'sensitive' } },
      },
    });
    expect(await columnTags('customer_email')).toEqual(['col_class=sensitive']);
    expect(await columnTags('data_key')).toEqual(['col_class=public']);
    // moto keeps only the last AddLFTagsToResource of a resource (AWS adds each key and keeps the
    // others), so of the table's tags only those autogov set can be checked here, not that all stay.
    const onTable = (await lf.getResourceLFTags({ Resource: { Table: { DatabaseName: DB, Name: TABLE } } }))
      .LFTagsOnTable;
    for (const t of onTable ?? [])
      expect(['tbl_class=sensitive', 'dq_tag=DQ50_80']).toContain(`${t.TagKey}=${t.TagValues?.join('|')}`);
    // The run record the CLI and the next run read, parsed back from real S3.
    expect(await get(s3Uri(latestRunLocation(settings, DB, TABLE)))).toMatchObject({
      runId: resolved.runId,
      findingsUri: resolved.findingsUri,
      tags: applied.tags,
    });
  });

  test('applyTags names the LF-Tag Lake Formation refuses (reported in-band, not as an HTTP error)', async () => {
    const resolved = await invoke('resolveTable', { database: DB, table: TABLE });
    await put(String(resolved.findingsUri), findingsOf(String(resolved.runId), 1));
    await lf.deleteLFTag({ TagKey: 'col_class' });
    try {
      await expect(
        invoke('applyTags', { database: DB, table: TABLE, findingsUri: resolved.findingsUri }),
      ).rejects.toThrow(
        /^Lake Formation refused col_class=\w+ on oktank_autogov_temp\.customer .*EntityNotFoundException/,
      );
    } finally {
      await lf.createLFTag({
        TagKey: 'col_class',
        TagValues: ownedTagValues(loadGovernance(settings.governancePath).config).col_class!,
      });
    }
  });

  test('applyTags removes an autogov key planted on the database and keeps the keys it does not own', async () => {
    const database = { Database: { Name: DB } };
    // moto replaces a resource's tags with each call's: plant both in one.
    await lf.addLFTagsToResource({
      Resource: database,
      LFTags: [OWNER, { TagKey: 'dq_tag', TagValues: ['DQ100'] }],
    });
    const resolved = await invoke('resolveTable', { database: DB, table: TABLE });
    await put(String(resolved.findingsUri), findingsOf(String(resolved.runId), 1));
    await invoke('applyTags', { database: DB, table: TABLE, findingsUri: resolved.findingsUri });
    const onDatabase = (await lf.getResourceLFTags({ Resource: database })).LFTagOnDatabase;
    expect(onDatabase?.map((t) => `${t.TagKey}=${t.TagValues?.join('|')}`)).toEqual(['owner=finance']);
    const record = (await get(s3Uri(latestRunLocation(settings, DB, TABLE)))) as { plan: unknown[] };
    expect(record.plan).toContainEqual({
      key: 'dq_tag',
      value: 'DQ100',
      database: true,
      tightens: true,
      remove: true,
    });
  });

  test('applyTags fails naming the findings document S3 does not have', async () => {
    const findingsUri = `s3://${settings.artifactsBucket}/findings/${DB}/${TABLE}/nosuch.json`;
    await expect(invoke('applyTags', { database: DB, table: TABLE, findingsUri })).rejects.toThrow(
      `${findingsUri}: findings document not found`,
    );
  });
});

describe('event-driven Lambdas against moto (Step Functions, EventBridge over HTTP)', () => {
  const upload = (version: string) => ({
    source: 'aws.s3',
    'detail-type': 'Object Created',
    detail: {
      bucket: { name: settings.rawBucket },
      object: { key: `tables/${DB}/${TABLE}/part-1.csv`, 'version-id': version, etag: 'e1' },
    },
  });

  test('startGovernance starts one execution per object version, even when the event comes twice', async () => {
    const first = await invoke('startGovernance', upload('v1'));
    expect(first).toMatchObject({
      started: true,
      name: expect.stringMatching(/^oktank_autogov_temp-customer-/),
    });
    // Step Functions answers a running execution's name and input again with that execution.
    expect(await invoke('startGovernance', upload('v1'))).toMatchObject({ executionArn: first.executionArn });
    const running = await sfn.listExecutions({ stateMachineArn });
    expect(running.executions?.map((e) => e.name)).toEqual([first.name]);
    const described = await sfn.describeExecution({ executionArn: String(first.executionArn) });
    expect(JSON.parse(described.input!)).toEqual(upload('v1'));
    // Once it has ended, the same event is a duplicate: nothing starts.
    await sfn.stopExecution({ executionArn: String(first.executionArn) });
    expect(await invoke('startGovernance', upload('v1'))).toEqual({
      started: false,
      name: first.name,
      reason: 'duplicate event: execution already exists',
    });
    expect(await invoke('startGovernance', upload('v2'))).toMatchObject({ started: true });
    expect((await sfn.listExecutions({ stateMachineArn })).executions).toHaveLength(2);
  });

  test('recordFailure stores the failure in S3 and emits the event a rule on the bus delivers', async () => {
    // A consumer's rule on the default bus, delivering to an SQS queue (moto's SQS, JSON protocol).
    const { QueueUrl } = await sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: 'failures' });
    await events.putRule({
      Name: 'governance-failures',
      EventPattern: JSON.stringify({ source: ['autogov'], 'detail-type': ['Table governance failed'] }),
    });
    await events.putTargets({
      Rule: 'governance-failures',
      Targets: [{ Id: 'queue', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:failures` }],
    });
    const record = await invoke('recordFailure', {
      executionId: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE}:run-1`,
      input: { database: DB, table: TABLE },
      error: { Error: 'States.TaskFailed', Cause: JSON.stringify({ errorMessage: 'the Glue job failed' }) },
    });
    expect(record).toMatchObject({
      database: DB,
      table: TABLE,
      error: 'States.TaskFailed',
      message: 'the Glue job failed',
    });
    expect(await get(String(record.recordUri))).toEqual(record);
    const { Messages } = await sqs<{ Messages?: { Body: string }[] }>('ReceiveMessage', {
      QueueUrl,
      MaxNumberOfMessages: 10,
    });
    expect(Messages?.map((m) => JSON.parse(m.Body))).toEqual([
      expect.objectContaining({
        source: 'autogov',
        'detail-type': 'Table governance failed',
        detail: record,
      }),
    ]);
  });
});
