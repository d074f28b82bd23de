import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ingestDocument } from '../../src/app/documents';
import { LocalLake } from '../../src/app/local-lake';
import {
  LOCAL_ARTIFACTS_BUCKET,
  LOCAL_CERTIFIED_BUCKET,
  LOCAL_DOCUMENTS_DATABASE,
  LOCAL_EXTRACTED_BUCKET,
  LOCAL_RAW_BUCKET,
} from '../../src/local/catalog';
import type { IamCall } from '../../src/local/iam-calls';
import { type IntrinsicResolver, resolveIntrinsics } from '../../src/local/runner';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../src/local/s3';
import { readServerless } from '../../src/local/serverless';
import { tempDir } from '../local/helpers';
import { packagedDevStage } from '../support/fixtures';

// AWS IAM's rules, evaluated by @cloud-copilot/iam-simulate (not by code written here), applied to
// the policies `sls package` emits and to every call each role really makes: the calls are those
// the local lake logged while it ran the seed scenario and ingested documents as each role
// (src/local/iam-calls.ts), renamed to the cloud's names. A policy that forgets an action, or
// scopes it to the wrong ARN, fails here before a deploy.
const ROOT = join(__dirname, '..', '..');
const STAGE = 'dev'; // as packagedDevStage() packages it, in REGION
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SEED = join(ROOT, 'samples', 'seed');
const DOCS = join(ROOT, 'samples', 'documents');

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
type Resources = Record<string, Resource>;
interface Policy {
  PolicyName: string;
  PolicyDocument: unknown;
}

let resources: Resources;
let calls: IamCall[];

beforeAll(async () => {
  const template = JSON.parse(
    readFileSync(join(await packagedDevStage(), 'cloudformation-template-update-stack.json'), 'utf8'),
  );
  resources = template.Resources;
  calls = await callsOfALocalRun();
}, 900_000);

/** The seed scenario's three files, a replaced file, then a text, a PDF and an audio document. */
async function callsOfALocalRun(): Promise<IamCall[]> {
  const tmp = tempDir();
  const lake = await LocalLake.open({ lake: tmp.dir, governance: join(ROOT, 'governance.yml') });
  try {
    const table = (f: string, name = f) =>
      lake.ingestTableFile(
        join(SEED, f),
        'oktank_autogov_temp',
        f.startsWith('base') ? 'base' : 'customer',
        name,
      );
    await table('base.csv');
    await table('customer_v0.csv');
    await table('customer_v1.csv');
    await table('customer_v1_fixed.csv', 'customer_v1.csv');
    await lake.removeTableFile('oktank_autogov_temp', 'customer', 'customer_v1.csv');
    for (const doc of ['quarterly-notes.txt', 'customer-record.pdf', 'support-call.wav'])
      await ingestDocument(lake, join(DOCS, doc));
    // The local job keeps the metric history of dynamic rules under history/ in the artifacts
    // bucket; in the cloud Glue Data Quality keeps that history itself, so it is no call of the role.
    const glueDqHistory = (c: IamCall) =>
      c.principal.endsWith('/GovernTableJobRole') &&
      (c.resources.every((r) => r.includes('/history/')) || c.context?.['s3:prefix']?.startsWith('history/'));
    return lake.services.iamCalls.calls().filter((c) => !glueDqHistory(c));
  } finally {
    await lake.close();
    tmp.cleanup();
  }
}

