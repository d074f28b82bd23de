import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalLake } from '../../src/app/local-lake';
import type { CfnResources } from '../../src/local/permissions';
import { seedLake } from '../support/fixtures';
import { tempDir } from './helpers';

// The local lake enforces the Lake Formation grants serverless/governance.js gives each role, so a
// grant the stack forgets fails locally where it would fail in AWS.
const governance = join(__dirname, '../../governance.yml');
const BASE = join(__dirname, '../../samples/seed/base.csv');
const CUSTOMER = join(__dirname, '../../samples/seed/customer_v0.csv');
const TAGGER = 'arn:aws:iam::000000000000:role/ApplyTagsRole';

const without =
  (...ids: string[]) =>
  (r: CfnResources): CfnResources =>
    Object.fromEntries(Object.entries(r).filter(([id]) => !ids.includes(id)));

/** The failure records the lake's runs left in the artifacts bucket. */
async function failures(lake: LocalLake): Promise<unknown[]> {
  const { s3, settings } = lake.services;
  const listed = await s3.listObjectsV2({ Bucket: settings.artifactsBucket, Prefix: 'failures/' });
  return Promise.all(
    (listed.Contents ?? []).map(async (o) => {
      const res = await s3.getObject({ Bucket: settings.artifactsBucket, Key: o.Key! });
      return JSON.parse(await res.Body!.transformToString()) as unknown;
    }),
  );
}

/** base.csv governed on a new lake whose stack resources are edited by `editResources`. */
async function governBase(editResources: (r: CfnResources) => CfnResources) {
  const tmp = tempDir();
  const lake = await LocalLake.open({ lake: tmp.dir, governance, editResources });
  try {
    const [run] = await lake.ingestTableFile(BASE, 'oktank_autogov_temp', 'base');
    return {
      run: run!,
      tags: await lake.tags('oktank_autogov_temp', 'base'),
      failures: await failures(lake),
    };
  } finally {
    await lake.close();
    tmp.cleanup();
  }
}

/** The stack's database for the seed, created without `CreateTableDefaultPermissions: []`. */
const withIamAllowedPrincipals = (r: CfnResources): CfnResources => {
  const db = r.GlueDatabaseOktankAutogovTemp!;
  const { CreateTableDefaultPermissions: _, ...input } = db.Properties.DatabaseInput as Record<
    string,
    unknown
  >;
  return {
    ...r,
    GlueDatabaseOktankAutogovTemp: { ...db, Properties: { ...db.Properties, DatabaseInput: input } },
  };
};

/** What category3 gets from `access` and from `query` on the seed's customer table. */
async function category3OnCustomer(lake: LocalLake) {
  const tags = await lake.tags('oktank_autogov_temp', 'customer');
  const access = (await lake.access('oktank_autogov_temp', 'customer', 'category3')).category3;
  const query = await lake
    .query('category3', 'SELECT count(DISTINCT customer_email) AS n FROM oktank_autogov_temp.customer')
    .then(
      (r) => r.rows,
      (err: Error) => err.message,
    );
  return { tags, access, query };
}

/** The seed's first file governed on a new lake whose stack resources are edited by `editResources`. */
async function category3OnEditedStack(editResources: (r: CfnResources) => CfnResources) {
  const tmp = tempDir();
  const lake = await LocalLake.open({ lake: tmp.dir, governance, editResources });
  try {
    await lake.ingestTableFile(BASE, 'oktank_autogov_temp', 'base');
    const [run] = await lake.ingestTableFile(CUSTOMER, 'oktank_autogov_temp', 'customer');
    return { run: run!, ...(await category3OnCustomer(lake)) };
  } finally {
    await lake.close();
    tmp.cleanup();
  }
}

// The stack as serverless.yml declares it: the shared seed lake (base.csv and customer_v0.csv
// governed, every run SUCCEEDED — seedLake refuses otherwise), one copy for this file.
let seedDir: string;
let seed: LocalLake;
beforeAll(async () => {
  seedDir = await seedLake('v0');
  seed = await LocalLake.open({ lake: seedDir, governance });
});
afterAll(async () => {
  await seed?.close();
  if (seedDir) rmSync(dirname(seedDir), { recursive: true, force: true });
});

