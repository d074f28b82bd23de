import { DEFAULT_PHONE_REGIONS } from '../../src/pii/patterns-intl';
import 'aws-sdk-client-mock-jest';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Comprehend } from '@aws-sdk/client-comprehend';
import { EventBridge, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Glue } from '@aws-sdk/client-glue';
import {
  AddLFTagsToResourceCommand,
  GetResourceLFTagsCommand,
  LakeFormation,
  LakeFormationClient,
} from '@aws-sdk/client-lakeformation';
import { Rekognition } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3, S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFN, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Textract } from '@aws-sdk/client-textract';
import { Transcribe } from '@aws-sdk/client-transcribe';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as applyTags } from '../../functions/apply-tags';
import { createHandler as recordFailure } from '../../functions/record-failure';
import { createHandler as resolveTable } from '../../functions/resolve-table';
import { createHandler as startGovernance } from '../../functions/start-governance';
import type { Services } from '../../src/aws/services';
import type { Findings } from '../../src/findings/schema';

const s3Mock = mockClient(S3Client);
const lfMock = mockClient(LakeFormationClient);
const sfnMock = mockClient(SFNClient);
const ebMock = mockClient(EventBridgeClient);

const services: Services = {
  s3: new S3({ region: 'us-east-1' }),
  glue: new Glue({ region: 'us-east-1' }),
  lakeFormation: new LakeFormation({ region: 'us-east-1' }),
  sfn: new SFN({ region: 'us-east-1' }),
  events: new EventBridge({ region: 'us-east-1' }),
  textract: new Textract({ region: 'us-east-1' }),
  transcribe: new Transcribe({ region: 'us-east-1' }),
  comprehend: new Comprehend({ region: 'us-east-1' }),
  rekognition: new Rekognition({ region: 'us-east-1' }),
  settings: {
    stage: 'test',
    rawBucket: 'raw',
    artifactsBucket: 'artifacts',
    certifiedBucket: 'certified',
    governancePath: join(__dirname, '../../governance.yml'),
    governTableStateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:govern',
    eventBusName: 'default',
    extractedBucket: 'extracted',
    ingestObjectStateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:ingest',
    documentsDatabase: 'autogov_test_documents',
  },
};

const body = (value: unknown) => sdkStreamMixin(Readable.from([Buffer.from(JSON.stringify(value))]));

const findings: Findings = {
  version: 1,
  database: 'sales',
  table: 'orders',
  runId: 'r1',
  evaluatedAt: '2026-11-29T00:00:00.000Z',
  engine: 'glue',
  columns: [
    { name: 'id', type: 'bigint' },
    { name: 'email', type: 'string' },
  ],
  dataQuality: { ruleset: 'Rules = [RowCount > 0]', score: 1, rules: [], analyzers: [] },
  sensitiveData: {
    entityTypes: ['EMAIL'],
    sampleFraction: 1,
    thresholdFraction: 0.1,
    columnsScanned: ['id', 'email'],
    columnsFailed: [],
    columns: { email: [{ entityType: 'EMAIL', fraction: 1 }] },
  },
};

beforeEach(() => {
  s3Mock.reset();
  lfMock.reset();
  sfnMock.reset();
  ebMock.reset();
});

const s3Event = (key: string, version = 'v1') => ({
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'raw' }, object: { key, 'version-id': version, etag: 'e1' } },
});

describe('startGovernance', () => {
  test('a table upload starts govern-table with a name derived from the object version', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    const handler = startGovernance(services);
    const first = await handler(s3Event('tables/sales/orders/part1.csv'));
    expect(first.started).toBe(true);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: services.settings.governTableStateMachineArn,
      name: expect.stringMatching(/^sales-orders-[0-9a-f]{20}$/),
    });
    await handler(s3Event('tables/sales/orders/part1.csv'));
    const names = sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(names[0]).toBe(names[1]); // a duplicated event maps to the same execution
    await handler(s3Event('tables/sales/orders/part1.csv', 'v2'));
    expect(sfnMock.commandCalls(StartExecutionCommand)[2]!.args[0].input.name).not.toBe(names[0]);
  });

  test('a key under tables/ that is not a table file (tables/db/readme.txt) is ignored, not thrown', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    await expect(startGovernance(services)(s3Event('tables/sales/readme.txt'))).resolves.toEqual({
      started: false,
      reason: 'tables/sales/readme.txt: not a table file',
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('a key with a literal % that does not URL-decode still starts its table', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    await expect(startGovernance(services)(s3Event('tables/sales/orders/100%.csv'))).resolves.toMatchObject({
      started: true,
    });
    await expect(startGovernance(services)(s3Event('tables/sales/orders/q%201.csv'))).resolves.toMatchObject({
      started: true,
    });
  });

  test('a duplicated event whose execution exists starts nothing new', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(startGovernance(services)(s3Event('tables/sales/orders/a.csv'))).resolves.toMatchObject({
      started: false,
      reason: expect.stringMatching(/already exists/),
    });
  });
});

