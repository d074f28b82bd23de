import { z } from 'zod';
import { cloudHandler } from '../src/aws/cloud';
import { parseS3Uri, readJson, writeJson } from '../src/aws/s3-json';
import type { HandlerFactory } from '../src/aws/services';
import { manifestSchema, type Promotion, promote } from '../src/data/certify';
import { certifiedRunLocation } from '../src/governance/keys';

const inputSchema = z.object({
  database: z.string().min(1),
  table: z.string().min(1),
  manifestUri: z.string().startsWith('s3://'),
});

export interface Promoted extends Promotion {
  runId: string;
  files: number;
}

/**
 * Last step of a successful governance run, after its tags are applied: the staged files the run
 * evaluated (its manifest) become the table's certified files, the only ones Athena and `query` read.
 */
export const createHandler: HandlerFactory<unknown, Promoted, 's3'> = (services) => async (event) => {
  const { database, table, manifestUri } = inputSchema.parse(event);
  const manifest = await readJson(services.s3, parseS3Uri(manifestUri), manifestSchema);
  if (!manifest) throw new Error(`${manifestUri}: manifest of evaluated files not found`);
  if (manifest.database !== database || manifest.table !== table)
    throw new Error(
      `${manifestUri}: manifest is for ${manifest.database}.${manifest.table}, not ${database}.${table}`,
    );
  const result: Promoted = {
    runId: manifest.runId,
    files: manifest.files.length,
    ...(await promote(services.s3, manifest)),
  };
  await writeJson(services.s3, certifiedRunLocation(services.settings, database, table), {
    ...result,
    manifestUri,
    promotedAt: new Date().toISOString(),
  });
  return result;
};

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return { s3: new S3() };
});
