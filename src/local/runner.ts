// Runs statemachines/*.asl.yaml locally with aws-local-stepfunctions. Every Task is dispatched by its
// `Resource` through one TaskDispatcher — Lambda handlers in-process, Glue's .sync job runs, aws-sdk
// integrations on the emulators, EventBridge — never by state name. Waits and retry back-offs take
// no real time locally.
import '../polyfills';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { parse as parseYaml, type Tags } from 'yaml';
import type { EventBridgePort, SfnPort } from '../aws/ports';
import type { HandlerFactory, Services } from '../aws/services';
import { buildFile, contentKey, readBuildRecord, writeBuildRecord } from '../build-record';
import { errorMessage } from '../errors';
import { lazy } from '../lazy';
import { stateMachineArn } from './catalog';
import { isServiceError } from './errors';
import type { LocalGlue } from './glue';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './s3';
import { validatedByBuild } from './validated-definitions';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Deep copy through JSON, not structuredClone: under jest's vm sandbox structuredClone returns
 * objects of the host realm, which aws-local-stepfunctions' plain-object check rejects (nested
 * `.$` fields would then go unresolved).
 */
export const jsonClone = <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);

// ---------------------------------------------------------------------------------------------
// YAML and CloudFormation intrinsics

const CFN_FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
];

/** Short-form CloudFormation tags (`!Ref X`) become their long form so any YAML file parses. */
const cfnTags: Tags = [
  { tag: '!Ref', resolve: (v: string) => ({ Ref: v }) },
  { tag: '!Condition', resolve: (v: string) => ({ Condition: v }) },
  ...CFN_FUNCTIONS.flatMap((fn) => [
    {
      tag: `!${fn}`,
      resolve: (v: string) => ({ [`Fn::${fn}`]: fn === 'GetAtt' ? v.split('.') : v }),
    },
    {
      tag: `!${fn}`,
      collection: 'seq' as const,
      resolve: (v: unknown) => ({ [`Fn::${fn}`]: (v as { toJSON(): unknown }).toJSON() }),
    },
  ]),
];

const parseCfnYaml = (text: string): unknown => parseYaml(text, { customTags: cfnTags });

// Parsing serverless.yml and the state machines takes ~0.3 s of every process that opens the local
// stack (the yaml library's first calls run cold), against ~1 ms for the same values as JSON. The
// build records them as JSON, keyed by the text and the parser (the yaml version and the tags' code),
// so an edited file, or another parser, is parsed as before.
const PARSED_AT_BUILD = buildFile('parsed-yaml.json');
const parserKey = lazy(() =>
  JSON.stringify([(require('yaml/package.json') as { version: string }).version, cfnTags], (_, v) =>
    typeof v === 'function' ? String(v) : v,
  ),
);
const yamlKey = (text: string) => contentKey(parserKey(), text);
// no build: parse
const parsedAtBuild = lazy(() => readBuildRecord<Record<string, string>>(PARSED_AT_BUILD) ?? {});

// A process that opens the local stack many times (a long command, a test file) parses a text once;
// callers get copies, as they would of a fresh parse.
const parsedHere = new Map<string, unknown>();

export function readYaml(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  const key = yamlKey(text);
  const stored = parsedAtBuild()[key];
  if (stored !== undefined) return JSON.parse(stored);
  if (!parsedHere.has(key)) parsedHere.set(key, parseCfnYaml(text));
  return structuredClone(parsedHere.get(key));
}

/** Build step: records the files' parsed values, those that JSON holds exactly. */
export function recordParsedYaml(paths: string[]): void {
  const parsed: Record<string, string> = {};
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const value = parseCfnYaml(text);
    const json = JSON.stringify(value);
    if (isDeepStrictEqual(JSON.parse(json), value)) parsed[yamlKey(text)] = json;
  }
  writeBuildRecord(PARSED_AT_BUILD, parsed);
}

/** How `Ref` and `Fn::GetAtt` resolve locally. */
export interface IntrinsicResolver {
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
}

export const lambdaArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'autogov-local',
};

