import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// asl-validator ships without type declarations.
type AslValidator = (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (sep?: string) => string };
const validate = require('asl-validator') as AslValidator;

const DIR = join(__dirname, '..', '..', 'statemachines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.yaml'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface State {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  TimeoutSeconds?: number;
  Parameters?: Record<string, Json>;
}
interface Machine {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** CloudFormation intrinsics (resolved by serverless-step-functions / the local runner) → placeholders. */
function placeholders(node: Json): Json {
  if (Array.isArray(node)) return node.map(placeholders);
  if (node && typeof node === 'object') {
    const ref = node.Ref;
    if (typeof ref === 'string') return `placeholder-${ref}`;
    const att = node['Fn::GetAtt'];
    if (Array.isArray(att))
      return `arn:aws:lambda:us-east-1:123456789012:function:placeholder-${String(att[0])}`;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, placeholders(v)]));
  }
  return node;
}

const load = (file: string) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  return { text, machine: parse(text) as Json };
};

describe('state machine definitions', () => {
  it('finds the govern-table machine', () => {
    expect(files).toContain('govern-table.asl.yaml');
  });

  it.each(files)('%s is valid ASL once intrinsics are resolved', (file) => {
    const { machine } = load(file);
    const result = validate(placeholders(machine));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(files)('%s uses only long-form intrinsics and no Serverless variables', (file) => {
    const { text } = load(file);
    const code = text
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n');
    expect(code).not.toMatch(/!(Ref|GetAtt|Sub|Join)\b/);
    expect(code).not.toMatch(/\$\{/);
  });

  it.each(files)('%s: every Task retries transient errors and catches everything; nothing hangs', (file) => {
    const machine = load(file).machine as unknown as Machine;
    expect(machine.TimeoutSeconds).toBeGreaterThan(0);
    const tasks = Object.entries(machine.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, state] of tasks) {
      expect({ name, retry: (state.Retry ?? []).length > 0 }).toEqual({ name, retry: true });
      for (const r of state.Retry ?? []) expect(r.MaxAttempts).toBeGreaterThan(0);
      expect({ name, catchAll: state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')) }).toEqual({
        name,
        catchAll: true,
      });
      expect({ name, timeout: (state.TimeoutSeconds ?? 0) > 0 }).toEqual({ name, timeout: true });
    }
  });
});

describe('govern-table flow', () => {
  const machine = load('govern-table.asl.yaml').machine as unknown as Machine;
  const s = machine.States;

  it('waits for the end of its window when it has one, resolves, evaluates in Glue, applies tags, succeeds', () => {
    expect(machine.StartAt).toBe('Debounce');
    expect(s.Debounce).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.notBefore', IsPresent: true, Next: 'WaitForWindow' }],
      Default: 'ResolveTable',
    });
    expect(s.WaitForWindow).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.notBefore',
      Next: 'ResolveTable',
    });
    expect(s.ResolveTable?.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(s.ResolveTable?.Parameters).toEqual({
      FunctionName: { 'Fn::GetAtt': ['ResolveTableLambdaFunction', 'Arn'] },
      'Payload.$': '$',
    });
    expect(s.EvaluateTable?.Resource).toBe('arn:aws:states:::glue:startJobRun.sync');
    expect(s.EvaluateTable?.Parameters).toEqual({
      JobName: { Ref: 'GovernTableJob' },
      'Arguments.$': '$.arguments',
    });
    expect(s.ApplyTags?.Parameters).toEqual({
      FunctionName: { 'Fn::GetAtt': ['ApplyTagsLambdaFunction', 'Arn'] },
      Payload: { 'database.$': '$.database', 'table.$': '$.table', 'findingsUri.$': '$.findingsUri' },
    });
    expect(s.Governed?.Type).toBe('Succeed');
  });

  it('waits out Glue ConcurrentRunsExceeded with jittered backoff, longer than other Glue errors', () => {
    const retry = (s.EvaluateTable as unknown as { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] })
      .Retry;
    expect(retry[0]).toEqual({
      ErrorEquals: ['Glue.ConcurrentRunsExceededException'],
      IntervalSeconds: 60,
      MaxAttempts: 12,
      BackoffRate: 2,
      MaxDelaySeconds: 600,
      JitterStrategy: 'FULL',
    });
    expect(retry.slice(1).flatMap((r) => r.ErrorEquals)).not.toContain(
      'Glue.ConcurrentRunsExceededException',
    );
  });

  it("keeps only ApplyTags' scalars in the state (tags per column could pass its 256 KiB limit)", () => {
    expect(s.ApplyTags).toMatchObject({
      ResultSelector: {
        'runId.$': '$.Payload.runId',
        'score.$': '$.Payload.score',
        'changes.$': '$.Payload.changes',
      },
      ResultPath: '$.tags',
    });
  });

  it('routes every failure through RecordFailure to a Fail state', () => {
    for (const name of ['ResolveTable', 'EvaluateTable', 'ApplyTags'])
      expect(s[name]?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' },
      ]);
    expect(s.RecordFailure?.Parameters?.Payload).toEqual({
      'executionId.$': '$$.Execution.Id',
      'input.$': '$$.Execution.Input',
      'error.$': '$.error',
    });
    expect(s.GovernanceFailed?.Type).toBe('Fail');
    expect(s.RecordFailure?.Catch?.[0]?.Next).toBe('GovernanceFailedUnrecorded');
    expect(s.GovernanceFailedUnrecorded?.Type).toBe('Fail');
  });

  it('retries Glue throttling and concurrency limits', () => {
    const errors = (s.EvaluateTable?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(
      expect.arrayContaining(['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException']),
    );
    const lambdaErrors = (s.ApplyTags?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(lambdaErrors).toEqual(
      expect.arrayContaining([
        'Lambda.ServiceException',
        'Lambda.TooManyRequestsException',
        'Lambda.SdkClientException',
      ]),
    );
  });
});
