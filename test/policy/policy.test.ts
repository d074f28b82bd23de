import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGovernance } from '../../src/config/load';
import type { Findings } from '../../src/findings/schema';
import { accessByPersona, grantMatches } from '../../src/policy/access';
import { desiredTags, type Overrides } from '../../src/policy/desired';
import { planTags } from '../../src/policy/plan';
import { qualityBand } from '../../src/policy/score';
import { emptyTableTags, type TableTags } from '../../src/policy/tags';

const config = parseGovernance(readFileSync(join(__dirname, '../../governance.yml'), 'utf8'));
const OWNED = ['tbl_class', 'col_class', 'dq_tag'];
const noOverrides: Overrides = { columns: {} };
const columns = ['data_key', 'customer_name', 'customer_email', 'comment1'];

function findings(over: {
  score?: number | null;
  detected?: Record<string, string[]>;
  failed?: string[];
  scanned?: string[];
}): Findings {
  return {
    version: 1,
    database: 'db',
    table: 't',
    runId: 'r1',
    evaluatedAt: '2026-11-29T00:00:00.000Z',
    engine: 'autogov-local',
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    dataQuality: { ruleset: '', score: over.score === undefined ? 1 : over.score, rules: [], analyzers: [] },
    sensitiveData: {
      entityTypes: ['PERSON_NAME', 'EMAIL'],
      sampleFraction: 1,
      thresholdFraction: 0.1,
      columnsScanned: (over.scanned ?? columns).filter((c) => !(over.failed ?? []).includes(c)),
      columnsFailed: (over.failed ?? []).map((column) => ({ column, reason: 'boom' })),
      columns: Object.fromEntries(
        Object.entries(over.detected ?? {}).map(([c, types]) => [
          c,
          types.map((entityType) => ({ entityType, fraction: 0.5 })),
        ]),
      ),
    },
  };
}

const colClass = (tags: TableTags) =>
  Object.fromEntries(Object.entries(tags.columns).map(([c, t]) => [c, t.col_class]));

describe('score bands', () => {
  test.each([
    [1, 'DQ100'],
    [0.95, 'DQ90'],
    [0.9, 'DQ90'],
    [5 / 6, 'DQ80_90'],
    [0.8, 'DQ80_90'],
    [0.5, 'DQ50_80'],
    [0.49, 'DQ_LT_50'],
    [0, 'DQ_LT_50'],
  ])('a score of %p is %s', (score, band) => {
    expect(qualityBand(score, config.scoreBands)).toBe(band);
  });

  test('a table with no rules was not measured and gets the lowest band', () => {
    expect(qualityBand(null, config.scoreBands)).toBe('DQ_LT_50');
  });
});

