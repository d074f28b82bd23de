// A stage `sls deploy --stage NAME` made, read (and started) with real SDK clients: the account and
// region the credentials name (AWS_ENDPOINT_URL points them elsewhere, e.g. at moto), as the run's
// environment gives them (src/aws/client-config.ts). Names come from
// the stack: CloudFormation names the buckets, so they are read from its outputs, never derived.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CloudFormation, type Output } from '@aws-sdk/client-cloudformation';
import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { S3 } from '@aws-sdk/client-s3';
import { SFN } from '@aws-sdk/client-sfn';
import { clientConfig } from '../aws/client-config';
import type { Settings, StoredServices } from '../aws/services';
import { loadGovernance } from '../config/load';
import { UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import { LakeReader } from './lake-reader';

export interface StageOptions {
  stage: string;
  region?: string;
  profile?: string;
  governance: string;
  /** The run's environment: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, … */
  env: NodeJS.ProcessEnv;
}

interface StageNames {
  stackName(stage: string): string;
  stageProblem(stage: string): string | undefined;
  documentsDatabaseName(stage: string): string;
}

/** serverless/stage.js: the names serverless.yml derives from the stage, and its stage check. */
const stageNames = () => require(`${PACKAGE_ROOT}/serverless/stage.js`) as StageNames;

/** The state machines `start` knows, by the name the local runner gives them. */
const MACHINES = {
  'govern-table': 'governTableStateMachineArn',
  'ingest-object': 'ingestObjectStateMachineArn',
} as const;

/** The outputs serverless.yml declares, each a Settings field. */
const OUTPUTS = {
  RawBucketName: 'rawBucket',
  ArtifactsBucketName: 'artifactsBucket',
  CertifiedBucketName: 'certifiedBucket',
  ExtractedBucketName: 'extractedBucket',
  GovernTableStateMachineArn: 'governTableStateMachineArn',
  IngestObjectStateMachineArn: 'ingestObjectStateMachineArn',
} as const;

/** An S3 client whose objects DuckDB can read: each is downloaded once into a folder removed on close. */
class DownloadingS3 extends S3 {
  private folder?: Promise<string>;

  async localPath(bucket: string, key: string): Promise<string> {
    this.folder ??= mkdtemp(join(tmpdir(), 'autogov-stage-'));
    const path = join(await this.folder, bucket, key);
    const res = await this.getObject({ Bucket: bucket, Key: key });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, await res.Body!.transformToByteArray());
    return path;
  }

  async removeDownloads(): Promise<void> {
    if (this.folder) await rm(await this.folder, { recursive: true, force: true });
  }
}

export interface StartedExecution {
  executionArn: string;
  name: string;
  startDate?: string;
}

/** A deployed stage as the read commands see a local lake, plus the console's "start execution". */
export class DeployedStage extends LakeReader {
  private constructor(
    services: StoredServices,
    governance: ReturnType<typeof loadGovernance>,
    private readonly sfn: SFN,
    /** `stage dev (us-east-1)`, for messages */
    readonly where: string,
    private readonly profile: string | undefined,
  ) {
    super(services, governance);
  }