/** CloudFormation's values for this account/region: names as the packaged template spells them. */
function cloudIntrinsics(all: Resources): IntrinsicResolver {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': ACCOUNT,
    'AWS::Region': REGION,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': `autogov-${STAGE}`,
  };
  // A resource's name is resolved once per template: a policy refers to the same few many times.
  const names = new Map<string, string>();
  const resolver: IntrinsicResolver = {
    ref: (id) => {
      if (pseudo[id]) return pseudo[id];
      const known = names.get(id);
      if (known !== undefined) return known;
      const r = all[id];
      if (!r) throw new Error(`Ref ${id}: no such resource`);
      const p = resolveIntrinsics(r.Properties, resolver) as Record<string, string>;
      const name =
        r.Type === 'AWS::StepFunctions::StateMachine'
          ? `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${p.StateMachineName}`
          : // A resource CloudFormation names at deploy time (the buckets) keeps its logical id.
            (p.BucketName ?? p.Name ?? p.RoleName ?? p.FunctionName ?? p.QueueName ?? id);
      names.set(id, name);
      return name;
    },
    getAtt: (id, attr) => {
      const r = all[id];
      if (!r || attr !== 'Arn') throw new Error(`GetAtt ${id}.${attr} is not resolved by this test`);
      const name = resolver.ref(id);
      switch (r.Type) {
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${name}`;
        case 'AWS::IAM::Role':
          return `arn:aws:iam::${ACCOUNT}:role/${name}`;
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
        case 'AWS::StepFunctions::StateMachine':
          return name;
        default:
          return `arn:aws:${r.Type.split('::')[1]!.toLowerCase()}:${REGION}:${ACCOUNT}:${id}`;
      }
    },
  };
  return resolver;
}

/** Local names → the packaged stack's: buckets, documents database, Glue job, state machines, ARNs. */
function cloudNames(all: Resources): (arn: string) => string {
  const cfn = cloudIntrinsics(all);
  const renames: [string, string][] = [
    [`arn:aws:s3:::${LOCAL_RAW_BUCKET}`, `arn:aws:s3:::${cfn.ref('RawBucket')}`],
    [`arn:aws:s3:::${LOCAL_ARTIFACTS_BUCKET}`, `arn:aws:s3:::${cfn.ref('ArtifactsBucket')}`],
    [`arn:aws:s3:::${LOCAL_EXTRACTED_BUCKET}`, `arn:aws:s3:::${cfn.ref('ExtractedBucket')}`],
    [`arn:aws:s3:::${LOCAL_CERTIFIED_BUCKET}`, `arn:aws:s3:::${cfn.ref('CertifiedBucket')}`],
    [`/${LOCAL_DOCUMENTS_DATABASE}`, `/autogov_${STAGE}_documents`],
    ['job/GovernTableJob', `job/${cfn.ref('GovernTableJob')}`],
    ...Object.entries(readServerless(ROOT).stateMachineIds).flatMap(([id, local]): [string, string][] => {
      const cloud = cfn.ref(id).split(':').at(-1)!;
      return [
        [`stateMachine:${local}`, `stateMachine:${cloud}`],
        [`execution:${local}:`, `execution:${cloud}:`],
      ];
    }),
    [`:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`, `:${REGION}:${ACCOUNT}:`],
  ];
  return (arn) => renames.reduce((a, [from, to]) => a.split(from).join(to), arn);
}

/** The bucket policy of the bucket an S3 ARN names, resolved; undefined for other services. */
function bucketPolicy(all: Resources, cfn: IntrinsicResolver, arn: string): unknown {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(arn)?.[1];
  const policy = Object.values(all).find(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && resolveIntrinsics(r.Properties.Bucket, cfn) === bucket,
  );
  return policy && resolveIntrinsics(policy.Properties.PolicyDocument, cfn);
}

type Simulation = Parameters<typeof runSimulation>[0];
const simulations = new Map<string, ReturnType<typeof runSimulation>>();

/**
 * IAM's answer to one request, asked once per run for the same request and policies (keyed by all of
 * them): the edited templates below change one role, so the other roles' answers are the same.
 */
function simulate(simulation: Simulation): ReturnType<typeof runSimulation> {
  const key = JSON.stringify(simulation);
  const result = simulations.get(key) ?? runSimulation(simulation, {});
  simulations.set(key, result);
  return result;
}

/** Every logged call each role makes, simulated against the role's policies; the denied ones. */
async function deniedCalls(all: Resources): Promise<string[]> {
  const cfn = cloudIntrinsics(all);
  const rename = cloudNames(all);
  const denied: string[] = [];
  // The same call made again (each ingest makes many of the same) has the same answer.
  const distinct = [...new Map(calls.map((c) => [JSON.stringify(c), c])).values()];
  for (const call of distinct) {
    const roleId = call.principal.split('/').at(-1)!;
    const role = all[roleId];
    if (role?.Type !== 'AWS::IAM::Role') {
      denied.push(`${roleId}: no such role in the template (${call.action})`);
      continue;
    }
    const roleArn = cfn.getAtt(roleId, 'Arn');
    const identityPolicies = ((role.Properties.Policies ?? []) as Policy[]).map((p) => ({
      name: p.PolicyName,
      policy: resolveIntrinsics(p.PolicyDocument, cfn),
    }));
    for (const local of call.resources) {
      const resource = rename(local);
      const result = await simulate({
        request: {
          principal: roleArn,
          action: call.action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: {
            'aws:PrincipalArn': roleArn,
            'aws:PrincipalAccount': ACCOUNT,
            'aws:SecureTransport': 'true',
            ...call.context,
          },
        },
        identityPolicies,
        resourcePolicy: bucketPolicy(all, cfn, resource),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      });
      if (result.resultType === 'error')
        denied.push(`${roleId} ${call.action} ${resource}: ${result.errors.message}`);
      else if (result.overallResult !== 'Allowed')
        denied.push(`${roleId} ${call.action} ${resource}: ${result.overallResult}`);
    }
  }
  return [...new Set(denied)];
}

interface Statement {
  Sid?: string;
  Action: string | string[];
}

/** The template with one role's statements edited (a statement mapped to undefined is dropped). */
function editRole(roleId: string, edit: (s: Statement) => Statement | undefined): Resources {
  const role = resources[roleId]!;
  const policies = (role.Properties.Policies as Policy[]).map((p) => {
    const doc = p.PolicyDocument as { Statement: Statement[] };
    const Statement = doc.Statement.map(edit).filter((s): s is Statement => s !== undefined);
    return { ...p, PolicyDocument: { ...doc, Statement } };
  });
  return { ...resources, [roleId]: { ...role, Properties: { ...role.Properties, Policies: policies } } };
}

const withoutStatement = (roleId: string, sid: string) =>
  editRole(roleId, (s) => (s.Sid === sid ? undefined : s));

const withoutAction = (roleId: string, action: string) =>
  editRole(roleId, (s) => {
    const kept = ([] as string[]).concat(s.Action).filter((a) => a !== action);
    return kept.length ? { ...s, Action: kept } : undefined;
  });

describe('IAM simulation of every call each role makes, against the packaged template', () => {
  it('logged the calls of every Lambda role and of the Glue job role', () => {
    const roles = new Set(calls.map((c) => c.principal.split('/').at(-1)));
    for (const role of ['StartGovernanceRole', 'ApplyTagsRole', 'GovernTableJobRole', 'RecordObjectRole'])
      expect(roles).toContain(role);
    expect(calls.length).toBeGreaterThan(20);
  });

  it('allows every call: the stack grants each role enough', async () => {
    expect(await deniedCalls(resources)).toEqual([]);
  });

  it('denies the tagging run when ApplyTagsRole loses lakeformation:AddLFTagsToResource', async () => {
    const denied = await deniedCalls(withoutAction('ApplyTagsRole', 'lakeformation:AddLFTagsToResource'));
    expect(denied).toEqual(['ApplyTagsRole lakeformation:AddLFTagsToResource *: ImplicitlyDenied']);
  });

  it('denies tagging when ApplyTagsRole loses glue:GetDatabase, which Lake Formation requires to assign LF-Tags', async () => {
    const denied = await deniedCalls(withoutAction('ApplyTagsRole', 'glue:GetDatabase'));
    expect(denied).toEqual([
      'ApplyTagsRole glue:GetDatabase arn:aws:glue:us-east-1:123456789012:catalog: ImplicitlyDenied',
      'ApplyTagsRole glue:GetDatabase arn:aws:glue:us-east-1:123456789012:database/oktank_autogov_temp: ImplicitlyDenied',
      'ApplyTagsRole glue:GetDatabase arn:aws:glue:us-east-1:123456789012:database/autogov_dev_documents: ImplicitlyDenied',
    ]);
  });

  it('denies the Glue job its findings when GovernTableJobRole loses WriteFindings', async () => {
    const denied = await deniedCalls(withoutStatement('GovernTableJobRole', 'WriteFindings'));
    expect(denied.length).toBeGreaterThan(0);
    // CloudFormation names the bucket at deploy time; the template's logical id stands for it here.
    // The statement covers the findings and the run manifests the job writes.
    const put = `GovernTableJobRole s3:PutObject ${cloudIntrinsics(resources).getAtt('ArtifactsBucket', 'Arn')}/`;
    expect(denied.some((d) => d.startsWith(`${put}findings/`))).toBe(true);
    expect(
      denied.filter((d) => !d.startsWith(`${put}findings/`) && !d.startsWith(`${put}manifests/`)),
    ).toEqual([]);
  });
});
