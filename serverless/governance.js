// Builds the governance.yml-derived CloudFormation resources (Glue databases, LF-Tags, persona roles
// and grants, autogov's own Lake Formation permissions) so serverless.yml never repeats the policy.
// Used as `${file(./serverless/governance.js):resources}`: osls calls the function at resolve time.

const { join } = require('node:path');

// governance.yml is loaded through the same zod schema the Lambdas use, so a policy that deploys is
// a policy the handlers accept. Under `sls`, tsx compiles the TypeScript on the fly (no build step
// before package); the compiled CLI passes its own modules instead (tsx costs a fifth of an ingest).
// The hook is removed once they are loaded: left in place, tsx would also transform every module osls
// loads afterwards (its plugins, serverless-esbuild and its effect: ~1 s of CPU per `sls package`).
function sourceLib() {
  const unregister = require('tsx/cjs/api').register();
  try {
    return {
      ...require('../src/config/load.ts'),
      ...require('../src/ingest/tables.ts'),
      ...require('../src/ingest/keys.ts'),
      ...require('../src/ingest/access.ts'),
      ...require('../src/ingest/tagging.ts'),
      ...require('../src/governance/tagger.ts'),
    };
  } finally {
    unregister();
  }
}

const GOVERNANCE_PATH = join(__dirname, '..', process.env.AUTOGOV_GOVERNANCE || 'governance.yml');

/** Roles that tag tables (applyTags) and write the catalog (the Glue job); logical IDs in serverless.yml. */
const TAGGER_ROLE = 'ApplyTagsRole';
const GLUE_JOB_ROLE = 'GovernTableJobRole';
/** Registers the document tables when missing (they exist from this stack; the check is cheap). */
const RECORDER_ROLE = 'RecordObjectRole';

/** Same formula as custom.names.documentsDatabase in serverless.yml. */
const { documentsDatabaseName } = require('./stage');

const ref = (logicalId) => ({ Ref: logicalId });
const arnOf = (logicalId) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const accountId = { Ref: 'AWS::AccountId' };

