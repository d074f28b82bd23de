import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateMachineArn } from '../../src/local/catalog';
import type { LocalJob } from '../../src/local/glue';
import { defaultIntrinsics, type RunnerEvent, readYaml, resolveIntrinsics } from '../../src/local/runner';
import { readServerless } from '../../src/local/serverless';
import { type LocalServices, type LocalServicesOptions, openLocalServices } from '../../src/local/services';
import { behaviour, calls } from './fixtures/handlers';
import { started } from './fixtures/on-raw-object';
import { recorded } from './fixtures/record-failure';
import { rejection, tempDir } from './helpers';

const fixtures = join(__dirname, 'fixtures');
const POLL = stateMachineArn('poll-table');

/** The fixture's Glue job: finishes after `delayMs`, fails from run number `failFromRun`, or blocks. */
const jobPlan: { runs: number; delayMs: number; failFromRun?: number; block?: Promise<void> } = {
  runs: 0,
  delayMs: 20,
};
const evaluateJob: LocalJob = async () => {
  jobPlan.runs++;
  if (jobPlan.block) await jobPlan.block;
  await new Promise((r) => setTimeout(r, jobPlan.delayMs));
  if (jobPlan.failFromRun !== undefined && jobPlan.runs >= jobPlan.failFromRun)
    throw new Error('DQ engine crashed');
};

