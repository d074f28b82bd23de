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
  LOCAL_DOCUMENTS_DATABASE,
  LOCAL_EXTRACTED_BUCKET,
  LOCAL_RAW_BUCKET,
  LOCAL_STAGE,
  type LocalCatalog,
  type LocalCatalogOptions,
  localSettings,
  stateMachineArn,
} from './catalog';
import { LocalComprehend } from './comprehend';
import { LocalEventBridge, type LocalRule } from './events';
import { LocalGlue, type LocalJob } from './glue';
import { LocalLakeFormation } from './lakeformation';
import {
  type CfnResources,
  LakeFormationGrants,
  localRoleArn,
  PrincipalLakeFormation,
  renderGovernanceResources,
} from './permissions';
import { LocalRekognition } from './rekognition';
import {
  defaultIntrinsics,
  type LambdaRegistry,
  Runner,
  type SdkIntegration,
  TaskDispatcher,
} from './runner';
import { LocalS3 } from './s3';
import { readServerless, resolvePattern } from './serverless';
import { LocalSfn, type ProgressListener } from './sfn';
import { openLake } from './store';
import { LocalTextract } from './textract';
import { LocalTranscribe } from './transcribe';

const { documentsDatabaseName } = require(join(PACKAGE_ROOT, 'serverless', 'governance.js')) as {
  documentsDatabaseName: (stage: string) => string;
};

/** The AI services of the ingestion path; each factory gets the lake's S3 (tests inject failing ones). */
export interface LocalAiServices {
  textract?: (s3: S3Port) => TextractPort;
  transcribe?: (s3: S3Port) => TranscribePort;
  comprehend?: (s3: S3Port) => ComprehendPort;
  rekognition?: (s3: S3Port) => RekognitionPort;
}

export interface LocalServicesOptions extends LocalCatalogOptions {
  /** default: <projectRoot>/statemachines; every *.asl.yaml there is loaded */
  stateMachinesDir?: string;
  /** functions added to (or replacing) those read from serverless.yml */
  lambdas?: LambdaRegistry;
  /** local Glue job implementations by job name (the name `Ref: <JobLogicalId>` resolves to) */
  jobs?: Record<string, LocalJob>;
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
  /** Waits until no event delivery, execution or job run is in flight. */
  drain(): Promise<void>;
  /** drain(), then closes the lake. */
}

export async function openLocalServices(
  lakeRoot = '.autogov',
  opts: LocalServicesOptions = {},
): Promise<LocalServices> {
  const projectRoot = resolve(opts.projectRoot ?? process.cwd());
  const sls = readServerless(projectRoot);
  const lake = await openLake(lakeRoot);
  try {
    const machinesDir = opts.stateMachinesDir ?? join(projectRoot, 'statemachines');
    const refs: Record<string, string> = {
      RawBucket: LOCAL_RAW_BUCKET,
      ArtifactsBucket: LOCAL_ARTIFACTS_BUCKET,
      ExtractedBucket: LOCAL_EXTRACTED_BUCKET,
      ...Object.fromEntries(
        Object.entries(sls.stateMachineIds).map(([id, name]) => [id, stateMachineArn(name)]),
      ),
      ...opts.refs,
    };
    const intrinsics = defaultIntrinsics(refs);
    const settings = localSettings({ projectRoot, governancePath: opts.governancePath });

    const s3 = new LocalS3(lake);
    const glue = await LocalGlue.create(lake, { jobs: opts.jobs, maxConcurrentRuns: sls.glueJobConcurrency });
    const lakeFormation = new LocalLakeFormation(lake);
    const events = new LocalEventBridge();
    const ai = opts.ai ?? {};
    const textract = ai.textract?.(s3) ?? new LocalTextract(s3);
    const transcribe = ai.transcribe?.(s3) ?? new LocalTranscribe(s3);
    const comprehend = ai.comprehend?.(s3) ?? new LocalComprehend();
    const rekognition = ai.rekognition?.(s3) ?? new LocalRekognition(s3);
    // Each function runs as its serverless.yml role: Lake Formation calls are checked against the
    // grants the stack gives that role (src/local/permissions.ts). A function without a role has none.
    // Rendered on first use: stacks opened without a governance.yml (runner tests) grant nothing.
    let grants: LakeFormationGrants | undefined;
    const stackGrants = () => {
      if (!grants) {
        const rendered = existsSync(settings.governancePath)
          ? renderGovernanceResources(loadGovernance(settings.governancePath).config, LOCAL_STAGE)
          : {};
        grants = LakeFormationGrants.fromResources(opts.editResources?.(rendered) ?? rendered, (db) =>
          db === documentsDatabaseName(LOCAL_STAGE) ? LOCAL_DOCUMENTS_DATABASE : db,
        );
      }
      return grants;
    };
    const asRole = new Map<string, Services>();
    const servicesFor = (functionName: string): Services => {
      let view = asRole.get(functionName);
      if (!view) {
        const role = sls.roles[functionName] ?? `${functionName}-NoRole`;
        view = {
          ...services!,
          lakeFormation: new PrincipalLakeFormation(lakeFormation, stackGrants(), localRoleArn(role)),
        };
        asRole.set(functionName, view);
      }
      return view;
    };
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
