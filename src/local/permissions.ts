// Lake Formation permission checks of the local lake, from the grants the stack itself declares:
// the AWS::LakeFormation::PrincipalPermissions resources serverless/governance.js renders for the
// same governance.yml (rendered in-process, no `sls package`: one source of truth, milliseconds).
// Rules and their AWS pages: docs/permissions.md. Checked: Add/RemoveLFTags (ASSOCIATE on the
// LF-Tag; on a table the six permissions with grant option, on a database four), GetResourceLFTags
// (DESCRIBE or ASSOCIATE on a tag to see it, any permission on the table or database) and
// GrantPermissions (grant option),
// counting the run-time grants kept in the lake (lf-permissions.ts) besides the stack's.
import { join } from 'node:path';
import type * as lf from '@aws-sdk/client-lakeformation';
import type { LakeFormationPort } from '../aws/ports';
import type { Governance } from '../config/schema';
import { TAGGING_DATABASE_PERMISSIONS, TAGGING_TABLE_PERMISSIONS } from '../governance/tagger';
import { readableClassifications } from '../ingest/access';
import { DOCUMENT_TABLES } from '../ingest/keys';
import { documentTableInput } from '../ingest/tables';
import { CLASSIFICATION_TAG } from '../ingest/tagging';
import { PACKAGE_ROOT } from '../paths';
import { awsError } from './errors';
import type { LocalLakeFormation } from './lakeformation';
import { LOCAL_ACCOUNT } from './s3';

export interface CfnResource {
  Type: string;
  DependsOn?: string[];
  Properties: Record<string, unknown>;
}
export type CfnResources = Record<string, CfnResource>;

const governanceJs = join(PACKAGE_ROOT, 'serverless', 'governance.js');

// governance.js renders from these; passed in so it need not compile src/ through tsx at run time.
const GOVERNANCE_JS_LIB = {
  documentTableInput,
  DOCUMENT_TABLES,
  readableClassifications,
  CLASSIFICATION_TAG,
  TAGGING_DATABASE_PERMISSIONS,
  TAGGING_TABLE_PERMISSIONS,
};
type GovernanceJsLib = typeof GOVERNANCE_JS_LIB;

/** The stack's governance.yml-derived resources for a stage, exactly as `sls package` gets them. */
export function renderGovernanceResources(config: Governance, stage: string): CfnResources {
  const mod = require(governanceJs) as {
    buildResources: (c: Governance, s: string, lib: GovernanceJsLib) => { Resources: CfnResources };
  };
  return mod.buildResources(config, stage, GOVERNANCE_JS_LIB).Resources;
}