describe('IAMAllowedPrincipals on the local lake, as the stack creates its databases', () => {
  it('keeps the sensitive customer table from category3 when its database sets CreateTableDefaultPermissions: []', async () => {
    const { tags, access, query } = await category3OnCustomer(seed);
    expect(tags.table.tbl_class).toBe('sensitive');
    expect(access).toEqual({ allowed: false, columns: [] });
    expect(query).toBe(
      "category3 has no Lake Formation permission on oktank_autogov_temp.customer (its LF-Tags match none of the persona's grants)",
    );
  });

  it('lets category3 read every column of the sensitive table when the template drops CreateTableDefaultPermissions: IAM alone decides, as in AWS', async () => {
    const { run, tags, access, query } = await category3OnEditedStack(withIamAllowedPrincipals);
    // Tagging still works and the LF-Tags are the same: they are just not in effect.
    expect(run.status).toBe('SUCCEEDED');
    expect(tags.table.tbl_class).toBe('sensitive');
    expect(access?.allowed).toBe(true);
    expect(access?.columns).toEqual(expect.arrayContaining(['customer_name', 'customer_email', 'comment1']));
    expect(query).toEqual([{ n: '10' }]); // customer_v0.csv's ten distinct addresses
  });
});

describe('Lake Formation permissions on the local lake, from the stack grants', () => {
  it('tags a table of a database governance.yml does not name: the Glue job, as its creator, grants the tagging role', async () => {
    const [run] = await seed.ingestTableFile(BASE, 'unnamed_db', 'things');
    expect(run?.status).toBe('SUCCEEDED');
    expect((await seed.tags('unnamed_db', 'things')).table.dq_tag).toBeDefined();
    const { PrincipalResourcePermissions: held } = await seed.services.lakeFormation.listPermissions({
      Resource: { Table: { DatabaseName: 'unnamed_db', Name: 'things' } },
    });
    const principals = Object.fromEntries(
      (held ?? []).map((h) => [h.Principal?.DataLakePrincipalIdentifier, h.PermissionsWithGrantOption]),
    );
    // The job created the database with CreateTableDefaultPermissions: [], so no IAMAllowedPrincipals.
    expect(principals).toEqual({
      'arn:aws:iam::000000000000:role/GovernTableJobRole': ['ALL'],
      [TAGGER]: ['DESCRIBE', 'ALTER', 'DROP', 'INSERT', 'SELECT', 'DELETE'],
    });
  });

  it('tags a table when the tagging role holds the grants the stack declares', async () => {
    // The seed's runs of base (and customer) succeeded with the stack's grants: tagged, no failure recorded.
    expect((await seed.tags('oktank_autogov_temp', 'base')).table.dq_tag).toBeDefined();
    expect(await failures(seed)).toEqual([]);
  });

  it('fails ApplyTags with AccessDeniedException naming the tagging role when its ASSOCIATE grant on an LF-Tag is removed', async () => {
    const { run, tags, failures } = await governBase(without('ApplyTagsRoleLFTagQualityGrant'));
    expect(run.status).toBe('FAILED');
    expect(JSON.stringify(failures)).toContain('AccessDeniedException');
    expect(run.error).toBe(
      `Insufficient Lake Formation permission(s): ${TAGGER} is not authorized to perform lakeformation:AddLFTagsToResource on table oktank_autogov_temp.base (no ASSOCIATE on LF-Tag dq_tag)`,
    );
    // Lake Formation calls are not transactional: tbl_class, assigned by an earlier call, stays.
    expect(tags.table.dq_tag).toBeUndefined();
  });

  it("still tags when the stack's table grant to the tagging role is removed: the Glue job's run-time grant, as the table's creator, covers it, as in AWS", async () => {
    const { run, tags } = await governBase(without('ApplyTagsRoleGlueDatabaseOktankAutogovTempTablesGrant'));
    expect(run.status).toBe('SUCCEEDED');
    expect(tags.table.dq_tag).toBeDefined();
  });
});
