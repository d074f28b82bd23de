// The local stack: every port backed by an emulator on one lake, the runner loading
// statemachines/*.asl.yaml, and serverless.yml's functions and EventBridge rules wired in-process.
import '../polyfills';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { S3Port } from '../aws/ports';
import type { Services } from '../aws/services';
import { loadGovernance } from '../config/load';
import type { ComprehendPort, RekognitionPort, TextractPort, TranscribePort } from '../extract/ports';
import { PACKAGE_ROOT } from '../paths';
import {
  LOCAL_ARTIFACTS_BUCKET,
  LOCAL_CERTIFIED_BUCKET,
  LOCAL_DOCUMENTS_DATABASE,
  LOCAL_EXTRACTED_BUCKET,
  LOCAL_RAW_BUCKET,
  LOCAL_STAGE,
  type LocalCatalog,
  type LocalCatalogOptions,
  localSettings,
  stateMachineArn,
} from './catalog';
import { LocalEventBridge, type LocalRule } from './events';
import { LocalGlue, type LocalJob } from './glue';
import { IamCallLog, loggedAs } from './iam-calls';
import { LocalLakeFormation } from './lakeformation';
import {
  type CfnResources,
  LakeFormationGrants,
  localRoleArn,
  PrincipalLakeFormation,
  renderGovernanceResources,
} from './permissions';
import {
  defaultIntrinsics,
  definitionFiles,
  type LambdaRegistry,
  machineNameOf,
  Runner,
  readYaml,
  recordParsedYaml,
  resolveDefinition,
  resolveIntrinsics,
  type SdkIntegration,
  TaskDispatcher,
  validateDefinition,
} from './runner';
import { LocalS3 } from './s3';
import { readServerless, resolvePattern, type ServerlessLocalView } from './serverless';
import { LocalSfn, type ProgressListener } from './sfn';
import { openLake } from './store';
import { recordValidated } from './validated-definitions';

// stage.js, not governance.js: governance.js loads tsx to compile src/ (a fifth of an ingest's CPU).
const { documentsDatabaseName } = require(join(PACKAGE_ROOT, 'serverless', 'stage.js')) as {
  documentsDatabaseName: (stage: string) => string;
};

/** The local name of a stack database: the documents database is `autogov_documents` locally. */
export const localDatabaseName = (cloudName: string) =>
  cloudName === documentsDatabaseName(LOCAL_STAGE) ? LOCAL_DOCUMENTS_DATABASE : cloudName;

/** The AI services of the ingestion path; each factory gets the lake's S3 (tests inject failing ones). */
export interface LocalAiServices {
  textract?: (s3: S3Port) => TextractPort;
  transcribe?: (s3: S3Port) => TranscribePort;
  comprehend?: (s3: S3Port) => ComprehendPort;
  rekognition?: (s3: S3Port) => RekognitionPort;
}

export interface LocalServicesOptions extends LocalCatalogOptions {
  /** a new catalog for a lake whose catalog.duckdb was lost, holding its stored objects again */
  rebuildCatalog?: boolean;
  /** default: <projectRoot>/statemachines; every *.asl.yaml there is loaded */
  stateMachinesDir?: string;
  /** functions added to (or replacing) those read from serverless.yml */
  lambdas?: LambdaRegistry;
  /** local Glue job implementations by job name (the name `Ref: <JobLogicalId>` resolves to) */
  jobs?: Record<string, LocalJob>;
  /** how long a GetJobRun poll waits for a running job (LocalGlueOptions.pollGraceMs) */
  jobPollGraceMs?: number;
  /** extra `Ref` values (logical id → local name/ARN) */
  refs?: Record<string, string>;
  /** rules added to those read from serverless.yml */
  rules?: LocalRule[];
  /** read EventBridge rules from serverless.yml (default true) */
  serverlessRules?: boolean;
  /** more aws-sdk integrations by ARN service name, e.g. { textract: { client, errorPrefix: 'Textract' } } */
  sdk?: Record<string, SdkIntegration>;
  /** progress of every execution, per state */
  onProgress?: ProgressListener;
  /** replaces the local Textract/Transcribe/Comprehend/Rekognition emulators */
  ai?: LocalAiServices;
  /**
   * Edits the stack's rendered governance resources before their grants are enforced (tests remove
   * one grant at a time to prove the stack needs it).
   */
  editResources?: (resources: CfnResources) => CfnResources;
}

export interface LocalServices extends Omit<Services, 's3' | 'glue' | 'lakeFormation'>, LocalCatalog {
  sfn: LocalSfn;
  events: LocalEventBridge;
  runner: Runner;
  dispatcher: TaskDispatcher;
  /** What a local Glue job calls, as its serverless.yml `Role`. */
  forJob(jobName: string): Services;
  /** The IAM requests every role made so far (Lambda roles, the Glue job role). */
  iamCalls: IamCallLog;
  /** The stack's rendered governance resources, as enforced (after `editResources`). */
  stackResources(): CfnResources;
  /** Waits until no event delivery, execution or job run is in flight. */
  drain(): Promise<void>;
  /** drain(), then closes the lake. */
}

