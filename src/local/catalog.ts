// The stored side of the local stack on one lake: S3, the Glue Data Catalog and Lake Formation's
// LF-Tags, without the Step Functions runner, EventBridge or the AI emulators. Read commands
// (`tables`, `tags`, `access`, `explain`, …) open only this, so they never build the runner (ajv
// compiling every state machine) nor parse serverless.yml; openLocalServices builds the rest on it.
import { join, resolve } from 'node:path';
import type { Settings } from '../aws/services';
import { LocalGlue } from './glue';
import { LocalLakeFormation } from './lakeformation';
import { LOCAL_ACCOUNT, LOCAL_REGION, LocalS3 } from './s3';
import { type Lake, openLake } from './store';

export const LOCAL_STAGE = 'local';
export const LOCAL_RAW_BUCKET = 'autogov-local-raw';
export const LOCAL_ARTIFACTS_BUCKET = 'autogov-local-artifacts';
export const LOCAL_EXTRACTED_BUCKET = 'autogov-local-extracted';
export const LOCAL_DOCUMENTS_DATABASE = 'autogov_documents';
const GOVERN_TABLE_STATE_MACHINE = 'govern-table';
const INGEST_OBJECT_STATE_MACHINE = 'ingest-object';

export const stateMachineArn = (name: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

export interface LocalCatalogOptions {
  /** where serverless.yml, statemachines/ and functions/ are (default: cwd) */
  projectRoot?: string;
  /** default: <projectRoot>/governance.yml */
  governancePath?: string;
}

export interface LocalCatalog {
  lake: Lake;
  s3: LocalS3;
  glue: LocalGlue;
  lakeFormation: LocalLakeFormation;
  settings: Settings;
  close(): Promise<void>;
}

/** The names the local stack runs under (the local counterpart of a stage's Lambda environment). */
export function localSettings(opts: LocalCatalogOptions = {}): Settings {
  const projectRoot = resolve(opts.projectRoot ?? process.cwd());
  return {
    stage: LOCAL_STAGE,
    rawBucket: LOCAL_RAW_BUCKET,
    artifactsBucket: LOCAL_ARTIFACTS_BUCKET,
    governancePath: resolve(opts.governancePath ?? join(projectRoot, 'governance.yml')),
    governTableStateMachineArn: stateMachineArn(GOVERN_TABLE_STATE_MACHINE),
    eventBusName: 'default',
    extractedBucket: LOCAL_EXTRACTED_BUCKET,
    ingestObjectStateMachineArn: stateMachineArn(INGEST_OBJECT_STATE_MACHINE),
    documentsDatabase: LOCAL_DOCUMENTS_DATABASE,
  };
}

/** Opens the lake's stored state for reading: no job runs, no executions, no event delivery. */
export async function openLocalCatalog(
  lakeRoot: string,
  opts: LocalCatalogOptions = {},
): Promise<LocalCatalog> {
  const lake = await openLake(lakeRoot);
  return {
    lake,
    s3: new LocalS3(lake),
    glue: LocalGlue.reader(lake),
    lakeFormation: new LocalLakeFormation(lake),
    settings: localSettings(opts),
    close: () => lake.close(),
  };
}
