import { z } from 'zod';
import { cloudHandler } from '../src/aws/cloud';
import { s3Uri, writeJson } from '../src/aws/s3-json';
import type { HandlerFactory } from '../src/aws/services';
import { parseTableTarget } from '../src/governance/input';
import { failureLocation } from '../src/governance/keys';

const inputSchema = z.object({
  executionId: z.string().min(1),
  input: z.unknown(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).default({}),
});

export interface FailureRecord {
  executionId: string;
  database?: string;
  table?: string;
  error: string;
  /** one readable line: what went wrong */
  message: string;
  failedAt: string;
  recordUri?: string;
}

/** Lambda and Glue causes arrive as JSON (`errorMessage`, `ErrorMessage`) or plain text. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return 'no cause reported';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; ErrorMessage?: string; message?: string };
    return parsed.errorMessage ?? parsed.ErrorMessage ?? parsed.message ?? cause;
  } catch {
    return cause;
  }
}

/**
 * The failure path of table governance: records what failed in the artifacts bucket and emits an
 * event. Tags are untouched, so the previous tags stay in place (fail closed).
 */
export const createHandler: HandlerFactory<unknown, FailureRecord, 's3' | 'events'> =
  (services) => async (event) => {
    const { executionId, input, error } = inputSchema.parse(event);
    let target: { database?: string; table?: string } = {};
    try {
      target = parseTableTarget(typeof input === 'string' ? JSON.parse(input) : input);
    } catch {
      // The input itself may be what failed; the record is still written under _unknown.
    }
    const record: FailureRecord = {
      executionId,
      ...target,
      error: error.Error ?? 'Unknown',
      message: causeMessage(error.Cause).split('\n')[0]!,
      failedAt: new Date().toISOString(),
    };
    const id = `${record.failedAt.replace(/[-:.]/g, '')}-${executionId.split(':').at(-1)}`;
    const at = failureLocation(
      services.settings,
      target.database ?? '_unknown',
      target.table ?? '_unknown',
      id,
    );
    record.recordUri = s3Uri(at);
    await writeJson(services.s3, at, record);
    await services.events.putEvents({
      Entries: [
        {
          Source: 'autogov',
          DetailType: 'Table governance failed',
          Detail: JSON.stringify(record),
          EventBusName: services.settings.eventBusName,
        },
      ],
    });
    return record;
  };

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { EventBridge } =
    require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
  return { s3: new S3(), events: new EventBridge() };
});
