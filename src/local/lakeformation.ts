// LakeFormationPort on the local lake, reproducing LF-Tag semantics (spec §5):
// - keys and values are stored lower-cased; every input is lower-cased before use;
// - one value per key per resource: assigning a key again replaces its value;
// - per-tag problems (unknown key, value not allowed, several values) come back in `Failures`,
//   while a missing database/table/column throws EntityNotFoundException for the whole call;
// - columns are tagged only through TableWithColumns with explicit ColumnNames; ColumnWildcard and
//   TableWildcard are rejected on add/remove ("Must provide column names"), as real LF does in some
//   tools — so code that works locally does not rely on them. GetResourceLFTags accepts ColumnWildcard.
// - GetResourceLFTags with ShowAssignedLFTags false (the default) reports effective values:
//   table = own, else database; column = own, else table's effective. With true, only direct
//   assignments. Every requested column is listed, with an empty LFTags list when it has none.
import type * as lf from '@aws-sdk/client-lakeformation';
import { z } from 'zod';
import type { LakeFormationPort } from '../aws/ports';
import { awsError, inputParser } from './errors';
import { grant, heldOn } from './lf-permissions';
import { LOCAL_ACCOUNT } from './s3';
import { type Db, json, type Lake, num, str } from './store';

const MAX_VALUES_PER_KEY = 1000;
const MAX_VALUES_PER_CALL = 50;
const MAX_TAGS_PER_CALL = 50;
// The API allows 128/256 characters, the TBAC notes say 50; the stricter limit is enforced locally.
const MAX_LENGTH = 50;
const KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]+$/u;
const VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%*]+$/u;

const invalid = (message: string) => awsError<typeof lf>('InvalidInputException', message);

const parse = inputParser(invalid);

const tagKey = z
  .string()
  .min(1)
  .max(MAX_LENGTH)
  .regex(KEY_PATTERN, 'invalid characters in tag key')
  .transform((k) => k.toLowerCase());
const tagValue = z
  .string()
  .min(1)
  .max(MAX_LENGTH)
  .regex(VALUE_PATTERN, 'invalid characters in tag value')
  .transform((v) => v.toLowerCase());
const tagValues = (max: number) =>
  z
    .array(tagValue)
    .max(max, `at most ${max} values per call`)
    .transform((vs) => [...new Set(vs)]);

// Lake Formation's permissions, as a record over the SDK's type so that tsc notices one added or
// removed (the SDK's own list is in the client module, which a run does not load).
const PERMISSIONS: Record<lf.Permission, true> = {
  ALL: true,
  ALTER: true,
  ASSOCIATE: true,
  CREATE_CATALOG: true,
  CREATE_DATABASE: true,
  CREATE_LF_TAG: true,
  CREATE_LF_TAG_EXPRESSION: true,
  CREATE_TABLE: true,
  DATA_LOCATION_ACCESS: true,
  DELETE: true,
  DESCRIBE: true,
  DROP: true,
  GRANT_WITH_LF_TAG_EXPRESSION: true,
  INSERT: true,
  SELECT: true,
  SUPER_USER: true,
};
const permission = z.string().refine((p) => Object.hasOwn(PERMISSIONS, p), 'not a Lake Formation permission');

const pairSchema = z.object({ TagKey: z.string(), TagValues: z.array(z.string()) });

/** The resource a call addresses; `columns` only for TableWithColumns. */
interface Target {
  database: string;
  table?: string;
  columns?: string[] | { exclude: string[] };
}