describe('resolveTable', () => {
  test('a new table of a known database gets the database ruleset and references as Glue job arguments', async () => {
    const out = await resolveTable(services)({ database: 'oktank_autogov_temp', table: 'customer' });
    expect(out.arguments).toMatchObject({
      '--database': 'oktank_autogov_temp',
      '--location': 's3://raw/tables/oktank_autogov_temp/customer/',
      '--references': '{"reference":"oktank_autogov_temp.base"}',
      '--entity_types': '["PERSON_NAME","EMAIL"]',
      '--sample_fraction': '1',
      '--update_catalog': 'true',
    });
    expect(out.arguments['--ruleset']).toContain(
      'ReferentialIntegrity "data_location" "reference.data_location" = 1.0',
    );
    expect(out.findingsUri).toBe(`s3://artifacts/findings/oktank_autogov_temp/customer/${out.runId}.json`);
  });

  test("the stack's document tables are evaluated where ingestion writes them, their definition left alone", async () => {
    const out = await resolveTable(services)({ database: 'autogov_test_documents', table: 'extracted_text' });
    expect(out.arguments['--location']).toMatch(/^s3:\/\/extracted\//);
    expect(out.arguments['--update_catalog']).toBe('false');
  });

  test('an input that names no table is refused with what to pass', async () => {
    await expect(resolveTable(services)({ foo: 1 })).rejects.toThrow(
      /expected \{"database":"DB","table":"TABLE"\}/,
    );
  });
});

describe('applyTags', () => {
  beforeEach(() => {
    s3Mock.on(GetObjectCommand, { Key: 'findings/sales/orders/r1.json' }).resolves({ Body: body(findings) });
    s3Mock
      .on(GetObjectCommand, { Key: 'overrides/sales/orders.json' })
      .rejects(new NoSuchKey({ message: 'x', $metadata: {} }));
    s3Mock.on(PutObjectCommand).resolves({});
  });
  const event = {
    database: 'sales',
    table: 'orders',
    findingsUri: 's3://artifacts/findings/sales/orders/r1.json',
  };

  test('a first run assigns table and column tags through Lake Formation, sensitive first', async () => {
    lfMock.on(GetResourceLFTagsCommand).resolves({ LFTagsOnTable: [], LFTagsOnColumns: [] });
    lfMock.on(AddLFTagsToResourceCommand).resolves({ Failures: [] });
    const out = await applyTags(services)(event);
    expect(out.changes).toBe(4);
    const calls = lfMock.commandCalls(AddLFTagsToResourceCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        Resource: { Table: { DatabaseName: 'sales', Name: 'orders' } },
        LFTags: [{ TagKey: 'tbl_class', TagValues: ['sensitive'] }],
      },
      {
        Resource: { TableWithColumns: { DatabaseName: 'sales', Name: 'orders', ColumnNames: ['email'] } },
        LFTags: [{ TagKey: 'col_class', TagValues: ['sensitive'] }],
      },
      {
        Resource: { Table: { DatabaseName: 'sales', Name: 'orders' } },
        LFTags: [{ TagKey: 'dq_tag', TagValues: ['DQ100'] }],
      },
      {
        Resource: { TableWithColumns: { DatabaseName: 'sales', Name: 'orders', ColumnNames: ['id'] } },
        LFTags: [{ TagKey: 'col_class', TagValues: ['public'] }],
      },
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'runs/sales/orders/latest.json' });
  });

  test('a repeated run changes nothing, and tags of other owners are left alone', async () => {
    lfMock.on(GetResourceLFTagsCommand).resolves({
      LFTagsOnTable: [
        { TagKey: 'tbl_class', TagValues: ['sensitive'] },
        { TagKey: 'dq_tag', TagValues: ['dq100'] },
        { TagKey: 'owner', TagValues: ['finance'] },
      ],
      LFTagsOnColumns: [
        { Name: 'id', LFTags: [{ TagKey: 'col_class', TagValues: ['public'] }] },
        { Name: 'email', LFTags: [{ TagKey: 'col_class', TagValues: ['sensitive'] }] },
      ],
    });
    expect((await applyTags(services)(event)).changes).toBe(0);
    expect(lfMock).not.toHaveReceivedCommand(AddLFTagsToResourceCommand);
  });

  test('a partial failure reported in-band by Lake Formation fails the run', async () => {
    lfMock.on(GetResourceLFTagsCommand).resolves({});
    lfMock.on(AddLFTagsToResourceCommand).resolves({
      Failures: [
        {
          LFTag: { TagKey: 'tbl_class', TagValues: ['sensitive'] },
          Error: { ErrorCode: 'AccessDeniedException', ErrorMessage: 'no ASSOCIATE' },
        },
      ],
    });
    await expect(applyTags(services)(event)).rejects.toThrow(
      /Lake Formation refused tbl_class=sensitive on sales\.orders: AccessDeniedException no ASSOCIATE/,
    );
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  test('findings for another table are refused', async () => {
    s3Mock
      .on(GetObjectCommand, { Key: 'findings/x.json' })
      .resolves({ Body: body({ ...findings, table: 'other' }) });
    await expect(
      applyTags(services)({ ...event, findingsUri: 's3://artifacts/findings/x.json' }),
    ).rejects.toThrow(/findings are for sales\.other, not sales\.orders/);
  });
});

describe('recordFailure', () => {
  test('records the one-line cause and emits an event', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const out = await recordFailure(services)({
      executionId: 'arn:aws:states:us-east-1:1:execution:govern:abc',
      input: JSON.stringify({ database: 'sales', table: 'orders' }),
      error: {
        Error: 'UserError',
        Cause: JSON.stringify({ errorMessage: 'sales.orders: no data files\nmore', errorType: 'UserError' }),
      },
    });
    expect(out).toMatchObject({
      database: 'sales',
      table: 'orders',
      error: 'UserError',
      message: 'sales.orders: no data files',
    });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'artifacts',
      Key: expect.stringMatching(/^failures\/sales\/orders\/.*-abc\.json$/),
    });
    expect(ebMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ Source: 'autogov', DetailType: 'Table governance failed' })],
    });
  });
});

describe('resolveTable: phone regions', () => {
  test("governance.yml's phone regions reach the job (the local engine reads them; Glue has none)", async () => {
    const out = await resolveTable(services)({ database: 'oktank_autogov_temp', table: 'customer' });
    expect(JSON.parse(out.arguments['--phone_regions'] ?? '[]')).toEqual([...DEFAULT_PHONE_REGIONS]);
  });
});