describe('desired tags', () => {
  test('PII in name and email makes those columns and the table sensitive', () => {
    const { tags } = desiredTags(
      findings({ detected: { customer_name: ['PERSON_NAME'], customer_email: ['EMAIL'] } }),
      emptyTableTags(),
      noOverrides,
      config,
    );
    expect(colClass(tags)).toEqual({
      data_key: 'public',
      customer_name: 'sensitive',
      customer_email: 'sensitive',
      comment1: 'public',
    });
    expect(tags.table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ100' });
  });

  test('entity types governance.yml does not count as sensitive leave the column public', () => {
    const { tags } = desiredTags(
      findings({ detected: { data_key: ['PHONE_NUMBER'] } }),
      emptyTableTags(),
      noOverrides,
      config,
    );
    expect(tags.columns.data_key).toEqual({ col_class: 'public' });
    expect(tags.table.tbl_class).toBe('public');
  });

  test('fail closed: a column whose scan failed is sensitive', () => {
    const { tags, reasons } = desiredTags(
      findings({ failed: ['comment1'] }),
      emptyTableTags(),
      noOverrides,
      config,
    );
    expect(tags.columns.comment1).toEqual({ col_class: 'sensitive' });
    expect(reasons.comment1).toMatch(/scan failed/);
    expect(tags.table.tbl_class).toBe('sensitive');
  });

  test('fail closed: a column the scan did not cover is sensitive', () => {
    const { tags } = desiredTags(
      findings({ scanned: ['data_key', 'customer_name', 'customer_email'] }),
      emptyTableTags(),
      noOverrides,
      config,
    );
    expect(tags.columns.comment1).toEqual({ col_class: 'sensitive' });
  });

  const wasSensitive: TableTags = {
    table: { tbl_class: 'sensitive', dq_tag: 'dq100' },
    columns: { comment1: { col_class: 'sensitive' } },
  };

  test('sticky: a sensitive column stays sensitive when its PII disappears', () => {
    const { tags, reasons } = desiredTags(findings({}), wasSensitive, noOverrides, config);
    expect(tags.columns.comment1).toEqual({ col_class: 'sensitive' });
    expect(reasons.comment1).toMatch(/sticky/);
  });

  test('automatic declassification follows the latest scan', () => {
    const { tags } = desiredTags(findings({}), wasSensitive, noOverrides, {
      ...config,
      declassification: 'automatic',
    });
    expect(tags.columns.comment1).toEqual({ col_class: 'public' });
  });

  test('a recorded override declassifies the column for the entity types it covered', () => {
    const overrides: Overrides = {
      columns: { comment1: { reason: 'test data only', at: '2026-11-29T00:00:00Z', entityTypes: ['EMAIL'] } },
    };
    const covered = desiredTags(
      findings({ detected: { comment1: ['EMAIL'] } }),
      wasSensitive,
      overrides,
      config,
    );
    expect(covered.tags.columns.comment1).toEqual({ col_class: 'public' });
    expect(covered.reasons.comment1).toBe('declassified: test data only');
    const newType = desiredTags(
      findings({ detected: { comment1: ['EMAIL', 'PERSON_NAME'] } }),
      wasSensitive,
      overrides,
      config,
    );
    expect(newType.tags.columns.comment1).toEqual({ col_class: 'sensitive' });
  });

  test('the override does not hide a failed scan', () => {
    const overrides: Overrides = {
      columns: { comment1: { reason: 'ok', at: '2026-11-29T00:00:00Z', entityTypes: [] } },
    };
    const { tags } = desiredTags(findings({ failed: ['comment1'] }), wasSensitive, overrides, config);
    expect(tags.columns.comment1).toEqual({ col_class: 'sensitive' });
  });
});

describe('plan', () => {
  const desired: TableTags = {
    table: { tbl_class: 'sensitive', dq_tag: 'DQ100' },
    columns: { a: { col_class: 'sensitive' }, b: { col_class: 'public' }, c: { col_class: 'public' } },
  };

  test('a first run assigns every tag, column changes grouped per value, narrowing first', () => {
    const plan = planTags(emptyTableTags(), desired, OWNED, 'sensitive');
    expect(plan).toEqual([
      { key: 'tbl_class', value: 'sensitive', tightens: true },
      { key: 'col_class', value: 'sensitive', columns: ['a'], tightens: true },
      { key: 'dq_tag', value: 'DQ100', tightens: false },
      { key: 'col_class', value: 'public', columns: ['b', 'c'], tightens: false },
    ]);
  });

  test('a repeated run plans nothing (values compare the way Lake Formation stores them)', () => {
    const current: TableTags = {
      table: { tbl_class: 'sensitive', dq_tag: 'dq100' },
      columns: { a: { col_class: 'sensitive' }, b: { col_class: 'public' }, c: { col_class: 'public' } },
    };
    expect(planTags(current, desired, OWNED, 'sensitive')).toEqual([]);
  });

  test('drift: a tag changed by hand is put back', () => {
    const drifted: TableTags = {
      table: { tbl_class: 'sensitive', dq_tag: 'dq100' },
      columns: { a: { col_class: 'public' }, b: { col_class: 'public' }, c: { col_class: 'public' } },
    };
    expect(planTags(drifted, desired, OWNED, 'sensitive')).toEqual([
      { key: 'col_class', value: 'sensitive', columns: ['a'], tightens: true },
    ]);
  });

  test('only owned keys: other tags on the same resources are neither planned nor removed', () => {
    const current: TableTags = {
      table: { tbl_class: 'sensitive', dq_tag: 'dq100', owner: 'finance' },
      columns: {
        a: { col_class: 'sensitive', retention: '7y' },
        b: { col_class: 'public' },
        c: { col_class: 'public' },
      },
    };
    const withForeign: TableTags = { ...desired, table: { ...desired.table, owner: 'marketing' } };
    expect(planTags(current, withForeign, OWNED, 'sensitive')).toEqual([]);
  });

  test('an owned key planted where autogov sets none is removed: on a column (it would override the table) and on the table', () => {
    const planted: TableTags = {
      table: { tbl_class: 'sensitive', dq_tag: 'dq100', col_class: 'public', owner: 'finance' },
      columns: {
        a: { col_class: 'sensitive', tbl_class: 'public', dq_tag: 'dq100' },
        b: { col_class: 'public', tbl_class: 'public', retention: '7y' },
        c: { col_class: 'public', tbl_class: 'sensitive' },
      },
    };
    expect(planTags(planted, desired, OWNED, 'sensitive')).toEqual([
      { key: 'col_class', value: 'public', tightens: true, remove: true },
      { key: 'tbl_class', value: 'public', columns: ['a', 'b'], tightens: true, remove: true },
      { key: 'dq_tag', value: 'dq100', columns: ['a'], tightens: true, remove: true },
      // falls back to the table's sensitive value: not a widening
      { key: 'tbl_class', value: 'sensitive', columns: ['c'], tightens: true, remove: true },
    ]);
    const afterwards: TableTags = {
      table: { tbl_class: 'sensitive', dq_tag: 'dq100', owner: 'finance' },
      columns: {
        a: { col_class: 'sensitive' },
        b: { col_class: 'public', retention: '7y' },
        c: { col_class: 'public' },
      },
    };
    expect(planTags(afterwards, desired, OWNED, 'sensitive')).toEqual([]);
  });

  test('removing a planted sensitive value that falls back to public widens, so it goes last', () => {
    const publicTable: TableTags = {
      table: { tbl_class: 'public', dq_tag: 'DQ100' },
      columns: { a: { col_class: 'public' } },
    };
    const current: TableTags = {
      table: { tbl_class: 'public', dq_tag: 'dq100' },
      columns: { a: { col_class: 'public', tbl_class: 'sensitive' } },
    };
    expect(planTags(current, publicTable, OWNED, 'sensitive')).toEqual([
      { key: 'tbl_class', value: 'sensitive', columns: ['a'], tightens: false, remove: true },
    ]);
  });
});

describe('LF-TBAC access', () => {
  const tagsUC1: TableTags = {
    table: { tbl_class: 'sensitive', dq_tag: 'dq100' },
    columns: {
      data_key: { col_class: 'public' },
      customer_name: { col_class: 'sensitive' },
      customer_email: { col_class: 'sensitive' },
      comment1: { col_class: 'public' },
    },
  };

  test('values OR within a key, AND across keys', () => {
    expect(grantMatches({ a: ['x', 'y'], b: ['z'] }, { a: 'y', b: 'z' })).toBe(true);
    expect(grantMatches({ a: ['x', 'y'], b: ['z'] }, { a: 'y', b: 'w' })).toBe(false);
    expect(grantMatches({ a: ['x'] }, {})).toBe(false);
  });

  test('seed use case 1: category 1 sees all, category 2 the public columns, category 3 nothing', () => {
    expect(accessByPersona(config.personas, tagsUC1, columns)).toEqual({
      category1: { allowed: true, columns },
      category2: { allowed: true, columns: ['data_key', 'comment1'] },
      category3: { allowed: false, columns: [] },
    });
  });

  test('a column inherits the table value for a key it does not carry itself', () => {
    const tags: TableTags = {
      table: { tbl_class: 'public', dq_tag: 'dq90', col_class: 'public' },
      columns: {},
    };
    expect(accessByPersona(config.personas, tags, ['x']).category3).toEqual({
      allowed: true,
      columns: ['x'],
    });
  });

  test('an ungoverned table matches no grant', () => {
    const access = accessByPersona(config.personas, emptyTableTags(), columns);
    expect(Object.values(access).every((a) => !a.allowed)).toBe(true);
  });
});
