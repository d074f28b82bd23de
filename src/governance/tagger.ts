// What the tagging role needs on a table it does not own, and the grant that gives it: the rule of
// "Assigning LF-Tags to Data Catalog resources" (docs/permissions.md). One list for the stack's
// grants (serverless/governance.js), the local job's run-time grant and the local LF checks.
import type { GrantPermissionsCommandInput, Permission } from '@aws-sdk/client-lakeformation';

/** AddLFTagsToResource on a table a principal does not own: these six, all with grant option. */
export const TAGGING_TABLE_PERMISSIONS: Permission[] = [
  'DESCRIBE',
  'ALTER',
  'DROP',
  'INSERT',
  'SELECT',
  'DELETE',
];

/**
 * Assigning or removing LF-Tags on a database the principal does not own (same account): these four,
 * all with grant option. autogov removes its own keys planted on a database (policy/plan.ts).
 */
export const TAGGING_DATABASE_PERMISSIONS: Permission[] = ['DESCRIBE', 'CREATE_TABLE', 'ALTER', 'DROP'];

/**
 * The GrantPermissions request the Glue job makes as the creator of each table it registers, so the
 * tagging role can tag tables of databases the stack does not grant on (twin of
 * glue-scripts/governance_helpers.py `tagger_table_grant`).
 */
export function taggerTableGrant(
  roleArn: string,
  database: string,
  table: string,
): GrantPermissionsCommandInput {
  return {
    Principal: { DataLakePrincipalIdentifier: roleArn },
    Resource: { Table: { DatabaseName: database, Name: table } },
    Permissions: TAGGING_TABLE_PERMISSIONS,
    PermissionsWithGrantOption: TAGGING_TABLE_PERMISSIONS,
  };
}

/**
 * The GrantPermissions request the Glue job makes as the creator of each database it creates (one
 * governance.yml does not name), so the tagging role can read and correct the database's LF-Tags (twin of
 * glue-scripts/governance_helpers.py `tagger_database_grant`).
 */
export function taggerDatabaseGrant(roleArn: string, database: string): GrantPermissionsCommandInput {
  return {
    Principal: { DataLakePrincipalIdentifier: roleArn },
    Resource: { Database: { Name: database } },
    Permissions: TAGGING_DATABASE_PERMISSIONS,
    PermissionsWithGrantOption: TAGGING_DATABASE_PERMISSIONS,
  };
}