/**
 * Default local resolution: `Ref X` → `refs[X]` or the logical id itself (a local resource is named
 * by its logical id); `GetAtt X.Arn` → a Lambda ARN for `*LambdaFunction`, a state machine ARN for
 * `*StateMachine`, else a generic local ARN; other attributes → the logical id.
 */
export function defaultIntrinsics(refs: Record<string, string> = {}): IntrinsicResolver {
  return {
    ref: (id) => refs[id] ?? PSEUDO[id] ?? id,
    getAtt: (id, attr) => {
      const name = refs[id] ?? id;
      if (attr !== 'Arn') return name;
      if (id.endsWith('LambdaFunction')) return lambdaArn(name);
      if (id.endsWith('StateMachine')) return stateMachineArn(name);
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces Ref / Fn::GetAtt / Fn::Sub / Fn::Join anywhere in a value; other Fn:: throw. */
export function resolveIntrinsics(value: unknown, r: IntrinsicResolver): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, r));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const k = keys[0]!;
    const arg = value[k];
    if (k === 'Ref' && typeof arg === 'string') return r.ref(arg);
    if (k === 'Fn::GetAtt') {
      const [id, ...attr] =
        typeof arg === 'string' ? arg.split('.') : (resolveIntrinsics(arg, r) as string[]);
      return r.getAtt(String(id), attr.join('.'));
    }
    if (k === 'Fn::Join' && Array.isArray(arg)) {
      const [sep, list] = resolveIntrinsics(arg, r) as [string, unknown[]];
      return list.map(String).join(sep);
    }
    if (k === 'Fn::Sub') {
      const [template, vars] = (typeof arg === 'string' ? [arg, {}] : resolveIntrinsics(arg, r)) as [
        string,
        Record<string, unknown>,
      ];
      return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
        if (name in vars) return String(vars[name]);
        const [id, ...attr] = name.split('.');
        return attr.length ? r.getAtt(id!, attr.join('.')) : r.ref(id!);
      });
    }
    if (k.startsWith('Fn::')) throw new Error(`${k} is not supported by the local runner`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, r)]));
}

// ---------------------------------------------------------------------------------------------
// Lambda functions

/** Function name → a handler module path or a handler factory. */
export type LambdaRegistry = Record<string, string | HandlerFactory>;

/** `arn:aws:lambda:…:function:Name[:qualifier]` or `Name[:qualifier]` → `Name`. */
const functionNameOf = (nameOrArn: string) =>
  nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? '') : (nameOrArn.split(':')[0] ?? '');

// ---------------------------------------------------------------------------------------------
// Task dispatch

/** An aws-sdk integration target: an emulator (or client) and the Pascal-case error prefix. */
export interface SdkIntegration {
  client: object;
  /** e.g. 'Glue' → errors `Glue.EntityNotFoundException` */
  errorPrefix: string;
}

export interface TaskContext {
  executionArn: string;
  stateName: string;
}

export type TaskHandler = (parameters: Json, ctx: TaskContext) => Promise<Json>;