/** The local ARN of an IAM role logical id (`Fn::GetAtt [X, Arn]`). */
export const localRoleArn = (logicalId: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${logicalId}`;

type GrantResource =
  | { kind: 'lftag'; key: string }
  | { kind: 'tables'; database: string }
  | { kind: 'database'; database: string }
  | { kind: 'other' };

interface Grant {
  principal: string;
  resource: GrantResource;
  permissions: Set<string>;
  grantable: Set<string>;
}

const principalOf = (p: unknown): string => {
  const id = (p as { DataLakePrincipalIdentifier?: unknown }).DataLakePrincipalIdentifier;
  if (typeof id === 'string') return id;
  const att = (id as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  return att ? localRoleArn(att[0]) : JSON.stringify(id);
};

function resourceOf(r: Record<string, unknown>, databaseName: (n: string) => string): GrantResource {
  const lfTag = r.LFTag as { TagKey?: string } | undefined;
  if (lfTag?.TagKey) return { kind: 'lftag', key: lfTag.TagKey.toLowerCase() };
  const table = r.Table as { DatabaseName?: string; TableWildcard?: unknown } | undefined;
  if (table?.DatabaseName && table.TableWildcard)
    return { kind: 'tables', database: databaseName(table.DatabaseName) };
  const db = r.Database as { Name?: string } | undefined;
  if (db?.Name) return { kind: 'database', database: databaseName(db.Name) };
  return { kind: 'other' };
}

export class LakeFormationGrants {
  private constructor(private readonly grants: Grant[]) {}

  /** `databaseName` maps a cloud database name to its local one (the documents database). */
  static fromResources(resources: CfnResources, databaseName: (n: string) => string = (n) => n) {
    const grants = Object.values(resources)
      .filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions')
      .map((r) => ({
        principal: principalOf(r.Properties.Principal),
        resource: resourceOf(r.Properties.Resource as Record<string, unknown>, databaseName),
        permissions: new Set(r.Properties.Permissions as string[]),
        grantable: new Set(r.Properties.PermissionsWithGrantOption as string[]),
      }));
    return new LakeFormationGrants(grants);
  }

  private on(principal: string, match: (r: GrantResource) => boolean): Grant[] {
    return this.grants.filter((g) => g.principal === principal && match(g.resource));
  }

  hasOnTag(principal: string, key: string, permissions: string[]): boolean {
    const held = this.on(principal, (r) => r.kind === 'lftag' && r.key === key.toLowerCase());
    return permissions.some((p) => held.some((g) => g.permissions.has(p)));
  }

  /** Permissions (and grantable ones) on a table, from TableWildcard grants on its database. */
  onTable(principal: string, database: string): { permissions: Set<string>; grantable: Set<string> } {
    return this.held(principal, (r) => r.kind === 'tables' && r.database === database.toLowerCase());
  }

  /** Permissions (and grantable ones) on a database itself. */
  onDatabase(principal: string, database: string): { permissions: Set<string>; grantable: Set<string> } {
    return this.held(principal, (r) => r.kind === 'database' && r.database === database.toLowerCase());
  }

  private held(principal: string, match: (r: GrantResource) => boolean) {
    const held = this.on(principal, match);
    return {
      permissions: new Set(held.flatMap((g) => [...g.permissions])),
      grantable: new Set(held.flatMap((g) => [...g.grantable])),
    };
  }
}

/** The table (with or without columns) or database a call addresses, named for an error. */
function resourceOfCall(resource: lf.Resource | undefined) {
  const t = resource?.Table ?? resource?.TableWithColumns;
  if (t?.DatabaseName && t.Name)
    return {
      kind: 'table',
      database: t.DatabaseName,
      table: t.Name,
      name: `table ${t.DatabaseName}.${t.Name}`,
    };
  const db = resource?.Database?.Name;
  return db ? { kind: 'database', database: db, table: undefined, name: `database ${db}` } : undefined;
}

const denied = (principal: string, action: string, resource: string, missing: string) =>
  awsError<typeof lf>(
    'AccessDeniedException',
    `Insufficient Lake Formation permission(s): ${principal} is not authorized to perform lakeformation:${action} on ${resource} (${missing})`,
  );

/** The LakeFormationPort as one principal sees it: each call checked against the grants first. */
export class PrincipalLakeFormation implements LakeFormationPort {
  constructor(
    private readonly lf: LakeFormationPort & Pick<LocalLakeFormation, 'listPermissions'>,
    private readonly grants: LakeFormationGrants,
    readonly principal: string,
  ) {}

  createLFTag(input: lf.CreateLFTagCommandInput) {
    return this.lf.createLFTag(input);
  }
  getLFTag(input: lf.GetLFTagCommandInput) {
    return this.lf.getLFTag(input);
  }
  updateLFTag(input: lf.UpdateLFTagCommandInput) {
    return this.lf.updateLFTag(input);
  }
  listLFTags(input: lf.ListLFTagsCommandInput) {
    return this.lf.listLFTags(input);
  }

  /**
   * Permissions (and grantable ones) the principal holds on a table (or, without `table`, on the
   * database itself): the stack's grants and the run-time ones (its creator's implicit ALL,
   * GrantPermissions); ALL is Super.
   */
  private async onResource(database: string, table?: string) {
    const stack =
      table === undefined
        ? this.grants.onDatabase(this.principal, database)
        : this.grants.onTable(this.principal, database);
    const { PrincipalResourcePermissions: held = [] } = await this.lf.listPermissions({
      Resource:
        table === undefined
          ? { Database: { Name: database } }
          : { Table: { DatabaseName: database, Name: table } },
    });
    const mine = held.filter((h) => h.Principal?.DataLakePrincipalIdentifier === this.principal);
    const all = table === undefined ? TAGGING_DATABASE_PERMISSIONS : TAGGING_TABLE_PERMISSIONS;
    const expand = (ps: string[]) => (ps.includes('ALL') ? [...ps, ...all] : ps);
    return {
      permissions: new Set([...stack.permissions, ...expand(mine.flatMap((h) => h.Permissions ?? []))]),
      grantable: new Set([
        ...stack.grantable,
        ...expand(mine.flatMap((h) => h.PermissionsWithGrantOption ?? [])),
      ]),
    };
  }

  /** A grant on a table or database needs each permission with grant option (the creator holds ALL with it). */
  async grantPermissions(input: lf.GrantPermissionsCommandInput) {
    const t = resourceOfCall(input.Resource);
    if (t) {
      const { grantable } = await this.onResource(t.database, t.table);
      const wanted = [...(input.Permissions ?? []), ...(input.PermissionsWithGrantOption ?? [])];
      const missing = [...new Set(wanted)].filter((p) => !grantable.has(p));
      if (missing.length)
        throw denied(this.principal, 'GrantPermissions', t.name, `no grant option on: ${missing.join(', ')}`);
    }
    return this.lf.grantPermissions(input);
  }

  async addLFTagsToResource(input: lf.AddLFTagsToResourceCommandInput) {
    await this.checkTagging('AddLFTagsToResource', input.Resource, input.LFTags);
    return this.lf.addLFTagsToResource(input);
  }

  async removeLFTagsFromResource(input: lf.RemoveLFTagsFromResourceCommandInput) {
    await this.checkTagging('RemoveLFTagsFromResource', input.Resource, input.LFTags);
    return this.lf.removeLFTagsFromResource(input);
  }

  async getResourceLFTags(input: lf.GetResourceLFTagsCommandInput) {
    const t = resourceOfCall(input.Resource);
    if (t && (await this.onResource(t.database, t.table)).permissions.size === 0)
      throw denied(this.principal, 'GetResourceLFTags', t.name, `no permission on the ${t.kind}`);
    const res = await this.lf.getResourceLFTags(input);
    // Only tags the caller may DESCRIBE or ASSOCIATE are shown ("Viewing LF-Tags assigned to a resource").
    const visible = (pairs: lf.LFTagPair[] | undefined) =>
      pairs?.filter((p) => this.grants.hasOnTag(this.principal, p.TagKey!, ['DESCRIBE', 'ASSOCIATE']));
    return {
      ...res,
      LFTagOnDatabase: visible(res.LFTagOnDatabase),
      LFTagsOnTable: visible(res.LFTagsOnTable),
      LFTagsOnColumns: res.LFTagsOnColumns?.map((c) => ({ ...c, LFTags: visible(c.LFTags) })),
    };
  }

  private async checkTagging(
    action: string,
    resource: lf.Resource | undefined,
    tags: lf.LFTagPair[] | undefined,
  ) {
    const t = resourceOfCall(resource);
    if (!t) return;
    for (const tag of tags ?? [])
      if (!this.grants.hasOnTag(this.principal, tag.TagKey!, ['ASSOCIATE']))
        throw denied(this.principal, action, t.name, `no ASSOCIATE on LF-Tag ${tag.TagKey}`);
    const { permissions, grantable } = await this.onResource(t.database, t.table);
    const needed = t.table === undefined ? TAGGING_DATABASE_PERMISSIONS : TAGGING_TABLE_PERMISSIONS;
    const missing = needed.filter((p) => !permissions.has(p) || !grantable.has(p));
    if (missing.length)
      throw denied(this.principal, action, t.name, `missing with grant option: ${missing.join(', ')}`);
  }
}