/**
 * A port whose emulator is made, and its module loaded, when first used: only ingestion of raw
 * objects calls the AI services, whose emulators load NLP engines and an SDK client (~0.14 s).
 */
function onFirstUse<T extends object>(make: () => T): T {
  let port: T | undefined;
  return new Proxy({} as T, {
    get(_, prop) {
      port ??= make();
      const value: unknown = Reflect.get(port, prop);
      return typeof value === 'function' ? value.bind(port) : value;
    },
  });
}

/** How the local stack resolves `Ref` / `Fn::GetAtt`: its buckets, state machines and logical ids. */
function localIntrinsics(sls: ServerlessLocalView, extraRefs: Record<string, string> = {}) {
  return defaultIntrinsics({
    RawBucket: LOCAL_RAW_BUCKET,
    ArtifactsBucket: LOCAL_ARTIFACTS_BUCKET,
    ExtractedBucket: LOCAL_EXTRACTED_BUCKET,
    CertifiedBucket: LOCAL_CERTIFIED_BUCKET,
    ...Object.fromEntries(
      Object.entries(sls.stateMachineIds).map(([id, name]) => [id, stateMachineArn(name)]),
    ),
    ...extraRefs,
  });
}

/**
 * Build step: validates the state machines openLocalServices loads from the package (as the runner
 * resolves them) and records them, so a run skips the validator for exactly those definitions.
 */
export function validateLocalDefinitions(projectRoot = PACKAGE_ROOT): void {
  const intrinsics = localIntrinsics(readServerless(projectRoot));
  const texts = definitionFiles(join(projectRoot, 'statemachines')).map((file) =>
    JSON.stringify(resolveDefinition(machineNameOf(file), readYaml(file), intrinsics).definition),
  );
  for (const text of texts) validateDefinition(text);
  recordValidated(texts);
}

/** Build step: serverless.yml and the state machines as JSON, so a run need not parse their YAML. */
export function recordLocalYaml(projectRoot = PACKAGE_ROOT): void {
  recordParsedYaml([
    join(projectRoot, 'serverless.yml'),
    ...definitionFiles(join(projectRoot, 'statemachines')),
  ]);
}

