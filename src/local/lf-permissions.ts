// Lake Formation permissions held on catalog resources at run time, kept in the lake: the grants a
// new table gets from its database's CreateTableDefaultPermissions (IAMAllowedPrincipals when the
// database was created without `CreateTableDefaultPermissions: []`) and GrantPermissions calls.
// The stack's own grants are not stored here: they are rendered from the template (permissions.ts).
// Rules and their AWS pages: docs/permissions.md.
import type * as glue from '@aws-sdk/client-glue';
import { type Db, json, str } from './store';

/** The group standing for "IAM alone decides" (Lake Formation's backward compatibility with Glue). */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/**
 * The account's default for new databases' tables, "Use only IAM access control for new tables"
 * ("Changing the default settings for your data lake"): what a database created without
 * CreateTableDefaultPermissions carries.
 */
export const ACCOUNT_TABLE_DEFAULTS: glue.PrincipalPermissions[] = [
  { Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS }, Permissions: ['ALL'] },
];

export interface HeldPermissions {
  principal: string;
  database: string;
  /** '' for the database itself */
  table: string;
  permissions: string[];
  grantable: string[];
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** Adds permissions (GrantPermissions is additive and idempotent). Call inside `Lake.write`. */
export async function grant(db: Db, held: HeldPermissions): Promise<void> {
  const key = [held.principal, held.database.toLowerCase(), held.table.toLowerCase()];
  const rows = await db.all(
    'SELECT permissions, grantable FROM lf_permissions WHERE principal = $1 AND database = $2 AND table_name = $3',
    key,
  );
  const before = rows[0];
  const permissions = union(json<string[]>(before?.permissions, []), held.permissions);
  const grantable = union(json<string[]>(before?.grantable, []), held.grantable);
  await db.run('DELETE FROM lf_permissions WHERE principal = $1 AND database = $2 AND table_name = $3', key);
  await db.run('INSERT INTO lf_permissions VALUES ($1, $2, $3, $4, $5)', [
    ...key,
    JSON.stringify(permissions),
    JSON.stringify(grantable),
  ]);
}

/** The grants a table created in a database gets from the database's CreateTableDefaultPermissions. */
export async function grantTableDefaults(
  db: Db,
  database: string,
  table: string,
  defaults: glue.PrincipalPermissions[],
): Promise<void> {
  for (const d of defaults) {
    const principal = d.Principal?.DataLakePrincipalIdentifier;
    if (principal)
      await grant(db, { principal, database, table, permissions: d.Permissions ?? [], grantable: [] });
  }
}

/** Every principal's permissions on one table (or the database itself with table ''). */
export async function heldOn(db: Db, database: string, table: string): Promise<HeldPermissions[]> {
  const rows = await db.all(
    'SELECT * FROM lf_permissions WHERE database = $1 AND table_name = $2 ORDER BY principal',
    [database.toLowerCase(), table.toLowerCase()],
  );
  return rows.map((r) => ({
    principal: str(r.principal),
    database: str(r.database),
    table: str(r.table_name),
    permissions: json<string[]>(r.permissions, []),
    grantable: json<string[]>(r.grantable, []),
  }));
}