/** `oktank_autogov_temp` → `OktankAutogovTemp`; CloudFormation logical IDs are alphanumeric only. */
function pascal(name) {
  return String(name)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** Logical IDs derived from names must not collide (`a_b` and `aB` both give `AB`). */
function uniqueIds() {
  const seen = new Map();
  return (id, name) => {
    const other = seen.get(id);
    if (other !== undefined && other !== name)
      throw new Error(`governance.yml: '${name}' and '${other}' map to the same CloudFormation id ${id}`);
    seen.set(id, name);
    return id;
  };
}

/**
 * The CloudFormation fragment for a validated governance config.
 * Pure (no AWS calls), exported for tests. `lib`: autogov's modules it renders from (see sourceLib).
 */
function buildResources(config, stage, lib = sourceLib()) {
  const { documentTableInput, DOCUMENT_TABLES } = lib;
  // What AddLFTagsToResource requires on a table the tagger does not own (six, with grant option).
  // The tagger never reads data: its IAM policy has no lakeformation:GetDataAccess.
  const {
    TAGGING_DATABASE_PERMISSIONS: TAGGER_DATABASE_PERMISSIONS,
    TAGGING_TABLE_PERMISSIONS: TAGGER_TABLE_PERMISSIONS,
  } = lib;
  const Resources = {};
  const Outputs = {};
  const unique = uniqueIds();
  const { tags } = config;

  // Glue databases named in governance.yml. Tables inside them are created by the Glue job.
  // The documents database (ingestion output) is autogov's own, with its two tables declared here.
  const documentsDatabase = documentsDatabaseName(stage);
  const databases = [...Object.keys(config.databases), documentsDatabase];
  const databaseIds = {};
  for (const name of databases) {
    const id = unique(`GlueDatabase${pascal(name)}`, name);
    databaseIds[name] = id;
    Resources[id] = {
      Type: 'AWS::Glue::Database',
      Properties: {
        CatalogId: accountId,
        // No IAMAllowedPrincipals grant on new tables: Lake Formation grants alone decide access
        // (docs/permissions.md, "Changing the default settings for your data lake").
        DatabaseInput: {
          Name: name,
          Description: `autogov-governed database (stage ${stage})`,
          CreateTableDefaultPermissions: [],
        },
      },
    };
  }

  const docsDbId = databaseIds[documentsDatabase];
  for (const table of DOCUMENT_TABLES) {
    Resources[`DocumentsTable${pascal(table)}`] = {
      Type: 'AWS::Glue::Table',
      DependsOn: [docsDbId],
      Properties: {
        CatalogId: accountId,
        DatabaseName: documentsDatabase,
        TableInput: documentTableInput(table, { 'Fn::Sub': `s3://\${ExtractedBucket}/tables/${table}/` }),
      },
    };
  }

  // LF-Tag keys and values. Values go in as written: Lake Formation lower-cases them itself.
  const tagDefs = [
    { id: 'LFTagTableClass', key: tags.tableKey, values: [tags.sensitive, tags.public] },
    { id: 'LFTagColumnClass', key: tags.columnKey, values: [tags.sensitive, tags.public] },
    { id: 'LFTagQuality', key: tags.qualityKey, values: config.scoreBands.map((b) => b.value) },
  ];
  for (const t of tagDefs)
    Resources[t.id] = {
      Type: 'AWS::LakeFormation::Tag',
      Properties: { CatalogId: accountId, TagKey: t.key, TagValues: t.values },
    };
  const tagIds = tagDefs.map((t) => t.id);

  // Lake Formation rejects concurrent permission changes (ConcurrentModificationException), so
  // grants are chained: each waits for the previous one.
  const grantIds = [];
  const addGrant = (id, principal, resource, permissions, dependsOn, withGrantOption = []) => {
    const deps = [...dependsOn, ...grantIds.slice(-1)];
    Resources[id] = {
      Type: 'AWS::LakeFormation::PrincipalPermissions',
      DependsOn: deps,
      Properties: {
        Principal: { DataLakePrincipalIdentifier: principal },
        Resource: resource,
        Permissions: permissions,
        PermissionsWithGrantOption: withGrantOption,
      },
    };
    grantIds.push(id);
  };
  const lfTagResource = (t) => ({ LFTag: { CatalogId: accountId, TagKey: t.key, TagValues: t.values } });
  const databaseResource = (name) => ({ Database: { CatalogId: accountId, Name: name } });
  const allTablesResource = (name) => ({
    Table: { CatalogId: accountId, DatabaseName: name, TableWildcard: {} },
  });

  // autogov's own principals: applyTags assigns autogov's tags and reads tables; the Glue job
  // creates and updates tables (and databases governance.yml does not name) over the registered
  // certified tables/ location, which needs DATA_LOCATION_ACCESS.
  addGrant(
    `${GLUE_JOB_ROLE}DataLocationGrant`,
    arnOf(GLUE_JOB_ROLE),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
    { DataLocation: { CatalogId: accountId, ResourceArn: { 'Fn::Sub': '${CertifiedBucket.Arn}/tables' } } },
    ['DATA_LOCATION_ACCESS'],
    ['CertifiedTablesDataLocation'],
  );
  addGrant(
    `${GLUE_JOB_ROLE}ExtractedDataLocationGrant`,
    arnOf(GLUE_JOB_ROLE),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
    { DataLocation: { CatalogId: accountId, ResourceArn: { 'Fn::Sub': '${ExtractedBucket.Arn}/tables' } } },
    ['DATA_LOCATION_ACCESS'],
    ['ExtractedTablesDataLocation'],
  );
  addGrant(
    `${RECORDER_ROLE}DocumentsGrant`,
    arnOf(RECORDER_ROLE),
    databaseResource(documentsDatabase),
    ['DESCRIBE', 'CREATE_TABLE'],
    [docsDbId],
  );
  addGrant(
    `${RECORDER_ROLE}ExtractedDataLocationGrant`,
    arnOf(RECORDER_ROLE),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
    { DataLocation: { CatalogId: accountId, ResourceArn: { 'Fn::Sub': '${ExtractedBucket.Arn}/tables' } } },
    ['DATA_LOCATION_ACCESS'],
    ['ExtractedTablesDataLocation'],
  );
  addGrant(
    `${GLUE_JOB_ROLE}CatalogGrant`,
    arnOf(GLUE_JOB_ROLE),
    { Catalog: accountId },
    ['CREATE_DATABASE'],
    [],
  );
  for (const t of tagDefs)
    addGrant(
      `${TAGGER_ROLE}${t.id}Grant`,
      arnOf(TAGGER_ROLE),
      lfTagResource(t),
      ['ASSOCIATE', 'DESCRIBE'],
      [t.id],
    );
  for (const name of databases) {
    const db = databaseIds[name];
    // Removing an autogov key planted on the database needs these four with grant option.
    addGrant(
      `${TAGGER_ROLE}${db}Grant`,
      arnOf(TAGGER_ROLE),
      databaseResource(name),
      TAGGER_DATABASE_PERMISSIONS,
      [db],
      TAGGER_DATABASE_PERMISSIONS,
    );
    // AddLFTagsToResource on a table the tagger does not own needs these six with grant option.
    addGrant(
      `${TAGGER_ROLE}${db}TablesGrant`,
      arnOf(TAGGER_ROLE),
      allTablesResource(name),
      TAGGER_TABLE_PERMISSIONS,
      [db],
      TAGGER_TABLE_PERMISSIONS,
    );
    addGrant(
      `${GLUE_JOB_ROLE}${db}Grant`,
      arnOf(GLUE_JOB_ROLE),
      databaseResource(name),
      ['DESCRIBE', 'CREATE_TABLE'],
      [db],
    );
    addGrant(
      `${GLUE_JOB_ROLE}${db}TablesGrant`,
      arnOf(GLUE_JOB_ROLE),
      allTablesResource(name),
      ['DESCRIBE', 'ALTER', 'SELECT'],
      [db],
    );
  }

  // Personas: a role autogov-<stage>-<persona> unless governance.yml names a principal; one
  // LF-Tag policy grant per grant expression (TABLE SELECT+DESCRIBE) and DESCRIBE on each database.
  for (const [name, persona] of Object.entries(config.personas)) {
    const base = unique(`Persona${pascal(name)}`, name);
    let principal = persona.principal;
    if (!principal) {
      const roleId = `${base}Role`;
      const workGroupId = `${base}WorkGroup`;
      const resultsPrefix = `athena-results/${name}/`;
      Resources[roleId] = personaRole(stage, name, persona, resultsPrefix, workGroupId);
      // One Athena workgroup per persona, results under its own prefix: query results of a persona
      // that sees sensitive columns are never readable by another persona.
      Resources[workGroupId] = {
        Type: 'AWS::Athena::WorkGroup',
        Properties: {
          Name: `autogov-${stage}-${name}`,
          Description: `autogov persona ${name}`,
          RecursiveDeleteOption: true,
          WorkGroupConfiguration: {
            EnforceWorkGroupConfiguration: true,
            ResultConfiguration: {
              OutputLocation: { 'Fn::Sub': `s3://\${ArtifactsBucket}/${resultsPrefix}` },
              EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
            },
          },
        },
      };
      principal = arnOf(roleId);
      Outputs[`${base}RoleArn`] = { Description: `IAM role of persona ${name}`, Value: principal };
      Outputs[`${base}WorkGroup`] = {
        Description: `Athena workgroup of persona ${name}`,
        Value: ref(workGroupId),
      };
    }
    Object.assign(Resources, personaAccessPoint(config, stage, name, base, principal, lib));
    persona.grants.forEach((grant, i) => {
      addGrant(
        `${base}Grant${i + 1}`,
        principal,
        {
          LFTagPolicy: {
            CatalogId: accountId,
            ResourceType: 'TABLE',
            Expression: Object.entries(grant).map(([TagKey, TagValues]) => ({ TagKey, TagValues })),
          },
        },
        ['SELECT', 'DESCRIBE'],
        tagIds,
      );
    });
    for (const db of databases)
      addGrant(
        `${base}${databaseIds[db]}Grant`,
        principal,
        databaseResource(db),
        ['DESCRIBE'],
        [databaseIds[db]],
      );
  }

  return { Resources, Outputs };
}

/**
 * The persona's S3 access point on the raw bucket: s3:GetObject only on objects whose
 * autogov:classification tag is one the persona may read (src/ingest/access.ts: a classification C
 * when one of its grants allows C for the column tag key). Untagged objects (not yet ingested,
 * table files) are served to nobody. The raw bucket policy delegates access control to access points.
 */
function personaAccessPoint(
  config,
  stage,
  name,
  base,
  principal,
  { readableClassifications, CLASSIFICATION_TAG },
) {
  const readable = readableClassifications(config.personas[name], config);
  const apName = `autogov-${stage}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50);
  if (!readable.length) return {};
  return {
    [`${base}AccessPoint`]: {
      Type: 'AWS::S3::AccessPoint',
      Properties: {
        Bucket: ref('RawBucket'),
        Name: apName,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        Policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadByClassification',
              Effect: 'Allow',
              Principal: { AWS: principal },
              Action: 's3:GetObject',
              Resource: {
                'Fn::Sub': `arn:\${AWS::Partition}:s3:\${AWS::Region}:\${AWS::AccountId}:accesspoint/${apName}/object/*`,
              },
              Condition: { StringEquals: { [`s3:ExistingObjectTag/${CLASSIFICATION_TAG}`]: readable } },
            },
          ],
        },
      },
    },
  };
}

/**
 * IAM descriptions allow only tab, newline and U+0020–U+00FF except U+007F–U+00A0, at most 1000
 * characters (CreateRole "Description" pattern); typographic punctuation from governance.yml is
 * spelt in ASCII and anything else outside that range becomes "?", so the role still deploys.
 */
function iamDescription(text) {
  const ascii = text
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/[^\t\n\r\u0020-\u007e\u00a1-\u00ff]/gu, '?');
  return ascii.slice(0, 1000);
}

function personaRole(stage, name, persona, resultsPrefix, workGroupId) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: `autogov-${stage}-${name}`,
      Description: iamDescription(persona.description || `autogov persona ${name}`),
      // Assumable by principals of this account whose own IAM policy allows sts:AssumeRole on it.
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
            Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'query-through-lake-formation',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              // Data access is vended by Lake Formation per the LF-Tag grants; IAM only opens the door.
              { Effect: 'Allow', Action: ['lakeformation:GetDataAccess'], Resource: '*' },
              {
                Effect: 'Allow',
                Action: [
                  'glue:GetDatabase',
                  'glue:GetDatabases',
                  'glue:GetTable',
                  'glue:GetTables',
                  'glue:GetPartition',
                  'glue:GetPartitions',
                ],
                // The catalog reads Athena makes for a query, on this account's catalog only; which
                // databases and tables they return is Lake Formation's decision (DESCRIBE/SELECT grants).
                Resource: ['catalog', 'database/*', 'table/*/*'].map((r) => ({
                  'Fn::Sub': `arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:${r}`,
                })),
              },
              {
                Effect: 'Allow',
                Action: [
                  'athena:StartQueryExecution',
                  'athena:StopQueryExecution',
                  'athena:GetQueryExecution',
                  'athena:GetQueryResults',
                  'athena:GetWorkGroup',
                ],
                Resource: {
                  'Fn::Sub': `arn:\${AWS::Partition}:athena:\${AWS::Region}:\${AWS::AccountId}:workgroup/\${${workGroupId}}`,
                },
              },
              {
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
                Resource: { 'Fn::Sub': `\${ArtifactsBucket.Arn}/${resultsPrefix}*` },
              },
              { Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: arnOf('ArtifactsBucket') },
              {
                Effect: 'Allow',
                Action: ['s3:ListBucket'],
                Resource: arnOf('ArtifactsBucket'),
                Condition: { StringLike: { 's3:prefix': [`${resultsPrefix}*`] } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** `${file(./serverless/governance.js):resources}`; osls passes its variable resolver. */
async function resources({ resolveVariable }) {
  const stage = await resolveVariable('sls:stage');
  const lib = sourceLib();
  return buildResources(lib.loadGovernance(GOVERNANCE_PATH).config, stage, lib);
}

module.exports = { resources, buildResources, pascal, documentsDatabaseName };
