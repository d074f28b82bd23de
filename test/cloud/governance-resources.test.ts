import { join } from 'node:path';
import { parseGovernance } from '../../src/config/load';
import type { Governance } from '../../src/config/schema';

interface Built {
  Resources: Record<string, { Type: string; DependsOn?: string[]; Properties: Record<string, unknown> }>;
  Outputs: Record<string, unknown>;
}
const { buildResources } = require(join(__dirname, '..', '..', 'serverless', 'governance.js')) as {
  buildResources: (config: Governance, stage: string) => Built;
};

const config = (personas: string) =>
  parseGovernance(`
version: 1
scoreBands: [{ value: DQ100, min: 100 }, { value: DQ_LOW, min: 0 }]
sensitiveData: { entityTypes: [EMAIL] }
personas:
${personas}
defaults: { ruleset: dqdl/default.dqdl }
databases:
  sales_db: {}
  hr: {}
`);

describe('serverless/governance.js', () => {
  it('uses a named principal as is and creates a role only for personas without one', () => {
    const built = buildResources(
      config(`
  auditor:
    principal: arn:aws:iam::111122223333:role/Auditor
    grants: [{ dq_tag: [DQ100] }, { tbl_class: [public] }]
  analyst_team:
    grants: [{ col_class: [public] }]
`),
      'qa',
    );
    const r = built.Resources;
    expect(r.PersonaAnalystTeamRole?.Properties.RoleName).toBe('autogov-qa-analyst_team');
    expect(r.PersonaAuditorRole).toBeUndefined();
    expect(r.PersonaAuditorGrant1?.Properties.Principal).toEqual({
      DataLakePrincipalIdentifier: 'arn:aws:iam::111122223333:role/Auditor',
    });
    expect(r.PersonaAuditorGrant2?.Properties.Resource).toMatchObject({
      LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'tbl_class', TagValues: ['public'] }] },
    });
    // DATABASE DESCRIBE for every persona on every database.
    for (const p of ['Auditor', 'AnalystTeam'])
      for (const db of ['SalesDb', 'Hr']) expect(r[`Persona${p}GlueDatabase${db}Grant`]).toBeDefined();
    expect(r.LFTagQuality?.Properties.TagValues).toEqual(['DQ100', 'DQ_LOW']);
  });

  it('chains Lake Formation grants so CloudFormation never runs two at once', () => {
    const r = buildResources(config('  p:\n    grants: [{ dq_tag: [DQ100] }]'), 'dev').Resources;
    const grants = Object.entries(r).filter(([, x]) => x.Type === 'AWS::LakeFormation::PrincipalPermissions');
    grants.slice(1).forEach(([, g], i) => {
      expect(g.DependsOn).toContain(grants[i]![0]);
    });
  });

  it('creates every database with no IAMAllowedPrincipals grant on its new tables', () => {
    const r = buildResources(config('  p:\n    grants: [{ dq_tag: [DQ100] }]'), 'dev').Resources;
    const dbs = Object.values(r).filter((x) => x.Type === 'AWS::Glue::Database');
    expect(dbs).toHaveLength(3);
    for (const db of dbs)
      expect(db.Properties.DatabaseInput).toMatchObject({ CreateTableDefaultPermissions: [] });
  });

  it("gives the tagging role what AddLFTagsToResource requires: ASSOCIATE on autogov's LF-Tags and the six table permissions with grant option", () => {
    const r = buildResources(config('  p:\n    grants: [{ dq_tag: [DQ100] }]'), 'dev').Resources;
    const six = ['DESCRIBE', 'ALTER', 'DROP', 'INSERT', 'SELECT', 'DELETE'];
    for (const db of ['SalesDb', 'Hr', 'AutogovDevDocuments']) {
      const g = r[`ApplyTagsRoleGlueDatabase${db}TablesGrant`]?.Properties;
      expect(g?.Principal).toEqual({
        DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['ApplyTagsRole', 'Arn'] },
      });
      expect(g?.Resource).toMatchObject({ Table: { TableWildcard: {} } });
      expect([...((g?.Permissions ?? []) as string[])].sort()).toEqual([...six].sort());
      expect([...((g?.PermissionsWithGrantOption ?? []) as string[])].sort()).toEqual([...six].sort());
    }
    for (const tag of ['LFTagTableClass', 'LFTagColumnClass', 'LFTagQuality'])
      expect(r[`ApplyTagsRole${tag}Grant`]?.Properties.Permissions).toContain('ASSOCIATE');
  });

  it('gives the tagging role what removing a key planted on a database requires: four database permissions with grant option', () => {
    const r = buildResources(config('  p:\n    grants: [{ dq_tag: [DQ100] }]'), 'dev').Resources;
    const four = ['DESCRIBE', 'CREATE_TABLE', 'ALTER', 'DROP'].sort();
    for (const db of ['SalesDb', 'Hr', 'AutogovDevDocuments']) {
      const g = r[`ApplyTagsRoleGlueDatabase${db}Grant`]?.Properties;
      expect(g?.Resource).toMatchObject({ Database: {} });
      expect([...((g?.Permissions ?? []) as string[])].sort()).toEqual(four);
      expect([...((g?.PermissionsWithGrantOption ?? []) as string[])].sort()).toEqual(four);
    }
  });

  it("scopes the persona roles' catalog reads to this account's catalog, databases and tables", () => {
    const r = buildResources(config('  p:\n    grants: [{ dq_tag: [DQ100] }]'), 'dev').Resources;
    const policies = r.PersonaPRole?.Properties.Policies as {
      PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
    }[];
    const glue = policies[0]!.PolicyDocument.Statement.find((s) => s.Action.includes('glue:GetTable'))!;
    expect(glue.Resource).not.toBe('*');
    expect(JSON.stringify(glue.Resource)).toContain(':catalog');
    expect(glue.Action.every((a) => /^glue:Get/.test(a))).toBe(true);
  });

  it('rejects personas whose CloudFormation ids would collide', () => {
    expect(() =>
      buildResources(
        config('  a_b:\n    grants: [{ dq_tag: [DQ100] }]\n  aB:\n    grants: [{ dq_tag: [DQ100] }]'),
        'dev',
      ),
    ).toThrow(/same CloudFormation id/);
  });
});