function parseResource(resource: lf.Resource | undefined, allowColumnWildcard: boolean): Target {
  if (!resource) throw invalid('Resource is required');
  const given = Object.entries(resource).filter(([, v]) => v !== undefined);
  if (given.length !== 1) throw invalid('Exactly one resource type must be specified');
  if (resource.Database) {
    return { database: parse(z.string().min(1), resource.Database.Name).toLowerCase() };
  }
  if (resource.Table) {
    const t = resource.Table;
    if (t.TableWildcard || !t.Name)
      throw invalid('Table resource requires a table Name; TableWildcard is not supported');
    return { database: parse(z.string().min(1), t.DatabaseName).toLowerCase(), table: t.Name.toLowerCase() };
  }
  if (resource.TableWithColumns) {
    const t = resource.TableWithColumns;
    const base = {
      database: parse(z.string().min(1), t.DatabaseName).toLowerCase(),
      table: parse(z.string().min(1), t.Name).toLowerCase(),
    };
    if (t.ColumnNames?.length) return { ...base, columns: t.ColumnNames };
    if (t.ColumnWildcard && allowColumnWildcard) {
      return { ...base, columns: { exclude: t.ColumnWildcard.ExcludedColumnNames ?? [] } };
    }
    throw invalid('Must provide column names');
  }
  throw invalid(
    'Only database, table, or tableWithColumns resource are allowed. To tag columns, use the column inclusion list in tableWithColumns',
  );
}

/** Assignment rows addressed by a target: '' stands for "database/table level". */
interface Slot {
  table: string;
  column: string;
}

const pair = (key: string, value: string): lf.LFTagPair => ({
  CatalogId: LOCAL_ACCOUNT,
  TagKey: key,
  TagValues: [value],
});

const failure = (tag: lf.LFTagPair, message: string): lf.LFTagError => ({
  LFTag: tag,
  Error: { ErrorCode: 'InvalidInputException', ErrorMessage: message },
});

export class LocalLakeFormation implements LakeFormationPort {
  constructor(private readonly lake: Lake) {}

  async createLFTag(input: lf.CreateLFTagCommandInput): Promise<lf.CreateLFTagCommandOutput> {
    const key = parse(tagKey, input.TagKey);
    const values = parse(tagValues(MAX_VALUES_PER_CALL).pipe(z.array(z.string()).min(1)), input.TagValues);
    await this.lake.write(async (db) => {
      if ((await this.tagValuesOf(db, key)) !== undefined) {
        throw awsError<typeof lf>('AlreadyExistsException', `Tag key ${key} already exists`);
      }
      await this.insertValues(db, key, values, 0);
    });
    return { $metadata: {} };
  }

  async getLFTag(input: lf.GetLFTagCommandInput): Promise<lf.GetLFTagCommandOutput> {
    const key = parse(tagKey, input.TagKey);
    const values = await this.lake.read((db) => this.tagValuesOf(db, key));
    if (values === undefined)
      throw awsError<typeof lf>('EntityNotFoundException', `Tag key ${key} does not exist`);
    return { $metadata: {}, CatalogId: LOCAL_ACCOUNT, TagKey: key, TagValues: values };
  }

  async updateLFTag(input: lf.UpdateLFTagCommandInput): Promise<lf.UpdateLFTagCommandOutput> {
    const key = parse(tagKey, input.TagKey);
    const add = parse(tagValues(MAX_VALUES_PER_CALL), input.TagValuesToAdd ?? []);
    const del = parse(tagValues(MAX_VALUES_PER_CALL), input.TagValuesToDelete ?? []);
    if (!add.length && !del.length) throw invalid('TagValuesToAdd or TagValuesToDelete is required');
    await this.lake.write(async (db) => {
      const current = await this.tagValuesOf(db, key);
      if (current === undefined)
        throw awsError<typeof lf>('EntityNotFoundException', `Tag key ${key} does not exist`);
      const missing = del.filter((v) => !current.includes(v));
      if (missing.length) throw invalid(`Tag values ${missing.join(', ')} do not exist for key ${key}`);
      const kept = current.filter((v) => !del.includes(v));
      const fresh = add.filter((v) => !kept.includes(v));
      if (kept.length + fresh.length > MAX_VALUES_PER_KEY) {
        throw awsError<typeof lf>(
          'ResourceNumberLimitExceededException',
          `A tag key can have at most ${MAX_VALUES_PER_KEY} values`,
        );
      }
      if (!kept.length && !fresh.length) throw invalid(`Tag key ${key} must keep at least one value`);
      for (const v of del) {
        await db.run('DELETE FROM lf_tags WHERE tag_key = $1 AND tag_value = $2', [key, v]);
        // A deleted value can no longer be assigned anywhere.
        await db.run('DELETE FROM lf_assignments WHERE tag_key = $1 AND tag_value = $2', [key, v]);
      }
      const rows = await db.all('SELECT max(ord) AS m FROM lf_tags WHERE tag_key = $1', [key]);
      await this.insertValues(db, key, fresh, num(rows[0]?.m) + 1);
    });
    return { $metadata: {} };
  }

