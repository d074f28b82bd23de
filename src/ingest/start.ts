import type { Uses } from '../aws/services';
import { type StartResult, startOnce } from '../aws/start-once';
import { isSidecarKey } from '../extract/classify';
import { executionName, TABLES_PREFIX } from '../governance/keys';
import { parseObjectRef } from './input';

/**
 * The execution name of an object's ingestion: from bucket, key and ETag (the content), not the
 * version, so a duplicated event and the same bytes uploaded again map to one execution and one record.
 */
export function ingestionName(bucket: string, key: string, etag: string | undefined): string {
  const base = key.split('/').at(-1) ?? key;
  return executionName(`ingest-${base}`.slice(0, 40), bucket, key, etag);
}

export async function startIngestion(services: Uses<'sfn'>, event: unknown): Promise<StartResult> {
  const ref = parseObjectRef(event);
  // The EventBridge rule already excludes tables/; the check keeps console starts consistent.
  if (ref.key.startsWith(TABLES_PREFIX))
    return { started: false, reason: `${ref.key}: a table file (governed by govern-table)` };
  if (isSidecarKey(ref.key))
    return { started: false, reason: `${ref.key}: a sidecar transcript, read with its audio object` };
  const name = ingestionName(ref.bucket, ref.key, ref.etag ?? ref.versionId);
  return startOnce(
    services.sfn,
    services.settings.ingestObjectStateMachineArn,
    name,
    { bucket: ref.bucket, key: ref.key, versionId: ref.versionId, etag: ref.etag },
    'already ingested: same bucket, key and content',
  );
}
