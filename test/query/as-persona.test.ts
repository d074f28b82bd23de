// `autogov query --as PERSONA`: what Athena under Lake Formation answers. A persona reads its granted
// columns straight from the table's files through views, and no SQL gets around those views.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors';
import { type QueryableTable, queryAsPersona } from '../../src/query/as-persona';

const HIDDEN_EMAIL = 'zq7hidden@example.com';
const HIDDEN_TABLE_VALUE = 'zq7secret-row';
let dir: string;
let customerFile: string;
let secretFile: string;
let tables: QueryableTable[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autogov-query-'));
  customerFile = path.join(dir, 'customer.csv');
  secretFile = path.join(dir, 'secret.csv');
  writeFileSync(customerFile, `id,name,email\n1,Ann,${HIDDEN_EMAIL}\n2,Bob,b@example.com\n`);
  writeFileSync(secretFile, `id,note\n1,${HIDDEN_TABLE_VALUE}\n`);
  writeFileSync(path.join(dir, 'host.txt'), 'host-file-line\n');
  tables = [
    {
      database: 'shop',
      table: 'customer',
      files: [customerFile],
      columns: ['id', 'name', 'email'],
      access: { allowed: true, columns: ['id', 'name'] },
    },
    {
      database: 'shop',
      table: 'secret',
      files: [secretFile],
      columns: ['id', 'note'],
      access: { allowed: false, columns: [] },
    },
  ];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = (sql: string, t = tables) => queryAsPersona('analyst', sql, t);

/** The query is refused with one line that quotes no hidden value. */
async function refused(sql: string, t = tables): Promise<string> {
  const err = await query(sql, t).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const message = (err as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message).not.toContain(HIDDEN_EMAIL);
  expect(message).not.toContain(HIDDEN_TABLE_VALUE);
  return message;
}

describe('what a persona may read', () => {
  test('SELECT * expands to the granted columns, read from the file', async () => {
    const r = await query('SELECT * FROM shop.customer ORDER BY id');
    expect(r.columns).toEqual(['id', 'name']);
    expect(r.rows).toEqual([
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bob' },
    ]);
  });

  test('joins, CTEs, subqueries and aggregates over visible tables work', async () => {
    const r = await query(
      'WITH c AS (SELECT id FROM shop.customer) SELECT count(*) AS n FROM c JOIN shop.customer USING (id) WHERE id IN (SELECT id FROM shop.customer)',
    );
    expect(r.rows).toEqual([{ n: '2' }]);
  });

  test('a hidden column is refused with the Lake Formation reason', async () => {
    expect(await refused('SELECT email FROM shop.customer')).toBe(
      "analyst may not see column email of shop.customer (its LF-Tags match none of the persona's grants)",
    );
  });

  test('a hidden table is refused with the Lake Formation reason', async () => {
    expect(await refused('SELECT * FROM shop.secret')).toBe(
      "analyst has no Lake Formation permission on shop.secret (its LF-Tags match none of the persona's grants)",
    );
  });

  test('a table whose files cannot be read is refused by name, and the others still answer', async () => {
    const broken = path.join(dir, 'broken.parquet');
    writeFileSync(broken, 'PAR1 not really PAR1');
    const withBroken: QueryableTable[] = [
      ...tables,
      {
        database: 'shop',
        table: 'orders',
        files: [broken],
        columns: ['id'],
        access: { allowed: true, columns: ['id'] },
      },
    ];
    expect(await refused('SELECT * FROM shop.orders', withBroken)).toMatch(
      /^shop\.orders cannot be read now: /,
    );
    expect((await query('SELECT count(*) AS n FROM shop.customer', withBroken)).rows).toEqual([{ n: '2' }]);
  });
});

describe('no SQL escapes the views', () => {
  const escapes: [string, () => string, RegExp][] = [
    [
      'read_csv of the table’s own file',
      () => `SELECT * FROM read_csv('${customerFile}')`,
      /read_csv\(\) is not allowed/,
    ],
    [
      'read_csv_auto of a hidden table’s file',
      () => `SELECT * FROM read_csv_auto('${secretFile}')`,
      /read_csv_auto\(\) is not allowed/,
    ],
    [
      'read_text of a host file',
      () => "SELECT * FROM read_text('/etc/passwd')",
      /read_text\(\) is not allowed/,
    ],
    ['read_blob', () => "SELECT * FROM read_blob('/etc/passwd')", /read_blob\(\) is not allowed/],
    ['read_json_auto', () => `SELECT * FROM read_json_auto('${secretFile}')`, /not allowed/],
    ['read_parquet', () => `SELECT * FROM read_parquet('${secretFile}')`, /not allowed/],
    ['glob', () => `SELECT * FROM glob('${dir}/*')`, /glob\(\) is not allowed/],
    ['a file name as a table', () => `SELECT * FROM '${customerFile}'`, /is not readable here/],
    ['a quoted file name as a table', () => `SELECT * FROM "${secretFile}"`, /is not readable here/],
    ['a bare relative file name', () => 'SELECT * FROM "customer.csv"', /is not readable here/],
    [
      'a table function in a subquery',
      () => `SELECT (SELECT count(*) FROM read_csv('${secretFile}')) AS n`,
      /not allowed/,
    ],
    [
      'a table function in a lateral join',
      () => `SELECT * FROM shop.customer, LATERAL (SELECT * FROM read_csv('${secretFile}'))`,
      /not allowed/,
    ],
    [
      'a table function in a CTE',
      () => `WITH x AS (SELECT * FROM read_csv('${secretFile}')) SELECT * FROM x`,
      /not allowed/,
    ],
    [
      'a table function in a lambda',
      () => `SELECT list_transform([1], x -> (SELECT count(*) FROM read_csv('${secretFile}')))`,
      /not allowed/,
    ],
    [
      'a table function under UNION',
      () => `SELECT id FROM shop.customer UNION ALL SELECT id FROM read_csv('${secretFile}')`,
      /not allowed/,
    ],
    ['query_table', () => "SELECT * FROM query_table('shop.customer')", /query_table\(\) is not allowed/],
    ['query()', () => "SELECT * FROM query('SELECT 1')", /query\(\) is not allowed/],
    [
      'the view definitions',
      () => 'SELECT * FROM information_schema.views',
      /information_schema\.views is not readable/,
    ],
    ['information_schema.columns', () => 'SELECT * FROM information_schema.columns', /not readable/],
    ['duckdb_views()', () => 'SELECT * FROM duckdb_views()', /duckdb_views\(\) is not allowed/],
    ['pg_catalog', () => 'SELECT * FROM pg_catalog.pg_views', /not readable/],
    [
      'a catalog-qualified name',
      () => 'SELECT * FROM memory.shop.customer',
      /memory\.shop\.customer is not readable/,
    ],
    ['the temp schema', () => 'SELECT * FROM temp.main.x', /not readable/],
    [
      'a bare table name',
      () => 'SELECT * FROM customer',
      /customer is not readable here; read the lake's tables, named DATABASE\.TABLE/,
    ],
    ['a setting', () => "SELECT current_setting('allowed_paths')", /current_setting\(\) is not allowed/],
    ['duckdb_settings()', () => 'SELECT * FROM duckdb_settings()', /not allowed/],
    ['the environment', () => "SELECT getenv('HOME')", /getenv\(\) is not allowed/],
    ['a raised value', () => 'SELECT error(name) FROM shop.customer', /error\(\) is not allowed/],
    ['SET', () => 'SET enable_external_access = true', /only a SELECT statement may run here/],
    ['RESET', () => 'RESET allowed_paths', /only a SELECT statement/],
    ['PRAGMA', () => 'PRAGMA database_list', /only a SELECT statement/],
    ['ATTACH', () => `ATTACH '${path.join(dir, 'x.db')}' AS x`, /only a SELECT statement/],
    ['COPY out', () => `COPY shop.customer TO '${path.join(dir, 'out.csv')}'`, /only a SELECT statement/],
    ['COPY in', () => `COPY shop.customer FROM '${secretFile}'`, /only a SELECT statement/],
    ['EXPORT DATABASE', () => `EXPORT DATABASE '${dir}/export'`, /only a SELECT statement/],
    [
      'CREATE VIEW',
      () => `CREATE VIEW shop.y AS SELECT * FROM read_csv('${secretFile}')`,
      /only a SELECT statement/,
    ],
    ['CREATE MACRO', () => 'CREATE MACRO m() AS TABLE SELECT 1', /only a SELECT statement/],
    ['INSTALL', () => 'INSTALL httpfs', /only a SELECT statement/],
    ['LOAD', () => 'LOAD httpfs', /only a SELECT statement/],
    ['CALL', () => 'CALL duckdb_settings()', /only a SELECT statement/],
    ['DESCRIBE', () => 'DESCRIBE shop.customer', /not allowed/],
    ['SUMMARIZE', () => 'SUMMARIZE shop.customer', /not allowed/],
    [
      'a second statement',
      () => `SELECT 1; SELECT * FROM read_csv('${secretFile}')`,
      /exactly one SELECT statement/,
    ],
    [
      'a comment hiding a statement',
      () => `SELECT 1 /* */; SET enable_external_access = true`,
      /exactly one SELECT|only a SELECT/,
    ],
  ];

  test.each(escapes)('%s is refused', async (_, sql, message) => {
    expect(await refused(sql())).toMatch(message);
  });
});