/** A Task failure as Step Functions reports it: `name` is the Error, `message` the Cause. */
export class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/** SDK outputs as Step Functions returns them: plain JSON, no `$metadata`, dates as ISO strings, bodies as text. */
async function toJson(value: unknown): Promise<Json> {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return Promise.all(value.map(toJson));
  if (typeof value === 'object') {
    const maybeStream = value as { transformToString?: unknown };
    if (typeof maybeStream.transformToString === 'function') {
      return (value as { transformToString(): Promise<string> }).transformToString();
    }
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[k] = await toJson(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  return value as Json;
}

export interface DispatcherOptions {
  /**
   * Services handed to `createHandler` for the named function, as its role sees them (lazy: the
   * services object contains this runner).
   */
  services: (functionName: string) => Services;
  lambdas: LambdaRegistry;
  /** aws-sdk integrations by the service name used in the ARN (`glue`, `lakeformation`, `s3`, …). */
  sdk: Record<string, SdkIntegration>;
  glue: LocalGlue;
  events: EventBridgePort;
  sfn?: () => SfnPort;
}

const paramsObject = (p: Json): Record<string, Json> => (isObject(p) ? (p as Record<string, Json>) : {});

/** Maps a Task `Resource` to its local implementation. Adding a service = adding an `sdk` entry. */
export class TaskDispatcher {
  private readonly handlers = new Map<string, Promise<(event: unknown) => Promise<unknown>>>();

  constructor(private readonly opts: DispatcherOptions) {}

  /** Plugs in another aws-sdk service (e.g. textract) after construction. */
  addSdk(service: string, integration: SdkIntegration): void {
    this.opts.sdk[service] = integration;
  }

  /** The handler for a Resource, or undefined when it has no local implementation. */
  resolve(resource: string): TaskHandler | undefined {
    switch (resource) {
      case 'arn:aws:states:::lambda:invoke':
        return (p) => this.invokeLambda(paramsObject(p));
      case 'arn:aws:states:::glue:startJobRun':
        return (p) => this.callSdk('glue', 'startJobRun', p);
      case 'arn:aws:states:::glue:startJobRun.sync':
        return (p) => this.glueJobSync(p);
      case 'arn:aws:states:::events:putEvents':
        return (p) => this.putEvents(p);
      case 'arn:aws:states:::states:startExecution':
        return async (p) => {
          if (!this.opts.sfn) throw new TaskError('States.Runtime', 'no local Step Functions available');
          return toJson(await this.opts.sfn().startExecution(paramsObject(p) as never));
        };
    }
    const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/.exec(resource);
    if (sdk && this.opts.sdk[sdk[1]!]) return (p) => this.callSdk(sdk[1]!, sdk[2]!, p);
    return undefined;
  }

  /** Invokes a local function directly (EventBridge targets); errors propagate as thrown. */
  async invokeFunction(nameOrArn: string, event: unknown): Promise<unknown> {
    const handler = await this.handlerFor(functionNameOf(nameOrArn));
    return handler(jsonClone(event));
  }

  /** Every local Lambda handler module is loaded once per dispatcher (a warm container). */
  private handlerFor(name: string): Promise<(event: unknown) => Promise<unknown>> {
    let h = this.handlers.get(name);
    if (!h) {
      const entry = this.opts.lambdas[name];
      if (entry === undefined) {
        throw new TaskError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${name} (local functions: ${Object.keys(this.opts.lambdas).join(', ') || 'none'})`,
        );
      }
      h = (async () => {
        let factory: HandlerFactory;
        if (typeof entry === 'string') {
          // require (not import): jest and tsx both transpile .ts modules loaded this way.
          const mod = require(entry) as { createHandler?: HandlerFactory };
          if (typeof mod.createHandler !== 'function')
            throw new Error(`${entry} does not export createHandler`);
          factory = mod.createHandler;
        } else {
          factory = entry;
        }
        return factory(this.opts.services(name));
      })();
      this.handlers.set(name, h);
    }
    return h;
  }

  private async invokeLambda(p: Record<string, Json>): Promise<Json> {
    const name = functionNameOf(String(p.FunctionName ?? ''));
    const handler = await this.handlerFor(name);
    const event = jsonClone(p.Payload ?? {});
    let result: unknown;
    try {
      result = await handler(event);
    } catch (err) {
      // As Lambda reports a function error: Error = errorType, Cause = the JSON error object.
      const e = err instanceof Error ? err : new Error(String(err));
      const errorType = e.name || 'Error';
      const cause = JSON.stringify({
        errorType,
        errorMessage: e.message,
        trace: (e.stack ?? '').split('\n'),
      });
      throw new TaskError(errorType, cause);
    }
    return { ExecutedVersion: '$LATEST', Payload: await toJson(result), StatusCode: 200 };
  }

  private async callSdk(service: string, action: string, p: Json): Promise<Json> {
    const integration = this.opts.sdk[service];
    if (!integration) throw new TaskError('States.Runtime', `no local integration for aws-sdk:${service}`);
    const client = integration.client as Record<string, unknown>;
    const method = client[action];
    if (action === 'constructor' || typeof method !== 'function') {
      throw new TaskError('States.Runtime', `aws-sdk:${service}:${action} is not implemented locally`);
    }
    try {
      return await toJson(
        await (method as (input: unknown) => Promise<unknown>).call(client, paramsObject(p)),
      );
    } catch (err) {
      if (isServiceError(err)) {
        const code = err.name.endsWith('Exception') ? err.name : `${err.name}Exception`;
        throw new TaskError(`${integration.errorPrefix}.${code}`, err.message);
      }
      throw new TaskError('States.TaskFailed', errorMessage(err));
    }
  }

  private async glueJobSync(p: Json): Promise<Json> {
    const started = paramsObject(await this.callSdk('glue', 'startJobRun', p));
    const jobName = String(paramsObject(p).JobName);
    const run = await this.opts.glue.waitForJobRun(jobName, String(started.JobRunId));
    const json = await toJson(run);
    if (run.JobRunState !== 'SUCCEEDED') throw new TaskError('States.TaskFailed', JSON.stringify(json));
    return json;
  }

  private async putEvents(p: Json): Promise<Json> {
    const out = await this.opts.events.putEvents(paramsObject(p) as never);
    const json = await toJson(out);
    if (out.FailedEntryCount) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(json));
    return json;
  }
}

// ---------------------------------------------------------------------------------------------
// Loading and running state machines

/** A definition ready to run: intrinsics resolved, every Task resource known. */
export interface PreparedStateMachine {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  /** Task state name → Resource (names unique across nested Parallel/Map machines) */
  tasks: Map<string, string>;
  waits: string[];
  retryables: string[];
}

// The library's default Task timeout is 60 s; Step Functions has none. 20 days stays below
// setTimeout's 2^31 ms ceiling.
const NO_TIMEOUT_SECONDS = 20 * 24 * 3600;

type StateLike = Record<string, unknown>;

function walkStates(machine: unknown, visit: (name: string, state: StateLike) => void): void {
  if (!isObject(machine) || !isObject(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) continue;
    visit(name, state);
    if (Array.isArray(state.Branches)) for (const b of state.Branches) walkStates(b, visit);
    walkStates(state.ItemProcessor, visit);
    walkStates(state.Iterator, visit);
  }
}

export interface RunnerEvent {
  type: string;
  timestamp: number;
  state?: string;
  stateType?: string;
  error?: string;
  cause?: string;
  /** retry attempt, for StateRetried */
  attempt?: number;
}

export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: Json; history: RunnerEvent[] }
  | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error: string; cause: string; history: RunnerEvent[] };

export interface RunOptions {
  executionArn: string;
  executionName: string;
  onEvent?: (event: RunnerEvent) => void;
}

/** ASL definitions (as JSON) the library's validator has accepted in this process. */
const VALID_DEFINITIONS = new Set<string>();

/**
 * A state machine file as the local runner runs it: intrinsics resolved, every Task without a timeout
 * given one, and its Task resources, Waits and Retry states listed. Pure: the build's validation of
 * the definitions (src/local/validated-definitions.ts) runs the same function as the runner.
 */
export function resolveDefinition(
  name: string,
  raw: unknown,
  intrinsics: IntrinsicResolver,
): Omit<PreparedStateMachine, 'arn'> {
  const definition = jsonClone(resolveIntrinsics(raw, intrinsics)) as StateMachineDefinition;
  const tasks = new Map<string, string>();
  const waits: string[] = [];
  const retryables: string[] = [];
  walkStates(definition, (stateName, state) => {
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      const known = tasks.get(stateName);
      if (known !== undefined && known !== resource) {
        throw new Error(`${name}: two Task states named ${stateName} use different resources`);
      }
      tasks.set(stateName, resource);
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
        state.TimeoutSeconds = NO_TIMEOUT_SECONDS;
      }
    }
    if (state.Type === 'Wait') waits.push(stateName);
    if (Array.isArray(state.Retry)) retryables.push(stateName);
  });
  return { name, definition, tasks, waits, retryables };
}

/**
 * The library's ASL validator, which throws on a bad definition. It is given a copy: it writes
 * defaults into what it validates.
 */
export function validateDefinition(text: string): void {
  new StateMachine(JSON.parse(text));
}

/** A definition file's machine name: the file is `<name>.asl.yaml` / `.asl.json`. */
export const machineNameOf = (path: string) => basename(path).replace(/\.asl\.(ya?ml|json)$/, '');

/** The state machine files of a folder, in name order. */
export const definitionFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.asl\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(dir, f));

export class Runner {
  constructor(
    private readonly dispatcher: TaskDispatcher,
    private readonly intrinsics: IntrinsicResolver = defaultIntrinsics(),
  ) {}

  /** Loads one `*.asl.yaml` / `*.asl.json`; the machine is named after the file. */
  loadFile(path: string): PreparedStateMachine {
    return this.prepare(machineNameOf(path), readYaml(path));
  }

  /** Loads every state machine in a folder. */
  loadDir(dir: string): PreparedStateMachine[] {
    return definitionFiles(dir).map((f) => this.loadFile(f));
  }

  /** Resolves intrinsics and checks that every Task resource has a local implementation. */
  prepare(name: string, raw: unknown): PreparedStateMachine {
    const resolved = resolveDefinition(name, raw, this.intrinsics);
    for (const [stateName, resource] of resolved.tasks) {
      if (!this.dispatcher.resolve(resource)) {
        throw new Error(`${name}: state ${stateName}: no local implementation for Resource ${resource}`);
      }
    }
    // Validate now (the library's ASL validator) so a bad definition fails at load, not mid-run; once per
    // definition and process, as the validator compiles its JSON schemas anew on every call (~0.5 s),
    // and not at all for a definition the build validated (src/local/validated-definitions.ts).
    const text = JSON.stringify(resolved.definition);
    if (!VALID_DEFINITIONS.has(text)) {
      if (!validatedByBuild(text)) validateDefinition(text);
      VALID_DEFINITIONS.add(text);
    }
    return { ...resolved, arn: stateMachineArn(name) };
  }

  async run(machine: PreparedStateMachine, input: Json, opts: RunOptions): Promise<ExecutionOutcome> {
    const history: RunnerEvent[] = [];
    const taskResourceLocalHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, resource] of machine.tasks) {
      const handler = this.dispatcher.resolve(resource)!;
      taskResourceLocalHandlers[stateName] = (p) =>
        handler(p, { executionArn: opts.executionArn, stateName });
    }
    const sm = new StateMachine(machine.definition, { validationOptions: { noValidate: true } });
    const execution = sm.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: taskResourceLocalHandlers as never,
        waitTimeOverrides: Object.fromEntries(machine.waits.map((w) => [w, 0])),
        retryIntervalOverrides: Object.fromEntries(machine.retryables.map((r) => [r, 0])),
      },
      context: {
        Execution: {
          Id: opts.executionArn,
          Name: opts.executionName,
          RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local`,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    const logging = (async () => {
      for await (const e of execution.eventLogs) {
        const ev: RunnerEvent = { type: e.type, timestamp: e.timestamp };
        if ('state' in e) {
          ev.state = e.state.name;
          ev.stateType = e.state.type;
        }
        if ('Error' in e) {
          ev.error = String(e.Error);
          ev.cause = typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause ?? null);
        }
        if (e.type === 'StateRetried') ev.attempt = e.retry.attempt;
        history.push(ev);
        opts.onEvent?.(ev);
      }
    })();
    try {
      const output = (await execution.result) as Json;
      await logging;
      return { status: 'SUCCEEDED', output, history };
    } catch (err) {
      await logging.catch(() => undefined);
      return { ...failureOf(err), history };
    }
  }
}

function failureOf(err: unknown): {
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  error: string;
  cause: string;
} {
  const e = err as Error & { cause?: unknown };
  if (e?.name === 'ExecutionTimeoutError')
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: e.message };
  if (e?.name === 'ExecutionAbortedError')
    return { status: 'ABORTED', error: 'States.Aborted', cause: e.message };
  if (e?.name === 'ExecutionError' && e.cause instanceof Error) {
    return { status: 'FAILED', error: e.cause.name, cause: e.cause.message };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: errorMessage(err) };
}
