import type { LFTagPair } from '@aws-sdk/client-lakeformation';
import type { LakeFormationPort } from '../aws/ports';
import type { Governance } from '../config/schema';
import type { TagPlan } from './plan';
import type { TableTags, TagSet } from './tags';

const pairsToSet = (pairs: LFTagPair[] | undefined): TagSet =>
  Object.fromEntries((pairs ?? []).map((p) => [p.TagKey!, p.TagValues?.[0] ?? '']));

/**
 * The LF-Tags assigned directly to a table and its columns. Assigned, not effective: the plan
 * compares what autogov set, and inheritance is computed by the access evaluator itself.
 */
export async function readTableTags(
  lf: LakeFormationPort,
  database: string,
  table: string,
): Promise<TableTags> {
  const res = await lf.getResourceLFTags({
    Resource: { Table: { DatabaseName: database, Name: table } },
    ShowAssignedLFTags: true,
  });
  return {
    table: pairsToSet(res.LFTagsOnTable),
    columns: Object.fromEntries((res.LFTagsOnColumns ?? []).map((c) => [c.Name!, pairsToSet(c.LFTags)])),
  };
}

export class TagApplyError extends Error {
  override name = 'TagApplyError';
}

/** The LF-Tags assigned directly to a database (what its tables and columns fall back to). */
export async function readDatabaseTags(lf: LakeFormationPort, database: string): Promise<TagSet> {
  const res = await lf.getResourceLFTags({
    Resource: { Database: { Name: database } },
    ShowAssignedLFTags: true,
  });
  return pairsToSet(res.LFTagOnDatabase);
}

/** Applies a plan through the Lake Formation port (adds and removals); partial failures come back in-band and are raised. */
export async function applyPlan(
  lf: LakeFormationPort,
  database: string,
  table: string,
  plan: TagPlan,
): Promise<void> {
  for (const step of plan) {
    const request = {
      Resource: step.database
        ? { Database: { Name: database } }
        : step.columns
          ? { TableWithColumns: { DatabaseName: database, Name: table, ColumnNames: step.columns } }
          : { Table: { DatabaseName: database, Name: table } },
      LFTags: [{ TagKey: step.key, TagValues: [step.value] }],
    };
    const res = step.remove
      ? await lf.removeLFTagsFromResource(request)
      : await lf.addLFTagsToResource(request);
    const failure = res.Failures?.[0];
    if (failure)
      throw new TagApplyError(
        `Lake Formation refused ${step.remove ? 'removing ' : ''}${step.key}=${step.value} on ${step.database ? `database ${database}` : `${database}.${table}`}${step.columns ? ` (${step.columns.join(', ')})` : ''}: ${failure.Error?.ErrorCode} ${failure.Error?.ErrorMessage ?? ''}`.trim(),
      );
  }
}

/** Every LF-Tag key autogov owns, with its allowed values (config spelling). */
export function ownedTagValues(config: Governance): Record<string, string[]> {
  const { tableKey, columnKey, qualityKey, sensitive, public: pub } = config.tags;
  return {
    [tableKey]: [sensitive, pub],
    [columnKey]: [sensitive, pub],
    [qualityKey]: config.scoreBands.map((b) => b.value),
  };
}

/**
 * Creates autogov's LF-Tag keys and any missing values (the cloud stack does this in
 * CloudFormation; the local lake does it on first use). Idempotent.
 */
export async function ensureTagKeys(lf: LakeFormationPort, config: Governance): Promise<void> {
  for (const [key, values] of Object.entries(ownedTagValues(config))) {
    const existing = await lf.getLFTag({ TagKey: key }).catch((err: { name?: string }) => {
      if (err.name === 'EntityNotFoundException') return undefined;
      throw err;
    });
    if (!existing) {
      await lf.createLFTag({ TagKey: key, TagValues: values });
      continue;
    }
    const have = new Set((existing.TagValues ?? []).map((v) => v.toLowerCase()));
    const missing = values.filter((v) => !have.has(v.toLowerCase()));
    if (missing.length) await lf.updateLFTag({ TagKey: key, TagValuesToAdd: missing });
  }
}

/** Shows stored (lower-cased) values in governance.yml's spelling. */
export function displayTags(tags: TableTags, config: Governance): TableTags {
  const spelling = new Map(
    Object.entries(ownedTagValues(config)).flatMap(([k, vs]) =>
      vs.map((v) => [`${k}=${v.toLowerCase()}`, v] as const),
    ),
  );
  const fix = (set: TagSet): TagSet =>
    Object.fromEntries(
      Object.entries(set).map(([k, v]) => [k, spelling.get(`${k}=${v.toLowerCase()}`) ?? v]),
    );
  return {
    table: fix(tags.table),
    columns: Object.fromEntries(Object.entries(tags.columns).map(([c, s]) => [c, fix(s)])),
  };
}
