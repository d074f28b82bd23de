import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadGovernance } from '../../src/config/load';
import { packagedDevStage } from '../support/fixtures';

// `sls package` runs offline: no AWS credentials, telemetry off. It bundles the real handlers with
// esbuild and compiles the whole stack, so this is the closest check to a deploy without an account.
// (Packaged once per run, shared with test/cloud/iam-simulation.test.ts.)
const ROOT = join(__dirname, '..', '..');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Resource {
  Type: string;
  Properties: Record<string, Json>;
  DependsOn?: string[];
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: Json }>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: Json;
  Condition?: Json;
}

let outDir = '';
let template: Template;
const zipListing: Record<string, string> = {};
const gov = loadGovernance(join(ROOT, 'governance.yml')).config;

const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const asList = (a: string | string[]) => (Array.isArray(a) ? a : [a]);

beforeAll(async () => {
  outDir = await packagedDevStage();
  template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  for (const zip of readdirSync(outDir).filter((f) => f.endsWith('.zip')))
    zipListing[zip.replace(/\.zip$/, '')] = spawnSync('unzip', ['-Z1', join(outDir, zip)], {
      encoding: 'utf8',
    }).stdout;
}, 300_000);

describe('sls package --stage dev', () => {
  // cfn-lint reads this template in test/cloud/stage.test.ts, with a second stage's, in one run.

  test('persona role descriptions stay within the characters IAM accepts, whatever governance.yml says', () => {
    const descriptions = ofType('AWS::IAM::Role').map(([, r]) => String(r.Properties.Description ?? ''));
    expect(gov.personas.category1?.description).toMatch(/\u2014/);
    for (const d of descriptions) expect(d).toMatch(/^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/);
  });

  it('compiles the govern-table state machine from the shared ASL file', () => {
    const [[id, sm] = []] = ofType('AWS::StepFunctions::StateMachine');
    expect(id).toBe('GovernTableStateMachine');
    expect(sm?.Properties.StateMachineName).toBe('autogov-dev-govern-table');
    const def = JSON.stringify(sm?.Properties.DefinitionString);
    for (const state of ['ResolveTable', 'EvaluateTable', 'ApplyTags', 'RecordFailure', 'GovernanceFailed'])
      expect(def).toContain(state);
    expect(def).toContain('arn:aws:states:::glue:startJobRun.sync');
    expect(sm?.Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['GovernTableStateMachineRole', 'Arn'] });
  });

  it('defines the Glue job with its script in the artifacts bucket', () => {
    const job = template.Resources.GovernTableJob;
    expect(job?.Type).toBe('AWS::Glue::Job');
    expect(['4.0', '5.0']).toContain(job?.Properties.GlueVersion);
    expect(job?.Properties.Command).toMatchObject({
      Name: 'glueetl',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholder
      ScriptLocation: { 'Fn::Sub': 's3://${ArtifactsBucket}/glue-scripts/govern_table.py' },
    });
    expect(job?.Properties.Timeout).toBeGreaterThan(0);
  });

  it("creates governance.yml's databases and LF-Tags with its values", () => {
    const dbs = ofType('AWS::Glue::Database').map(
      ([, r]) => (r.Properties.DatabaseInput as { Name: string }).Name,
    );
    // …plus autogov's own documents database (the ingestion output tables).
    expect(dbs.sort()).toEqual([...Object.keys(gov.databases), 'autogov_dev_documents'].sort());
    const tags = Object.fromEntries(
      ofType('AWS::LakeFormation::Tag').map(([, r]) => [
        r.Properties.TagKey as string,
        r.Properties.TagValues,
      ]),
    );
    const { tableKey, columnKey, qualityKey, sensitive, public: pub } = gov.tags;
    expect(tags).toEqual({
      [tableKey]: [sensitive, pub],
      [columnKey]: [sensitive, pub],
      [qualityKey]: gov.scoreBands.map((b) => b.value),
    });
  });

  it('grants each persona grant expression as one LF-Tag policy (TABLE SELECT+DESCRIBE)', () => {
    const grants = ofType('AWS::LakeFormation::PrincipalPermissions')
      .map(([, r]) => r.Properties)
      .filter((p) => (p.Resource as { LFTagPolicy?: Json }).LFTagPolicy);
    const expected = Object.values(gov.personas).flatMap((p) =>
      p.grants.map((g) => Object.entries(g).map(([TagKey, TagValues]) => ({ TagKey, TagValues }))),
    );
    expect(grants).toHaveLength(expected.length);
    expect(
      grants.map((p) => (p.Resource as { LFTagPolicy: { Expression: Json } }).LFTagPolicy.Expression),
    ).toEqual(expected);
    for (const p of grants) {
      expect(p.Permissions).toEqual(['SELECT', 'DESCRIBE']);
      expect((p.Resource as { LFTagPolicy: { ResourceType: string } }).LFTagPolicy.ResourceType).toBe(
        'TABLE',
      );
    }
    // Personas without a principal get a stage-scoped role.
    const roles = ofType('AWS::IAM::Role').map(([, r]) => r.Properties.RoleName);
    for (const [name, p] of Object.entries(gov.personas))
      if (!p.principal) expect(roles).toContain(`autogov-dev-${name}`);
  });

  it('lets CloudFormation name the buckets, so a stage redeploys after `sls remove` kept raw and extracted', () => {
    // (ServerlessDeploymentBucket is the framework's own, emptied and deleted by `sls remove`.)
    const buckets = Object.fromEntries(
      ofType('AWS::S3::Bucket').filter(([id]) => id !== 'ServerlessDeploymentBucket'),
    );
    expect(Object.keys(buckets).sort()).toEqual([
      'ArtifactsBucket',
      'CertifiedBucket',
      'ExtractedBucket',
      'RawBucket',
    ]);
    for (const [id, b] of Object.entries(buckets))
      expect({ id, fixedName: 'BucketName' in b.Properties }).toEqual({ id, fixedName: false });
    const policy = (id: string) =>
      (template.Resources[id] as Resource & { DeletionPolicy?: string }).DeletionPolicy;
    expect([
      policy('RawBucket'),
      policy('ExtractedBucket'),
      policy('ArtifactsBucket'),
      policy('CertifiedBucket'),
    ]).toEqual(['Retain', 'Retain', undefined, undefined]);
  });

  it('locks every bucket down: public access blocked, TLS only, encrypted; raw versioned with EventBridge', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets.map(([id]) => id)).toEqual(
      expect.arrayContaining(['RawBucket', 'ArtifactsBucket', 'CertifiedBucket']),
    );
    const policies = ofType('AWS::S3::BucketPolicy').map(([, r]) => r.Properties);
    for (const [id, b] of buckets) {
      expect({ id, block: b.Properties.PublicAccessBlockConfiguration }).toEqual({
        id,
        block: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(b.Properties.BucketEncryption).toBeDefined();
      const policy = policies.find((p) => JSON.stringify(p.Bucket) === JSON.stringify({ Ref: id }));
      const statements = (policy?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
      const tls = statements.find((s) => JSON.stringify(s.Condition ?? {}).includes('aws:SecureTransport'));
      expect({ id, effect: tls?.Effect, action: tls?.Action }).toEqual({
        id,
        effect: 'Deny',
        action: 's3:*',
      });
    }
    const raw = template.Resources.RawBucket?.Properties;
    expect(raw?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(raw?.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
  });

  const roleActions = (id: string) =>
    (
      (template.Resources[id]?.Properties.Policies ?? []) as unknown as {
        PolicyDocument: { Statement: Statement[] };
      }[]
    )
      .flatMap((p) => p.PolicyDocument.Statement)
      .flatMap((s) => asList(s.Action));

  it('gives the tagging role only the actions applyTags calls (and glue:GetDatabase, which tagging requires)', () => {
    expect(roleActions('ApplyTagsRole').sort()).toEqual(
      [
        'glue:GetDatabase',
        'glue:GetTable',
        'lakeformation:AddLFTagsToResource',
        'lakeformation:RemoveLFTagsFromResource',
        'lakeformation:GetResourceLFTags',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ].sort(),
    );
  });

  it('lets the Glue job grant the tagging role on the tables it creates', () => {
    const args = template.Resources.GovernTableJob?.Properties.DefaultArguments as Record<string, Json>;
    expect(args['--tagger_role_arn']).toEqual({ 'Fn::GetAtt': ['ApplyTagsRole', 'Arn'] });
    expect(roleActions('GovernTableJobRole')).toContain('lakeformation:GrantPermissions');
  });

  it('never lets an autogov role delete or overwrite raw objects', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      const statements = (
        (role.Properties.Policies ?? []) as unknown as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      for (const s of statements) {
        if (s.Effect !== 'Allow' || !JSON.stringify(s.Resource ?? '').includes('RawBucket')) continue;
        // Tagging is the one change allowed (recordObject: autogov:classification / autogov:pii).
        const writes = asList(s.Action).filter(
          (a) =>
            (/^s3:(Delete|Put|\*)/.test(a) && !/^s3:Put(Object|ObjectVersion)Tagging$/.test(a)) || a === '*',
        );
        expect({ id, writes }).toEqual({ id, writes: [] });
      }
    }
  });

  it('serves tables from the certified bucket only, written by the promote step alone', () => {
    const locations = ofType('AWS::LakeFormation::Resource').map(([, r]) => JSON.stringify(r.Properties));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholder
    expect(locations.join()).toContain(JSON.stringify({ 'Fn::Sub': '${CertifiedBucket.Arn}/tables' }));
    expect(locations.join()).not.toContain('RawBucket');
    const writers = ofType('AWS::IAM::Role')
      .filter(([, role]) =>
        ((role.Properties.Policies ?? []) as unknown as { PolicyDocument: { Statement: Statement[] } }[])
          .flatMap((p) => p.PolicyDocument.Statement)
          .some(
            (st) =>
              JSON.stringify(st.Resource ?? '').includes('CertifiedBucket') &&
              asList(st.Action).some((a) => /^s3:(Put|Delete)/.test(a)),
          ),
      )
      .map(([id]) => id);
    expect(writers).toEqual(['PromoteTableRole']);
  });

  it('sends an event the EventBridge-invoked Lambdas still fail on to the events queue, not nowhere', () => {
    const configs = Object.fromEntries(
      ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => [JSON.stringify(r.Properties.FunctionName), r]),
    );
    for (const fn of ['StartGovernance', 'StartIngestion']) {
      const config = configs[JSON.stringify({ Ref: `${fn}LambdaFunction` })];
      expect(config?.Properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } },
      });
      const statements = (
        template.Resources[`${fn}Role`]!.Properties.Policies as unknown as {
          PolicyDocument: { Statement: Statement[] };
        }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] },
        }),
      );
    }
  });

  it('routes raw tables/ object events to startGovernance', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(2);
    const rule = rules.find(([id]) => id.includes('startGovernance'))![1].Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      detail: { bucket: { name: [{ Ref: 'RawBucket' }] }, object: { key: [{ prefix: 'tables/' }] } },
    });
    expect(JSON.stringify(rule.Targets)).toContain('StartGovernanceLambdaFunction');
  });

  it('deploys twelve nodejs22.x functions, each with its own role, the settings and the policy files', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns.map(([id]) => id).sort()).toEqual([
      'AnalyzeTextLambdaFunction',
      'ApplyTagsLambdaFunction',
      'ClassifyObjectLambdaFunction',
      'CollectTextractLambdaFunction',
      'ExtractTextLambdaFunction',
      'PromoteTableLambdaFunction',
      'ReadTranscriptLambdaFunction',
      'RecordFailureLambdaFunction',
      'RecordObjectLambdaFunction',
      'ResolveTableLambdaFunction',
      'StartGovernanceLambdaFunction',
      'StartIngestionLambdaFunction',
    ]);
    const roles = new Set<string>();
    for (const [id, fn] of fns) {
      expect({ id, runtime: fn.Properties.Runtime }).toEqual({ id, runtime: 'nodejs22.x' });
      roles.add(JSON.stringify(fn.Properties.Role));
      const vars = (fn.Properties.Environment as { Variables: Record<string, Json> }).Variables;
      expect(Object.keys(vars)).toEqual(
        expect.arrayContaining([
          'STAGE',
          'RAW_BUCKET',
          'ARTIFACTS_BUCKET',
          'CERTIFIED_BUCKET',
          'EVENT_BUS_NAME',
          'AUTOGOV_GOVERNANCE',
          'EXTRACTED_BUCKET',
          'DOCUMENTS_DATABASE',
        ]),
      );
      expect('GOVERN_TABLE_STATE_MACHINE_ARN' in vars).toBe(
        id === 'StartGovernanceLambdaFunction' || id === 'RecordObjectLambdaFunction',
      );
      expect('INGEST_OBJECT_STATE_MACHINE_ARN' in vars).toBe(id === 'StartIngestionLambdaFunction');
    }
    expect(roles.size).toBe(12);
    for (const [fn, listing] of Object.entries(zipListing)) {
      expect({ fn, governance: listing.split('\n').includes('governance.yml') }).toEqual({
        fn,
        governance: true,
      });
      expect({ fn, dqdl: listing.includes('dqdl/customer.dqdl') }).toEqual({ fn, dqdl: true });
    }
  });

  // Each function bundles the SDK clients of the services it calls and no other (a client it does
  // not call is dead weight on every cold start); each of those services is one its role may call.
  const clientsCalled: Record<string, string[]> = {
    startGovernance: ['sfn'],
    resolveTable: [],
    applyTags: ['lakeformation', 's3'],
    promoteTable: ['s3'],
    recordFailure: ['eventbridge', 's3'],
    startIngestion: ['sfn'],
    classifyObject: ['s3'],
    extractText: ['s3'],
    collectTextract: ['s3', 'textract'],
    readTranscript: ['s3'],
    analyzeText: ['comprehend', 'rekognition', 's3'],
    recordObject: ['glue', 's3', 'sfn'],
  };
  const iamPrefix: Record<string, string> = { sfn: 'states', eventbridge: 'events' };

  it('ships every function as one bundle of at most 1 MB zipped, with only the SDK clients it calls', () => {
    expect(Object.keys(zipListing).sort()).toEqual(Object.keys(clientsCalled).sort());
    for (const [fn, listing] of Object.entries(zipListing)) {
      const zip = join(outDir, `${fn}.zip`);
      const bundles = listing.split('\n').filter((f) => f.endsWith('.js'));
      expect({ fn, bundles: bundles.length, maps: listing.includes('.map') }).toEqual({
        fn,
        bundles: 1,
        maps: false,
      });
      expect({ fn, underOneMB: statSync(zip).size <= 1_000_000 }).toEqual({ fn, underOneMB: true });
      // The unminified bundle names each module it contains in a `// node_modules/…` comment.
      const code = spawnSync('unzip', ['-p', zip, bundles[0]!], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      }).stdout;
      const clients = [...new Set(code.match(/(?<=node_modules\/@aws-sdk\/client-)[a-z0-9-]+/g))].sort();
      expect({ fn, clients }).toEqual({ fn, clients: clientsCalled[fn] });
      const fnId = `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;
      const role = template.Resources[fnId]?.Properties.Role as { 'Fn::GetAtt': string[] };
      const actions = roleActions(role['Fn::GetAtt'][0]!);
      const denied = clients.filter((c) => !actions.some((a) => a.startsWith(`${iamPrefix[c] ?? c}:`)));
      expect({ fn, denied }).toEqual({ fn, denied: [] });
    }
  });

  it('compiles the ingest-object state machine with its aws-sdk tasks and its own role', () => {
    const sm = template.Resources.IngestObjectStateMachine;
    expect(sm?.Properties.StateMachineName).toBe('autogov-dev-ingest-object');
    const def = JSON.stringify(sm?.Properties.DefinitionString);
    for (const task of [
      'aws-sdk:textract:startDocumentTextDetection',
      'aws-sdk:textract:getDocumentTextDetection',
      'aws-sdk:textract:startDocumentAnalysis',
      'aws-sdk:textract:getDocumentAnalysis',
      'aws-sdk:transcribe:startTranscriptionJob',
      'aws-sdk:transcribe:getTranscriptionJob',
    ])
      expect(def).toContain(task);
    expect(sm?.Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['IngestObjectStateMachineRole', 'Arn'] });
  });

  it('lets the ingest machine start and poll both Textract APIs, and collectTextract read both', () => {
    const actionsOf = (roleId: string) =>
      (
        (template.Resources[roleId]?.Properties.Policies ?? []) as unknown as {
          PolicyDocument: { Statement: Statement[] };
        }[]
      )
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => st.Effect === 'Allow')
        .flatMap((st) => asList(st.Action));
    expect(actionsOf('IngestObjectStateMachineRole')).toEqual(
      expect.arrayContaining([
        'textract:StartDocumentTextDetection',
        'textract:GetDocumentTextDetection',
        'textract:StartDocumentAnalysis',
        'textract:GetDocumentAnalysis',
      ]),
    );
    expect(actionsOf('CollectTextractRole')).toEqual(
      expect.arrayContaining(['textract:GetDocumentTextDetection', 'textract:GetDocumentAnalysis']),
    );
  });

  it('routes raw objects outside tables/ to startIngestion', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id.includes('startIngestion'))!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: 'RawBucket' }] },
        object: { key: [{ 'anything-but': { prefix: 'tables/' } }] },
      },
    });
    expect(JSON.stringify(rule.Properties.Targets)).toContain('StartIngestionLambdaFunction');
  });

  it('declares the extracted bucket and the document tables over JSON lines in it', () => {
    expect(ofType('AWS::S3::Bucket').map(([id]) => id)).toContain('ExtractedBucket');
    const tables = ofType('AWS::Glue::Table').map(([, r]) => r.Properties);
    expect(tables.map((t) => (t.TableInput as { Name: string }).Name).sort()).toEqual([
      'documents_metadata',
      'extracted_text',
    ]);
    for (const t of tables) {
      expect(t.DatabaseName).toBe('autogov_dev_documents');
      const sd = (t.TableInput as { StorageDescriptor: { SerdeInfo: Json; Location: Json } })
        .StorageDescriptor;
      expect(sd.SerdeInfo).toEqual({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' });
      expect(JSON.stringify(sd.Location)).toContain('ExtractedBucket');
    }
  });

  it('gives each persona an access point serving only the raw objects whose classification it may read', () => {
    const points = Object.fromEntries(
      ofType('AWS::S3::AccessPoint').map(([id, r]) => [
        id,
        r.Properties.Policy as unknown as { Statement: Statement[] },
      ]),
    );
    const readable = (id: string) =>
      (points[id]!.Statement[0]!.Condition as { StringEquals: Record<string, string[]> }).StringEquals[
        's3:ExistingObjectTag/autogov:classification'
      ];
    expect(readable('PersonaCategory1AccessPoint')).toEqual(['sensitive', 'public']);
    expect(readable('PersonaCategory2AccessPoint')).toEqual(['public']);
    expect(readable('PersonaCategory3AccessPoint')).toEqual(['public']);
    for (const p of Object.values(points)) expect(p.Statement.map((s) => s.Action)).toEqual(['s3:GetObject']);
    // The raw bucket delegates reads to the access points of its own account.
    const raw = ofType('AWS::S3::BucketPolicy').find(([, r]) =>
      JSON.stringify(r.Properties.Bucket).includes('RawBucket'),
    );
    expect(JSON.stringify(raw?.[1].Properties)).toContain('s3:DataAccessPointAccount');
  });

  it('exports stage-scoped outputs', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['RawBucketName', 'ArtifactsBucketName', 'GovernTableStateMachineArn']),
    );
  });
});