export async function openLocalServices(
  lakeRoot = '.autogov',
  opts: LocalServicesOptions = {},
): Promise<LocalServices> {
  const projectRoot = resolve(opts.projectRoot ?? process.cwd());
  const sls = readServerless(projectRoot);
  const lake = await openLake(lakeRoot, 'write', { rebuild: opts.rebuildCatalog });
  try {
    const machinesDir = opts.stateMachinesDir ?? join(projectRoot, 'statemachines');
    const intrinsics = localIntrinsics(sls, opts.refs);
    const settings = localSettings({ projectRoot, governancePath: opts.governancePath });

    const s3 = new LocalS3(lake);
    // A role's ARN is its local one (`Fn::GetAtt [ApplyTagsRole, Arn]` in a job's DefaultArguments).
    const roles = new Set([...Object.values(sls.roles), ...Object.values(sls.jobRoles)]);
    const withRoles = {
      ...intrinsics,
      getAtt: (id: string, attr: string) =>
        roles.has(id) && attr === 'Arn' ? localRoleArn(id) : intrinsics.getAtt(id, attr),
    };
    const defaultArguments = Object.fromEntries(
      Object.entries(sls.jobDefaultArguments).map(([id, a]) => [
        id,
        resolveIntrinsics(a, withRoles) as Record<string, string>,
      ]),
    );
    const glue = await LocalGlue.create(lake, {
      jobs: opts.jobs,
      defaultArguments,
      maxConcurrentRuns: sls.glueJobConcurrency,
      pollGraceMs: opts.jobPollGraceMs,
    });
    const lakeFormation = new LocalLakeFormation(lake);
    const events = new LocalEventBridge();
    const ai = opts.ai ?? {};
    const textract =
      ai.textract?.(s3) ??
      onFirstUse(() => new (require('./textract') as typeof import('./textract')).LocalTextract(s3));
    const transcribe =
      ai.transcribe?.(s3) ??
      onFirstUse(() => new (require('./transcribe') as typeof import('./transcribe')).LocalTranscribe(s3));
    const comprehend =
      ai.comprehend?.(s3) ??
      onFirstUse(() => new (require('./comprehend') as typeof import('./comprehend')).LocalComprehend());
    const rekognition =
      ai.rekognition?.(s3) ??
      onFirstUse(() => new (require('./rekognition') as typeof import('./rekognition')).LocalRekognition(s3));
    // Each function runs as its serverless.yml role: Lake Formation calls are checked against the
    // grants the stack gives that role (src/local/permissions.ts). A function without a role has none.
    // Rendered on first use: stacks opened without a governance.yml (runner tests) grant nothing.
    let resources: CfnResources | undefined;
    const stackResources = () => {
      if (!resources) {
        const rendered = existsSync(settings.governancePath)
          ? renderGovernanceResources(loadGovernance(settings.governancePath).config, LOCAL_STAGE)
          : {};
        resources = opts.editResources?.(rendered) ?? rendered;
      }
      return resources;
    };
    let grants: LakeFormationGrants | undefined;
    const stackGrants = () => {
      grants ??= LakeFormationGrants.fromResources(stackResources(), localDatabaseName);
      return grants;
    };
    // Every call a role makes is logged as its IAM request (src/local/iam-calls.ts).
    const iamCalls = new IamCallLog();
    const asRole = new Map<string, Services>();
    const servicesAs = (role: string): Services => {
      let view = asRole.get(role);
      if (!view) {
        const principal = localRoleArn(role);
        const as = <T extends object>(port: T, service: string) =>
          loggedAs(port, service, principal, iamCalls);
        view = {
          settings,
          s3: as(s3, 's3'),
          glue: as(glue.asCaller(principal), 'glue'),
          lakeFormation: as(
            new PrincipalLakeFormation(lakeFormation, stackGrants(), principal),
            'lakeformation',
          ),
          sfn: as(services!.sfn, 'sfn'),
          events: as(events, 'events'),
          textract: as(textract, 'textract'),
          transcribe: as(transcribe, 'transcribe'),
          comprehend: as(comprehend, 'comprehend'),
          rekognition: as(rekognition, 'rekognition'),
        };
        asRole.set(role, view);
      }
      return view;
    };
    const servicesFor = (functionName: string) =>
      servicesAs(sls.roles[functionName] ?? `${functionName}-NoRole`);
    let services: LocalServices | undefined;
    const dispatcher = new TaskDispatcher({
      services: servicesFor,
      lambdas: { ...sls.lambdas, ...opts.lambdas },
      glue,
      events,
      sfn: () => services!.sfn,
      sdk: {
        s3: { client: s3, errorPrefix: 'S3' },
        glue: { client: glue, errorPrefix: 'Glue' },
        lakeformation: { client: lakeFormation, errorPrefix: 'LakeFormation' },
        eventbridge: { client: events, errorPrefix: 'EventBridge' },
        textract: { client: textract, errorPrefix: 'Textract' },
        transcribe: { client: transcribe, errorPrefix: 'Transcribe' },
        comprehend: { client: comprehend, errorPrefix: 'Comprehend' },
        rekognition: { client: rekognition, errorPrefix: 'Rekognition' },
        ...opts.sdk,
      },
    });
    const runner = new Runner(dispatcher, intrinsics);
    const machines = existsSync(machinesDir) ? runner.loadDir(machinesDir) : [];
    const sfn = await LocalSfn.create(lake, runner, machines);
    sfn.setProgressListener(opts.onProgress);
    // sfn joins the aws-sdk integrations once it exists (aws-sdk:sfn:startExecution etc.).
    dispatcher.addSdk('sfn', { client: sfn, errorPrefix: 'Sfn' });

    await s3.createBucket(LOCAL_RAW_BUCKET, { eventBridge: true });
    await s3.createBucket(LOCAL_ARTIFACTS_BUCKET, { eventBridge: false });
    await s3.createBucket(LOCAL_EXTRACTED_BUCKET, { eventBridge: false });
    await s3.createBucket(LOCAL_CERTIFIED_BUCKET, { eventBridge: false });
    if (opts.rebuildCatalog) await s3.adoptStoredObjects();
    s3.setEventListener((event) => {
      events.deliver(event);
    });

    if (opts.serverlessRules ?? true) {
      for (const r of sls.rules) {
        events.addRule({
          name: r.name,
          pattern: resolvePattern(r.pattern, intrinsics),
          target: (event) => dispatcher.invokeFunction(r.functionKey, event),
        });
      }
    }
    for (const r of opts.rules ?? []) events.addRule(r);

    const drain = async () => {
      do {
        await events.drain();
        await sfn.drain();
        await glue.drain();
      } while (!(events.isIdle() && sfn.isIdle() && glue.isIdle()));
    };
    services = {
      s3,
      glue,
      lakeFormation,
      sfn,
      events,
      textract,
      transcribe,
      comprehend,
      rekognition,
      settings,
      lake,
      runner,
      dispatcher,
      stackResources,
      iamCalls,
      forJob: (jobName) => servicesAs(sls.jobRoles[jobName] ?? `${jobName}-NoRole`),
      drain,
      close: async () => {
        await drain();
        await lake.close();
      },
    };
    return services;
  } catch (err) {
    await lake.close();
    throw err;
  }
}
