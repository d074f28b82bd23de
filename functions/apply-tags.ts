import { z } from 'zod';
import { cloudHandler } from '../src/aws/cloud';
import { parseS3Uri, readJson, writeJson } from '../src/aws/s3-json';
import type { HandlerFactory } from '../src/aws/services';
import { loadGovernance } from '../src/config/load';
import { storedFindingsSchema } from '../src/findings/schema';
import { latestRunLocation, overridesLocation } from '../src/governance/keys';
import { applyPlan, displayTags, ownedTagValues, readDatabaseTags, readTableTags } from '../src/policy/apply';
import { desiredTags, overridesSchema } from '../src/policy/desired';
import { planDatabaseTags, planTags } from '../src/policy/plan';
import type { TableTags } from '../src/policy/tags';

const inputSchema = z.object({
  database: z.string().min(1),
  table: z.string().min(1),
  findingsUri: z.string().startsWith('s3://'),
});

export interface AppliedTags {
  database: string;
  table: string;
  runId: string;
  score: number | null;
  changes: number;
  tags: TableTags;
  reasons: Record<string, string>;
}

/**
 * Findings → LF-Tags: reads the run's findings, the table's current tags and recorded overrides,
 * decides the tags governance.yml asks for, and applies only the difference to autogov's own keys —
 * at every level: database (where autogov sets none, so any owned key there is removed), table, columns.
 */
export const createHandler: HandlerFactory<unknown, AppliedTags, 's3' | 'lakeFormation'> =
  (services) => async (event) => {
    const { database, table, findingsUri } = inputSchema.parse(event);
    const { s3, lakeFormation: lf, settings } = services;
    const gov = loadGovernance(settings.governancePath);
    const findings = await readJson(s3, parseS3Uri(findingsUri), storedFindingsSchema);
    if (!findings) throw new Error(`${findingsUri}: findings document not found`);
    if (findings.database !== database || findings.table !== table)
      throw new Error(
        `${findingsUri}: findings are for ${findings.database}.${findings.table}, not ${database}.${table}`,
      );
    const overrides = (await readJson(s3, overridesLocation(settings, database, table), overridesSchema)) ?? {
      columns: {},
    };
    const current = await readTableTags(lf, database, table);
    const decision = desiredTags(findings, current, overrides, gov.config);
    const owned = Object.keys(ownedTagValues(gov.config));
    // The database's own keys first: they narrow access, and a stop midway then fails closed.
    const plan = [
      ...planDatabaseTags(await readDatabaseTags(lf, database), owned),
      ...planTags(current, decision.tags, owned, gov.config.tags.sensitive),
    ];
    await applyPlan(lf, database, table, plan);
    const result: AppliedTags = {
      database,
      table,
      runId: findings.runId,
      score: findings.dataQuality.score,
      changes: plan.length,
      tags: displayTags(decision.tags, gov.config),
      reasons: decision.reasons,
    };
    await writeJson(s3, latestRunLocation(settings, database, table), { ...result, findingsUri, plan });
    return result;
  };

export const handler = cloudHandler(createHandler, () => {
  const { S3 } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { LakeFormation } =
    require('@aws-sdk/client-lakeformation') as typeof import('@aws-sdk/client-lakeformation');
  return { s3: new S3(), lakeFormation: new LakeFormation() };
});
