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
