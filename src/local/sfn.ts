// SfnPort locally: executions run through the Runner in the background (as in AWS, startExecution
// returns at once) and are recorded in the lake. Names follow Step Functions' idempotency rule:
// the same name and input while the execution is RUNNING returns that execution; the same name
// otherwise (different input, or the execution has closed) is ExecutionAlreadyExists.
import { randomUUID } from 'node:crypto';
import type * as sfn from '@aws-sdk/client-sfn';
import type { SfnPort } from '../aws/ports';
import { errorMessage } from '../errors';
import { awsError } from './errors';
import type { ExecutionOutcome, Json, PreparedStateMachine, Runner, RunnerEvent } from './runner';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './s3';
import { json, type Lake, num, optStr, type Row, str } from './store';

export type ProgressListener = (executionArn: string, event: RunnerEvent) => void;

// Step Functions rejects whitespace, these characters and control characters in names.
const BAD_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControl = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};
const badName = (name: string) => BAD_NAME_CHARS.test(name) || [...name].some(isControl);

const executionArnOf = (machine: string, name: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine}:${name}`;

const toDescription = (r: Row): sfn.DescribeExecutionCommandOutput => ({
  $metadata: {},
  executionArn: str(r.execution_arn),
  stateMachineArn: str(r.state_machine_arn),
  name: str(r.name),
  status: str(r.status) as sfn.ExecutionStatus,
  startDate: new Date(num(r.start_ms)),
  stopDate: r.stop_ms === null || r.stop_ms === undefined ? undefined : new Date(num(r.stop_ms)),
  input: optStr(r.input),
  inputDetails: { included: true },
  output: optStr(r.output),
  outputDetails: r.output === null ? undefined : { included: true },
  error: optStr(r.error),
  cause: optStr(r.cause),
});

export class LocalSfn implements SfnPort {
  private readonly machines = new Map<string, PreparedStateMachine>();
  private readonly running = new Map<string, Promise<void>>();
  private progress: ProgressListener | undefined;

  private constructor(
    private readonly lake: Lake,
    private readonly runner: Runner,
  ) {}

  /** Executions left RUNNING by an exited process are closed as FAILED: nothing hangs forever. */
  static async create(lake: Lake, runner: Runner, machines: PreparedStateMachine[] = []): Promise<LocalSfn> {
    await lake.write((db) =>
      db.run(
        "UPDATE sfn_executions SET status = 'FAILED', error = 'States.Runtime', cause = $1, stop_ms = $2 WHERE status = 'RUNNING'",
        ['The local process running this execution exited before it finished', Date.now()],
      ),
    );
    const s = new LocalSfn(lake, runner);
    for (const m of machines) s.register(m);
    return s;
  }

  register(machine: PreparedStateMachine): void {
    this.machines.set(machine.arn, machine);
  }

  stateMachines(): PreparedStateMachine[] {
    return [...this.machines.values()];
  }

  /** Called for every state entered/exited/failed/retried/caught of every execution (CLI progress). */
  setProgressListener(listener: ProgressListener | undefined): void {
    this.progress = listener;
  }

  async startExecution(input: sfn.StartExecutionCommandInput): Promise<sfn.StartExecutionCommandOutput> {
    const machineArn = input.stateMachineArn ?? '';
    if (!machineArn.startsWith('arn:'))
      throw awsError<typeof sfn>('InvalidArn', `Invalid Arn: '${machineArn}'`);
    const machine = this.machines.get(machineArn);
    if (!machine)
      throw awsError<typeof sfn>('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    const name = input.name ?? randomUUID();
    if (!name.length || name.length > 80 || badName(name))
      throw awsError<typeof sfn>('InvalidName', `Invalid Name: '${name}'`);
    const rawInput = input.input ?? '{}';
    let parsed: Json;
    try {
      parsed = JSON.parse(rawInput) as Json;
    } catch (err) {
      throw awsError<typeof sfn>(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${errorMessage(err)}'`,
      );
    }
    const normalized = JSON.stringify(parsed);
    const executionArn = executionArnOf(machine.name, name);
    const startMs = Date.now();
    const existing = await this.lake.write(async (db) => {
      const rows = await db.all('SELECT * FROM sfn_executions WHERE execution_arn = $1', [executionArn]);
      if (rows.length) {
        const r = rows[0]!;
        if (str(r.status) === 'RUNNING' && str(r.input) === normalized) return new Date(num(r.start_ms));
        throw awsError<typeof sfn>('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      await db.run(
        "INSERT INTO sfn_executions VALUES ($1, $2, $3, $4, NULL, 'RUNNING', NULL, NULL, $5, NULL, '[]')",
        [executionArn, machineArn, name, normalized, startMs],
      );
      return undefined;
    });
    if (existing) return { $metadata: {}, executionArn, startDate: existing };
    const done = this.runner
      .run(machine, parsed, {
        executionArn,
        executionName: name,
        onEvent: (e) => this.progress?.(executionArn, e),
      })
      .then((outcome) => this.record(executionArn, outcome))
      .catch((err) =>
        this.record(executionArn, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: errorMessage(err),
          history: [],
        }),
      );
    this.running.set(executionArn, done);
    void done.finally(() => this.running.delete(executionArn));
    return { $metadata: {}, executionArn, startDate: new Date(startMs) };
  }

  async describeExecution(
    input: sfn.DescribeExecutionCommandInput,
  ): Promise<sfn.DescribeExecutionCommandOutput> {
    const arn = input.executionArn ?? '';
    const rows = await this.lake.read((db) =>
      db.all('SELECT * FROM sfn_executions WHERE execution_arn = $1', [arn]),
    );
    if (!rows.length)
      throw awsError<typeof sfn>('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return toDescription(rows[0]!);
  }

  /** Local-only: resolves with the closed execution. */
  async waitForExecution(executionArn: string): Promise<sfn.DescribeExecutionCommandOutput> {
    await this.running.get(executionArn);
    return this.describeExecution({ executionArn });
  }

  /** Local-only: the recorded state events of an execution (entered/exited/failed/retried/caught). */
  async getExecutionHistory(executionArn: string): Promise<RunnerEvent[]> {
    const rows = await this.lake.read((db) =>
      db.all('SELECT history FROM sfn_executions WHERE execution_arn = $1', [executionArn]),
    );
    if (!rows.length)
      throw awsError<typeof sfn>('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return json<RunnerEvent[]>(rows[0]!.history, []);
  }

  /** Local-only: executions, newest first. */
  async listExecutions(stateMachineArn?: string): Promise<sfn.DescribeExecutionCommandOutput[]> {
    const rows = await this.lake.read((db) =>
      stateMachineArn
        ? db.all('SELECT * FROM sfn_executions WHERE state_machine_arn = $1 ORDER BY start_ms DESC', [
            stateMachineArn,
          ])
        : db.all('SELECT * FROM sfn_executions ORDER BY start_ms DESC'),
    );
    return rows.map(toDescription);
  }

  /** True when nothing started by this process is still running. */
  isIdle(): boolean {
    return this.running.size === 0;
  }

  /** Local-only: waits for every execution started by this process. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  private async record(executionArn: string, outcome: ExecutionOutcome): Promise<void> {
    const ok = outcome.status === 'SUCCEEDED';
    await this.lake.write((db) =>
      db.run(
        'UPDATE sfn_executions SET status = $1, output = $2, error = $3, cause = $4, stop_ms = $5, history = $6 WHERE execution_arn = $7',
        [
          outcome.status,
          ok ? JSON.stringify(outcome.output) : null,
          ok ? null : outcome.error,
          ok ? null : outcome.cause,
          Date.now(),
          JSON.stringify(outcome.history),
          executionArn,
        ],
      ),
    );
  }
}