  async listLFTags(input: lf.ListLFTagsCommandInput): Promise<lf.ListLFTagsCommandOutput> {
    const rows = await this.lake.read((db) =>
      db.all('SELECT tag_key, tag_value FROM lf_tags ORDER BY tag_key, ord'),
    );
    const byKey = new Map<string, string[]>();
    for (const r of rows) {
      const k = str(r.tag_key);
      byKey.set(k, [...(byKey.get(k) ?? []), str(r.tag_value)]);
    }
    const all = [...byKey].map(([TagKey, TagValues]) => ({ CatalogId: LOCAL_ACCOUNT, TagKey, TagValues }));
    const start = input.NextToken ? Number.parseInt(input.NextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid NextToken');
    const max = input.MaxResults ?? 1000;
    const next = start + max < all.length ? String(start + max) : undefined;
    return { $metadata: {}, LFTags: all.slice(start, start + max), NextToken: next };
  }

  async addLFTagsToResource(
    input: lf.AddLFTagsToResourceCommandInput,
  ): Promise<lf.AddLFTagsToResourceCommandOutput> {
    const Failures = await this.eachPair(input, async (db, target, slots, checked) => {
      if (checked.values.length !== 1)
        return `Only one value can be assigned to tag key ${checked.key} on a resource`;
      for (const s of slots) {
        await this.deleteAssignment(db, target.database, s, checked.key);
        await db.run('INSERT INTO lf_assignments VALUES ($1, $2, $3, $4, $5)', [
          target.database,
          s.table,
          s.column.toLowerCase(),
          checked.key,
          checked.values[0]!,
        ]);
      }
      return undefined;
    });
    return { $metadata: {}, Failures };
  }

  async removeLFTagsFromResource(
    input: lf.RemoveLFTagsFromResourceCommandInput,
  ): Promise<lf.RemoveLFTagsFromResourceCommandOutput> {
    const Failures = await this.eachPair(input, async (db, target, slots, checked) => {
      // Removing a key that is not assigned is a no-op; a different assigned value is kept and reported.
      const mismatched: string[] = [];
      for (const s of slots) {
        const assigned = await this.assignedValue(db, target.database, s, checked.key);
        if (assigned === undefined) continue;
        if (checked.values.includes(assigned))
          await this.deleteAssignment(db, target.database, s, checked.key);
        else mismatched.push(`${s.column || s.table || target.database}=${assigned}`);
      }
      return mismatched.length
        ? `Tag ${checked.key} has a different value on: ${mismatched.join(', ')}`
        : undefined;
    });
    return { $metadata: {}, Failures };
  }

  /**
   * Add and remove share their shape: one transaction, the resource checked first (a missing one
   * throws, nothing applied), then each tag pair validated and applied; a pair's problem is reported
   * in-band in `Failures` while the valid pairs still apply, as Lake Formation does.
   */
  private eachPair(
    input: { Resource?: lf.Resource; LFTags?: lf.LFTagPair[] },
    apply: (
      db: Db,
      target: Target,
      slots: Slot[],
      checked: { key: string; values: string[] },
    ) => Promise<string | undefined>,
  ): Promise<lf.LFTagError[]> {
    const target = parseResource(input.Resource, false);
    const pairs = parse(z.array(pairSchema).min(1).max(MAX_TAGS_PER_CALL), input.LFTags);
    return this.lake.write(async (db) => {
      const slots = await this.resolveSlots(db, target);
      const failures: lf.LFTagError[] = [];
      for (const p of pairs) {
        const checked = await this.checkPair(db, p);
        const error = 'error' in checked ? checked.error : await apply(db, target, slots, checked);
        if (error) failures.push(failure(p, error));
      }
      return failures;
    });
  }

  async getResourceLFTags(
    input: lf.GetResourceLFTagsCommandInput,
  ): Promise<lf.GetResourceLFTagsCommandOutput> {
    const target = parseResource(input.Resource, true);
    const assignedOnly = input.ShowAssignedLFTags ?? false;
    return this.lake.read(async (db) => {
      const slots = await this.resolveSlots(db, target);
      const rows = await db.all(
        'SELECT table_name, column_name, tag_key, tag_value FROM lf_assignments WHERE database = $1 AND table_name IN ($2, $3) ORDER BY tag_key',
        [target.database, '', target.table ?? ''],
      );
      const level = (table: string, column: string) =>
        new Map(
          rows
            .filter((r) => str(r.table_name) === table && str(r.column_name) === column)
            .map((r) => [str(r.tag_key), str(r.tag_value)] as const),
        );
      const toPairs = (m: Map<string, string>) =>
        [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => pair(k, v));
      const dbTags = level('', '');
      const out: lf.GetResourceLFTagsCommandOutput = { $metadata: {}, LFTagOnDatabase: toPairs(dbTags) };
      if (target.table === undefined) return out;
      const own = level(target.table, '');
      const tableTags = assignedOnly ? own : new Map([...dbTags, ...own]);
      out.LFTagsOnTable = toPairs(tableTags);
      const columnSlots = target.columns === undefined ? await this.columnSlots(db, target) : slots;
      out.LFTagsOnColumns = columnSlots.map((s) => {
        const col = level(target.table!, s.column.toLowerCase());
        return { Name: s.column, LFTags: toPairs(assignedOnly ? col : new Map([...tableTags, ...col])) };
      });
      return out;
    });
  }

  /** Run-time grants on a database or table (the stack's own grants are enforced from the template). */
  async grantPermissions(input: lf.GrantPermissionsCommandInput): Promise<lf.GrantPermissionsCommandOutput> {
    const principal = parse(z.string().min(1), input.Principal?.DataLakePrincipalIdentifier);
    const permissions = parse(z.array(permission).min(1), input.Permissions);
    const grantable = parse(z.array(permission), input.PermissionsWithGrantOption ?? []);
    const target = parseResource(input.Resource, false);
    await this.lake.write(async (db) => {
      await this.resolveSlots(db, target);
      await grant(db, {
        principal,
        database: target.database,
        table: target.table ?? '',
        permissions,
        grantable,
      });
    });
    return { $metadata: {} };
  }

  /** The grants held on one database or table (run-time ones: table defaults and GrantPermissions). */
  async listPermissions(input: lf.ListPermissionsCommandInput): Promise<lf.ListPermissionsCommandOutput> {
    const target = parseResource(input.Resource, false);
    const held = await this.lake.read(async (db) => {
      await this.resolveSlots(db, target);
      return heldOn(db, target.database, target.table ?? '');
    });
    const resource: lf.Resource =
      target.table === undefined
        ? { Database: { CatalogId: LOCAL_ACCOUNT, Name: target.database } }
        : { Table: { CatalogId: LOCAL_ACCOUNT, DatabaseName: target.database, Name: target.table } };
    return {
      $metadata: {},
      PrincipalResourcePermissions: held.map((h) => ({
        Principal: { DataLakePrincipalIdentifier: h.principal },
        Resource: resource,
        Permissions: h.permissions as lf.Permission[],
        PermissionsWithGrantOption: h.grantable as lf.Permission[],
      })),
    };
  }

  private async tagValuesOf(db: Db, key: string): Promise<string[] | undefined> {
    const rows = await db.all('SELECT tag_value FROM lf_tags WHERE tag_key = $1 ORDER BY ord', [key]);
    return rows.length ? rows.map((r) => str(r.tag_value)) : undefined;
  }

  private async insertValues(db: Db, key: string, values: string[], firstOrd: number): Promise<void> {
    let ord = firstOrd;
    for (const v of values) await db.run('INSERT INTO lf_tags VALUES ($1, $2, $3)', [key, v, ord++]);
  }

  private async checkPair(
    db: Db,
    p: { TagKey: string; TagValues: string[] },
  ): Promise<{ key: string; values: string[] } | { error: string }> {
    const key = p.TagKey.toLowerCase();
    const allowed = await this.tagValuesOf(db, key);
    if (allowed === undefined) return { error: `Tag key ${key} does not exist` };
    const values = [...new Set(p.TagValues.map((v) => v.toLowerCase()))];
    if (!values.length) return { error: `No value given for tag key ${key}` };
    const bad = values.filter((v) => !allowed.includes(v));
    if (bad.length) return { error: `Tag value(s) ${bad.join(', ')} not valid for tag key ${key}` };
    return { key, values };
  }

  /** Checks the resource exists and expands it to assignment slots (one per column for columns). */
  private async resolveSlots(db: Db, target: Target): Promise<Slot[]> {
    const dbRows = await db.all('SELECT 1 FROM glue_databases WHERE name = $1', [target.database]);
    if (!dbRows.length)
      throw awsError<typeof lf>('EntityNotFoundException', `Database ${target.database} not found`);
    if (target.table === undefined) return [{ table: '', column: '' }];
    const schema = await this.tableColumns(db, target.database, target.table);
    if (target.columns === undefined) return [{ table: target.table, column: '' }];
    const byLower = new Map(schema.map((c) => [c.toLowerCase(), c]));
    if (!Array.isArray(target.columns)) {
      const excluded = new Set(target.columns.exclude.map((c) => c.toLowerCase()));
      return schema
        .filter((c) => !excluded.has(c.toLowerCase()))
        .map((c) => ({ table: target.table!, column: c }));
    }
    const missing = target.columns.filter((c) => !byLower.has(c.toLowerCase()));
    if (missing.length) {
      throw awsError<typeof lf>(
        'EntityNotFoundException',
        `Column(s) ${missing.join(', ')} not found in table ${target.database}.${target.table}`,
      );
    }
    const unique = [...new Set(target.columns.map((c) => byLower.get(c.toLowerCase())!))];
    return unique.map((c) => ({ table: target.table!, column: c }));
  }

  private async columnSlots(db: Db, target: Target): Promise<Slot[]> {
    const schema = await this.tableColumns(db, target.database, target.table!);
    return schema.map((c) => ({ table: target.table!, column: c }));
  }

  /** Column names (data columns, then partition keys) of a catalog table; throws if it is missing. */
  private async tableColumns(db: Db, database: string, table: string): Promise<string[]> {
    const rows = await db.all('SELECT input FROM glue_tables WHERE database = $1 AND name = $2', [
      database,
      table,
    ]);
    if (!rows.length)
      throw awsError<typeof lf>('EntityNotFoundException', `Table ${database}.${table} not found`);
    const input = json<{
      StorageDescriptor?: { Columns?: { Name?: string }[] };
      PartitionKeys?: { Name?: string }[];
    }>(rows[0]!.input, {});
    return [...(input.StorageDescriptor?.Columns ?? []), ...(input.PartitionKeys ?? [])]
      .map((c) => c.Name)
      .filter((n): n is string => !!n);
  }

  // Column assignments are stored under the lower-cased column name (LF matches columns case-insensitively).
  private async assignedValue(db: Db, database: string, s: Slot, key: string): Promise<string | undefined> {
    const rows = await db.all(
      'SELECT tag_value FROM lf_assignments WHERE database = $1 AND table_name = $2 AND column_name = $3 AND tag_key = $4',
      [database, s.table, s.column.toLowerCase(), key],
    );
    return rows.length ? str(rows[0]!.tag_value) : undefined;
  }

  private async deleteAssignment(db: Db, database: string, s: Slot, key: string): Promise<void> {
    await db.run(
      'DELETE FROM lf_assignments WHERE database = $1 AND table_name = $2 AND column_name = $3 AND tag_key = $4',
      [database, s.table, s.column.toLowerCase(), key],
    );
  }
}
