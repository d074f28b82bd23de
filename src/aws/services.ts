import type * as lf from '@aws-sdk/client-lakeformation';
import type { ComprehendPort, RekognitionPort, TextractPort, TranscribePort } from '../extract/ports';
import type { EventBridgePort, GluePort, LakeFormationPort, S3Port, SfnPort } from './ports';

/** Where things live, per stage (cloud: from the Lambda environment; local: from the lake root). */
export interface Settings {
  stage: string;
  rawBucket: string;
  /** findings documents, failure records, run history */
  artifactsBucket: string;
  /** table files a successful governance run evaluated and promoted: what Athena and `query` read */
  certifiedBucket: string;
  /** governance.yml; rulesets resolve relative to its folder */
  governancePath: string;
  /** ARN of the table-governance state machine (started by start-governance) */
  governTableStateMachineArn: string;
  eventBusName: string;
  /** extracted text JSON, the extracted-text and metadata tables, transcripts (ingestion path) */
  extractedBucket: string;
  /** ARN of the ingestion state machine (started by start-ingestion) */
  ingestObjectStateMachineArn: string;
  /** Glue database of the extracted-text and metadata tables */
  documentsDatabase: string;
  /**
   * Document tables are governed once per window of this many seconds, however many objects are
   * ingested in it (cloud: 300). Absent or 0: each ingestion governs them itself (local, where
   * ingestions run one at a time and Wait states take no time).
   */
  documentsGovernWindowSeconds?: number;
}

/** Everything a handler may call. Each handler takes the subset it needs. */
export interface Services {
  s3: S3Port;
  glue: GluePort;
  lakeFormation: LakeFormationPort;
  sfn: SfnPort;
  events: EventBridgePort;
  textract: TextractPort;
  transcribe: TranscribePort;
  comprehend: ComprehendPort;
  rekognition: RekognitionPort;
  settings: Settings;
}

/**
 * The stored side of a stack, what the read commands use: the local lake's emulators, or a deployed
 * stage's real clients. `localPath` is a local file holding an object (a stage's is downloaded).
 */
export interface StoredServices {
  s3: S3Port & { localPath(bucket: string, key: string): Promise<string> };
  glue: GluePort;
  lakeFormation: LakeFormationPort & {
    listPermissions(input: lf.ListPermissionsCommandInput): Promise<lf.ListPermissionsCommandOutput>;
  };
  settings: Settings;
  close(): Promise<void>;
}

/** The AWS clients in Services. */
export type Clients = Omit<Services, 'settings'>;

/** The services code needs: the clients it calls (K) and the settings. */
export type Uses<K extends keyof Clients> = Pick<Services, K | 'settings'>;

/**
 * A Lambda handler module: `createHandler` wires services (cloud or local), `handler` is the cloud
 * entry. K names the clients the handler calls, so its bundle carries only those SDK clients.
 */
export type HandlerFactory<E = unknown, R = unknown, K extends keyof Clients = keyof Clients> = (
  services: Uses<K>,
) => (event: E) => Promise<R>;