describe('local runner and Step Functions', () => {
  let tmp: ReturnType<typeof tempDir>;
  let services: LocalServices;
  let progress: RunnerEvent[];

  const open = (opts: LocalServicesOptions = {}) =>
    openLocalServices(tmp.dir, {
      ...opts,
      projectRoot: fixtures,
      stateMachinesDir: fixtures,
      refs: { EvaluateJob: 'evaluate-job' },
      jobs: { 'evaluate-job': evaluateJob },
      onProgress: (_arn, e) => void progress.push(e),
    });

  beforeEach(async () => {
    tmp = tempDir();
    progress = [];
    Object.assign(jobPlan, { runs: 0, delayMs: 20, failFromRun: undefined, block: undefined });
    Object.assign(behaviour, { throttles: 0, fail: undefined });
    calls.prepare.length = 0;
    recorded.length = 0;
    started.length = 0;
    services = await open();
    await services.glue.createDatabase({ DatabaseInput: { Name: 'oktank' } });
    await services.glue.createTable({
      DatabaseName: 'oktank',
      TableInput: {
        Name: 'customer',
        StorageDescriptor: { Columns: [{ Name: 'data_key', Type: 'string' }] },
      },
    });
  });
  afterEach(async () => {
    await services.close();
    tmp.cleanup();
  });

  const run = async (input: unknown, name?: string) => {
    const { executionArn } = await services.sfn.startExecution({
      stateMachineArn: POLL,
      input: JSON.stringify(input),
      name,
    });
    return services.sfn.waitForExecution(executionArn!);
  };

  it('runs lambda:invoke, aws-sdk:glue, a Wait/Get/Choice polling loop and glue .sync to success', async () => {
    jobPlan.delayMs = 60;
    const t0 = Date.now();
    const done = await run({ database: 'oktank', table: 'customer' });
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.prep).toEqual({ prepared: { stage: 'local', table: 'customer' } });
    expect(output.tableInfo.columns).toEqual([{ Name: 'data_key', Type: 'string' }]);
    expect(output.job.status.state).toBe('SUCCEEDED');
    expect(output.job.polls).toBeGreaterThanOrEqual(1);
    expect(output.evaluation).toEqual({ state: 'SUCCEEDED' });
    // Wait: 60 s in the definition, none locally
    expect(Date.now() - t0).toBeLessThan(20_000);
    const entered = progress.filter((e) => e.type === 'StateEntered').map((e) => e.state);
    expect(entered.slice(0, 4)).toEqual(['Prepare', 'DescribeTable', 'StartJob', 'WaitForJob']);
    expect(entered.at(-1)).toBe('Governed');
    expect(await services.sfn.getExecutionHistory(done.executionArn!)).toHaveLength(progress.length);
  });

  it('retries a thrown ThrottlingException without real back-off', async () => {
    behaviour.throttles = 2;
    const done = await run({ database: 'oktank', table: 'customer' });
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.prepare).toHaveLength(3);
    expect(progress.filter((e) => e.type === 'StateRetried').map((e) => e.attempt)).toEqual([1, 2]);
  });

  it('catches a handler error into the failure path with Lambda-shaped Error and Cause', async () => {
    behaviour.fail = 'table name is not allowed';
    const done = await run({ database: 'oktank', table: 'customer' });
    expect(done).toMatchObject({ status: 'FAILED', error: 'Test.Failed', cause: 'recorded' });
    expect(recorded).toHaveLength(1);
    const rec = recorded[0] as { executionId: string; error: { Error: string; Cause: string } };
    expect(rec.executionId).toBe(done.executionArn);
    expect(rec.error.Error).toBe('BadInput');
    expect(JSON.parse(rec.error.Cause)).toMatchObject({
      errorType: 'BadInput',
      errorMessage: 'table name is not allowed',
    });
  });

  it('names aws-sdk errors <Service>.<Error> so Catch can match them', async () => {
    const done = await run({ database: 'oktank', table: 'missing' });
    expect(done.status).toBe('FAILED');
    const rec = recorded[0] as { error: { Error: string; Cause: string } };
    expect(rec.error).toEqual({ Error: 'Glue.EntityNotFoundException', Cause: 'Table missing not found.' });
  });

  it('fails a glue:startJobRun.sync task with States.TaskFailed and the job run as Cause', async () => {
    jobPlan.failFromRun = 2;
    const done = await run({ database: 'oktank', table: 'customer' });
    expect(done.status).toBe('FAILED');
    const rec = recorded[0] as { error: { Error: string; Cause: string } };
    expect(rec.error.Error).toBe('States.TaskFailed');
    expect(JSON.parse(rec.error.Cause)).toMatchObject({
      JobRunState: 'FAILED',
      ErrorMessage: 'DQ engine crashed',
    });
  });

  it('bounds the polling loop by its counter', async () => {
    // Polls do not wait for the (blocked) job: the counter alone ends the loop.
    await services.close();
    services = await open({ jobPollGraceMs: 0 });
    let release!: () => void;
    jobPlan.block = new Promise<void>((r) => (release = r));
    const done = await run({ database: 'oktank', table: 'customer' });
    expect(done).toMatchObject({ status: 'FAILED', error: 'Test.TooManyPolls' });
    expect(progress.filter((e) => e.type === 'StateEntered' && e.state === 'GetJobRun')).toHaveLength(20);
    release();
  });

  it('execution names: same name and input while running returns it; otherwise ExecutionAlreadyExists', async () => {
    let release!: () => void;
    jobPlan.block = new Promise<void>((r) => (release = r));
    jobPlan.delayMs = 0;
    const input = JSON.stringify({ database: 'oktank', table: 'customer' });
    const first = await services.sfn.startExecution({ stateMachineArn: POLL, name: 'customer-v1', input });
    const again = await services.sfn.startExecution({ stateMachineArn: POLL, name: 'customer-v1', input });
    expect(again).toEqual(first);
    expect(first.executionArn).toBe('arn:aws:states:local:000000000000:execution:poll-table:customer-v1');
    const different = await rejection(
      services.sfn.startExecution({ stateMachineArn: POLL, name: 'customer-v1', input: '{"table":"x"}' }),
    );
    expect(different.name).toBe('ExecutionAlreadyExists');
    expect((await services.sfn.describeExecution({ executionArn: first.executionArn })).status).toBe(
      'RUNNING',
    );
    release();
    await services.sfn.waitForExecution(first.executionArn!);
    const closed = await rejection(
      services.sfn.startExecution({ stateMachineArn: POLL, name: 'customer-v1', input }),
    );
    expect(closed.name).toBe('ExecutionAlreadyExists');
    expect(
      (await rejection(services.sfn.startExecution({ stateMachineArn: stateMachineArn('nope') }))).name,
    ).toBe('StateMachineDoesNotExist');
    expect(
      (await rejection(services.sfn.startExecution({ stateMachineArn: POLL, name: 'bad name' }))).name,
    ).toBe('InvalidName');
    expect((await rejection(services.sfn.describeExecution({ executionArn: `${POLL}:nope` }))).name).toBe(
      'ExecutionDoesNotExist',
    );
  });

  it('records executions in the lake across processes', async () => {
    const done = await run({ database: 'oktank', table: 'customer' }, 'persisted');
    await services.close();
    services = await open();
    const again = await services.sfn.describeExecution({ executionArn: done.executionArn });
    expect(again).toMatchObject({
      status: 'SUCCEEDED',
      name: 'persisted',
      output: done.output,
      input: done.input,
    });
    expect(again.stopDate!.getTime()).toBeGreaterThanOrEqual(again.startDate!.getTime());
  });

  it('routes an S3 put through EventBridge rules from serverless.yml to a Lambda that starts an execution', async () => {
    const put = await services.s3.putObject({
      Bucket: services.settings.rawBucket,
      Key: 'tables/oktank/customer/part-1.csv',
      Body: 'data_key\n1\n',
    });
    await services.s3.putObject({ Bucket: services.settings.rawBucket, Key: 'docs/readme.txt', Body: 'x' });
    await services.drain();
    expect(started).toEqual([
      `arn:aws:states:local:000000000000:execution:poll-table:customer-${put.VersionId!.slice(0, 12)}`,
    ]);
    expect((await services.sfn.describeExecution({ executionArn: started[0] })).status).toBe('SUCCEEDED');
    expect(services.events.failures).toEqual([]);
  });

  it('rejects a definition whose Task resource has no local implementation', () => {
    expect(() =>
      services.runner.prepare('bad', {
        StartAt: 'X',
        States: { X: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
      }),
    ).toThrow(/no local implementation for Resource arn:aws:states:::sqs:sendMessage/);
  });
});

