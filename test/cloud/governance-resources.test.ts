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

  it('rejects personas whose CloudFormation ids would collide', () => {
    expect(() =>
      buildResources(
        config('  a_b:\n    grants: [{ dq_tag: [DQ100] }]\n  aB:\n    grants: [{ dq_tag: [DQ100] }]'),
        'dev',
      ),
    ).toThrow(/same CloudFormation id/);
  });
});
