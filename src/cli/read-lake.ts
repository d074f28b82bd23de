import { existsSync } from 'node:fs';
import type { LakeReader } from '../app/lake-reader';
import { UserError } from '../errors';
import { type CommonOptions, noteGovernance } from './common';
import { onStage } from './stage';

/** A command that only reads (or plans) must not create a lake. */
export function refuseMissingLake(opts: CommonOptions): void {
  if (!existsSync(opts.lake))
    throw new UserError(
      `--lake ${opts.lake}: no local lake there; check the path, or make one with \`autogov ingest FILE --table DB.TABLE\` or \`autogov demo --lake DIR\``,
      2,
    );
}

/**
 * Opens an existing lake (or, with --stage, the deployed stage) for a read command and always closes
 * it. Reads open only the stored catalog (no Step Functions runner, no job), and never create a lake:
 * a mistyped `--lake` must not answer "nothing governed".
 */
export async function readLake<T>(opts: CommonOptions, fn: (lake: LakeReader) => Promise<T>): Promise<T> {
  if (opts.stage) {
    noteGovernance(opts);
    return onStage({ ...opts, stage: opts.stage }, fn);
  }
  refuseMissingLake(opts);
  noteGovernance(opts);
  // Loaded here, not at startup: the lake pulls in DuckDB and the AWS SDK's types and errors.
  const { LakeReader } = require('../app/lake-reader') as typeof import('../app/lake-reader');
  const lake = await LakeReader.open({ lake: opts.lake, governance: opts.governance });
  try {
    return await fn(lake);
  } finally {
    await lake.close();
  }
}