describe('intrinsics and serverless.yml', () => {
  it('resolves Ref, Fn::GetAtt, Fn::Sub and Fn::Join generically', () => {
    const r = defaultIntrinsics({ RawBucket: 'autogov-local-raw' });
    expect(
      resolveIntrinsics(
        {
          a: { Ref: 'RawBucket' },
          b: { 'Fn::GetAtt': ['ApplyTagsLambdaFunction', 'Arn'] },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub template
          c: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${RawBucket}/tables/*' },
          d: { 'Fn::Join': ['-', ['x', { Ref: 'GovernTableJob' }]] },
          e: [{ 'Fn::GetAtt': 'GovernTableStateMachine.Arn' }],
        },
        r,
      ),
    ).toEqual({
      a: 'autogov-local-raw',
      b: 'arn:aws:lambda:local:000000000000:function:ApplyTagsLambdaFunction',
      c: 'arn:aws:s3:::autogov-local-raw/tables/*',
      d: 'x-GovernTableJob',
      e: ['arn:aws:states:local:000000000000:stateMachine:GovernTableStateMachine'],
    });
    expect(() => resolveIntrinsics({ 'Fn::If': ['c', 1, 2] }, r)).toThrow(/not supported/);
  });

  it('maps serverless function keys and logical ids to handler modules', () => {
    const view = readServerless(fixtures);
    expect(view.lambdas.prepare).toBe(join(fixtures, 'handlers'));
    expect(view.lambdas.PrepareLambdaFunction).toBe(join(fixtures, 'handlers'));
    expect(view.lambdas.RecordFailureLambdaFunction).toBe(join(fixtures, 'record-failure'));
    expect(view.rules.map((r) => r.functionKey)).toEqual(['onRawObject']);
    expect(view.stateMachineIds).toEqual({ PollTableStateMachine: 'poll-table' });
  });

  test('a YAML file read twice gives equal values, and changing one read leaves the next as the file says', () => {
    const tmp = tempDir('autogov-yaml-');
    try {
      const file = join(tmp.dir, 'stack.yml');
      writeFileSync(file, 'Resources:\n  Queue:\n    Properties: { Name: !Ref Stage }\n');
      const first = readYaml(file) as { Resources: { Queue: { Properties: Record<string, unknown> } } };
      expect(first.Resources.Queue.Properties).toEqual({ Name: { Ref: 'Stage' } });
      first.Resources.Queue.Properties.Name = 'changed by a caller';
      expect(readYaml(file)).toEqual({ Resources: { Queue: { Properties: { Name: { Ref: 'Stage' } } } } });
      writeFileSync(file, 'Resources: {}\n');
      expect(readYaml(file)).toEqual({ Resources: {} });
    } finally {
      tmp.cleanup();
    }
  });
});
