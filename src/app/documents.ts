// The unstructured-files side of the local lake, as the CLI uses it: drop a file into the raw bucket
// (the bucket's event starts ingest-object), list the metadata records, show an extracted JSON, and
// answer whether a persona's access point would serve a raw object.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readJson, s3Uri } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import type { StoredServices } from '../aws/services';
import type { LoadedGovernance } from '../config/load';
import { personaNamed } from '../config/persona';
import { UserError } from '../errors';
import { isSidecarKey } from '../extract/classify';
import { TABLES_PREFIX } from '../governance/keys';
import { type RawAccess, rawObjectAccess } from '../ingest/access';
import { type ExtractedDocument, extractedDocumentSchema } from '../ingest/extracted';
import { documentTableLocation, extractedLocation, METADATA_TABLE } from '../ingest/keys';
import { type MetadataRecord, metadataRecordSchema } from '../ingest/record';
import type { LocalServices } from '../local/services';
import { type ExecutionSummary, executionsStartedBy } from './local-lake';

/**
 * What these functions need of a LocalLake (tests may build it from openLocalServices directly);
 * the read functions need only the stored side (a LakeReader's, local or a deployed stage's).
 */
export interface DocumentLake<S extends StoredServices = LocalServices> {
  services: S;
  governance: LoadedGovernance;
}

const SIDECARS = ['txt', 'vtt', 'srt'];

/** Valid raw keys: any S3 key outside tables/ (which belongs to table governance). */
export function checkRawKey(key: string): string {
  if (!key || Buffer.byteLength(key, 'utf8') > 1024) throw new UserError(`${key}: an S3 key is 1–1024 bytes`);
  if (key.startsWith(TABLES_PREFIX))
    throw new UserError(
      `${key}: keys under ${TABLES_PREFIX} are table files; use --table DB.TABLE to ingest table data`,
    );
  return key;
}

/**
 * The local "drop a file into the raw bucket" for unstructured files: a sidecar transcript next to
 * the file (FILE.txt/.vtt/.srt) goes first, so the audio's transcription finds it; then the file's
 * event runs ingest-object (and the governance of the document tables) to completion.
 */
export async function ingestDocument(
  lake: DocumentLake,
  file: string,
  key = basename(file),
): Promise<ExecutionSummary[]> {
  checkRawKey(key);
  if (!existsSync(file)) throw new UserError(`${file}: no such file`);
  const { s3, settings } = lake.services;
  const sidecars = isSidecarKey(`${key}.txt`) ? SIDECARS.filter((ext) => existsSync(`${file}.${ext}`)) : [];
  return executionsStartedBy(lake.services, async () => {
    for (const ext of sidecars)
      await s3.putObject({
        Bucket: settings.rawBucket,
        Key: `${key}.${ext}`,
        Body: await readFile(`${file}.${ext}`),
      });
    await s3.putObject({ Bucket: settings.rawBucket, Key: key, Body: await readFile(file) });
  });
}

/** Every metadata record, oldest first. */
export async function listDocuments(lake: DocumentLake<StoredServices>): Promise<MetadataRecord[]> {
  const { s3, settings } = lake.services;
  const at = documentTableLocation(settings, METADATA_TABLE);
  const records: MetadataRecord[] = [];
  for await (const o of listObjects(s3, at.bucket, at.key)) {
    if (!o.Key?.endsWith('.jsonl')) continue;
    const res = await s3.getObject({ Bucket: at.bucket, Key: o.Key });
    const text = (await res.Body?.transformToString('utf-8')) ?? '';
    for (const line of text.split('\n'))
      if (line.trim()) records.push(metadataRecordSchema.parse(JSON.parse(line)));
  }
  return records.sort((a, b) => a.processed_at.localeCompare(b.processed_at));
}

/** The extracted JSON of a raw key (its latest ingestion). */
export async function showExtracted(
  lake: DocumentLake<StoredServices>,
  rawKey: string,
): Promise<ExtractedDocument> {
  const doc = await readJson(
    lake.services.s3,
    extractedLocation(lake.services.settings, rawKey),
    extractedDocumentSchema,
  );
  if (!doc) {
    const known = (await listDocuments(lake)).filter((r) => r.raw_key === rawKey).at(-1);
    throw new UserError(
      known
        ? `${rawKey}: nothing was extracted (${known.status}${known.reason ? `: ${known.reason}` : ''})`
        : `${rawKey}: not ingested; see autogov documents for the ingested keys`,
    );
  }
  return doc;
}

/** Whether each persona's (or one persona's) access point would serve the raw object's current version. */
export async function rawAccess(
  lake: DocumentLake<StoredServices>,
  rawKey: string,
  persona?: string,
): Promise<RawAccess[]> {
  const { s3, settings } = lake.services;
  const config = lake.governance.config;
  if (persona !== undefined) personaNamed(config, persona);
  let tags: Array<{ Key?: string; Value?: string }>;
  try {
    tags = (await s3.getObjectTagging({ Bucket: settings.rawBucket, Key: rawKey })).TagSet ?? [];
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound')
      throw new UserError(`${s3Uri({ bucket: settings.rawBucket, key: rawKey })}: no such raw object`);
    throw err;
  }
  const names = persona === undefined ? Object.keys(config.personas) : [persona];
  return names.map((n) => rawObjectAccess(n, config.personas[n]!, config, tags));
}