  /**
   * The stage is checked as `sls package` checks it, so a typo is refused before any call; then the
   * stack's outputs name its buckets and state machines.
   */
  static async connect(o: StageOptions): Promise<DeployedStage> {
    const names = stageNames();
    const problem = names.stageProblem(o.stage);
    if (problem) throw new UserError(`--stage: ${problem}`);
    const governance = loadGovernance(o.governance);
    const config = (serviceId: string) => clientConfig(o.env, serviceId, o);
    const cfn = new CloudFormation(config('CloudFormation'));
    const region = await cfn.config.region().catch(() => undefined);
    if (!region) throw new UserError('--stage: no AWS region; pass --region or set AWS_REGION');
    const where = `stage ${o.stage} (${region})`;
    const stack = names.stackName(o.stage);
    let outputs: Output[];
    try {
      const res = await cfn.describeStacks({ StackName: stack });
      outputs = res.Stacks?.[0]?.Outputs ?? [];
    } catch (err) {
      if (/does not exist/.test((err as Error).message))
        throw new UserError(
          `${where}: no CloudFormation stack ${stack}; deploy it (npx sls deploy --stage ${o.stage}) or check --region and --profile`,
        );
      throw stageError(err, where, o.profile, stack);
    } finally {
      cfn.destroy();
    }
    const named = Object.fromEntries(outputs.map((x) => [x.OutputKey, x.OutputValue]));
    const missing = Object.keys(OUTPUTS).filter((k) => !named[k]);
    if (missing.length)
      throw new UserError(
        `${where}: stack ${stack} has no output ${missing.join(', ')}; redeploy it with this version (npx sls deploy --stage ${o.stage})`,
      );
    const fromOutputs = Object.fromEntries(
      Object.entries(OUTPUTS).map(([output, field]) => [field, named[output]!]),
    ) as Record<(typeof OUTPUTS)[keyof typeof OUTPUTS], string>;
    const settings: Settings = {
      ...fromOutputs,
      stage: o.stage,
      governancePath: governance.path,
      eventBusName: 'default',
      documentsDatabase: names.documentsDatabaseName(o.stage),
    };
    const s3 = new DownloadingS3(config('S3'));
    const glue = new Glue(config('Glue'));
    const lakeFormation = new LakeFormation(config('LakeFormation'));
    const sfn = new SFN(config('SFN'));
    const services: StoredServices = {
      s3,
      glue,
      lakeFormation,
      settings,
      close: async () => {
        for (const c of [s3, glue, lakeFormation, sfn]) c.destroy();
        await s3.removeDownloads();
      },
    };
    return new DeployedStage(services, governance, sfn, where, o.profile);
  }

  /**
   * The console's "start execution": starts it and returns at once; the run goes on in the stage
   * (a Glue job takes minutes). The name is refused when taken, as Step Functions refuses it.
   */
  async start(machine: string, input: unknown, name = `console-${Date.now()}`): Promise<StartedExecution> {
    const field = MACHINES[machine as keyof typeof MACHINES];
    if (!field)
      throw new UserError(`${machine}: no such state machine; one of: ${Object.keys(MACHINES).join(', ')}`);
    try {
      const res = await this.sfn.startExecution({
        stateMachineArn: this.services.settings[field],
        name,
        input: JSON.stringify(input),
      });
      return { executionArn: res.executionArn!, name, startDate: res.startDate?.toISOString() };
    } catch (err) {
      if ((err as { name?: string }).name === 'ExecutionAlreadyExists')
        throw new UserError(
          `--name ${name}: ${this.where} already has an execution of that name (Step Functions keeps names 90 days); choose another --name`,
        );
      throw err;
    }
  }

  /** AWS's refusals as one line naming the stage and what to do. */
  describeError(err: unknown): unknown {
    return err instanceof UserError ? err : stageError(err, this.where, this.profile);
  }

  protected override noTableHint(database: string, table: string): string {
    return `${this.where} has none in its Glue catalog; check the name, --region and --profile, or drop a file under s3://${this.services.settings.rawBucket}/tables/${database}/${table}/`;
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

function stageError(err: unknown, where: string, profile: string | undefined, what = where): UserError {
  const { name = 'Error', code } = err as { name?: string; code?: string };
  const message = (err as Error).message;
  if (name === 'AccessDeniedException' || name === 'AccessDenied')
    return new UserError(`${what}: ${where} denied the call (${name}); use a role that may read the stage`);
  if (name === 'CredentialsProviderError' || name === 'ProviderError')
    return new UserError(
      profile
        ? `${where}: no AWS credentials for --profile ${profile}; check ~/.aws/config and ~/.aws/credentials`
        : `${where}: no AWS credentials found; pass --profile or set AWS credentials`,
    );
  if (code && UNREACHABLE.has(code))
    return new UserError(`${where}: AWS not reachable (${message}); check the network, or AWS_ENDPOINT_URL`);
  return new UserError(`${what}: ${where}: ${name}: ${message}`);
}
