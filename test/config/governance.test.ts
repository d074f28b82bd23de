import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGovernance, parseGovernance, resolveTableGovernance } from '../../src/config/load';
import { personaNamed } from '../../src/config/persona';
import { UserError } from '../../src/errors';
import { readTextFile } from '../../src/user-file';
import { governanceRefusal } from '../support/governance';

const seedYaml = readFileSync(join(__dirname, '../../governance.yml'), 'utf8');
const repoGovernance = loadGovernance(join(__dirname, '../../governance.yml'));

describe('governance.yml', () => {
  test('the shipped file holds the seed personas and tag keys', () => {
    const cfg = repoGovernance.config;
    expect(Object.keys(cfg.personas)).toEqual(['category1', 'category2', 'category3']);
    expect(cfg.tags).toMatchObject({ tableKey: 'tbl_class', columnKey: 'col_class', qualityKey: 'dq_tag' });
    expect(cfg.sensitiveData.entityTypes).toEqual(['PERSON_NAME', 'EMAIL']);
  });

  test('a typo in a key names the key and its line', () => {
    const msg = governanceRefusal(seedYaml.replace('declassification: sticky', 'declasification: sticky'));
    expect(msg).toMatch(/^governance\.yml:\d+: unknown key 'declasification'/);
    expect(msg.split('\n')).toHaveLength(1);
    const line = Number(/:(\d+):/.exec(msg)?.[1]);
    expect(seedYaml.split('\n')[line - 1]).toContain('declassification');
  });

  test('a typo in a nested key names its path', () => {
    const msg = governanceRefusal(
      seedYaml.replace(
        '    grants:\n      - tbl_class: [public]',
        '    grantz:\n      - tbl_class: [public]',
      ),
    );
    expect(msg).toMatch(/personas\.category3/);
  });

  test('a misspelt entity type (EMAL) is refused with the closest Glue type', () => {
    const msg = governanceRefusal(
      seedYaml.replace('entityTypes: [PERSON_NAME, EMAIL]', 'entityTypes: [PERSON_NAME, EMAL]'),
    );
    expect(msg).toMatch(/sensitiveData\.entityTypes\.1: unknown Glue entity type EMAL; did you mean EMAIL\?/);
    expect(msg.split('\n')).toHaveLength(1);
  });

  test('Glue country entity types are accepted even without a local detector', () => {
    const cfg = parseGovernance(
      seedYaml.replace('[PERSON_NAME, EMAIL]', '[PERSON_NAME, UK_NATIONAL_INSURANCE_NUMBER]'),
    );
    expect(cfg.sensitiveData.entityTypes).toContain('UK_NATIONAL_INSURANCE_NUMBER');
  });

  test('a grant on a value autogov never assigns is refused', () => {
    const msg = governanceRefusal(seedYaml.replace('dq_tag: [DQ100]', 'dq_tag: [DQ101]'));
    expect(msg).toMatch(/personas\.category1\.grants\.0\.dq_tag: unknown value 'DQ101'/);
  });

  test('invalid YAML is reported with line and column', () => {
    expect(governanceRefusal('version: 1\npersonas: [\n')).toMatch(/^governance\.yml:\d+:\d+: invalid YAML/);
  });

  test('score bands must descend to 0', () => {
    expect(
      governanceRefusal(seedYaml.replace('{ value: DQ_LT_50, min: 0 }', '{ value: DQ_LT_50, min: 10 }')),
    ).toMatch(/last band must have min: 0/);
  });
});

describe('which rules govern a table', () => {
  test('a table named in governance.yml gets its own ruleset', () => {
    const base = resolveTableGovernance(repoGovernance, 'oktank_autogov_temp', 'base');
    expect(base.rulesetPath).toMatch(/dqdl\/base\.dqdl$/);
    expect(base.references).toEqual({});
  });

  test('a new table gets its database default ruleset and references without editing config', () => {
    const t = resolveTableGovernance(repoGovernance, 'oktank_autogov_temp', 'customer_2027');
    expect(t.rulesetPath).toMatch(/dqdl\/customer\.dqdl$/);
    expect(t.references).toEqual({ reference: { database: 'oktank_autogov_temp', table: 'base' } });
  });

  test('a table of an unknown database gets the defaults', () => {
    expect(resolveTableGovernance(repoGovernance, 'sales', 'orders').rulesetPath).toMatch(
      /dqdl\/default\.dqdl$/,
    );
  });

  test('a missing ruleset file names the field and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gov-'));
    const path = join(dir, 'governance.yml');
    writeFileSync(path, seedYaml.replace('ruleset: dqdl/default.dqdl', 'ruleset: dqdl/nope.dqdl'));
    expect(() => resolveTableGovernance(loadGovernance(path), 'sales', 'orders')).toThrow(
      /defaults\.ruleset: dqdl\/nope\.dqdl does not exist; create it or fix the path/,
    );
  });
});

describe('persona names', () => {
  test.each(['__proto__', 'toString', 'constructor', 'nobody'])(
    '%s is an unknown persona, named with the ones governance.yml defines',
    (name) => {
      expect(() => personaNamed(repoGovernance.config, name)).toThrow(UserError);
      expect(() => personaNamed(repoGovernance.config, name)).toThrow(
        `${name}: unknown persona; governance.yml defines category1, category2, category3`,
      );
    },
  );

  test('a defined persona is returned', () => {
    expect(personaNamed(repoGovernance.config, 'category1').grants).toBeDefined();
  });
});

describe('a folder given where a file belongs', () => {
  test('governance.yml that is a folder is one line naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gov-dir-'));
    expect(() => loadGovernance(dir)).toThrow(UserError);
    expect(() => loadGovernance(dir)).toThrow(`${dir}: is a folder; give the path of a governance file`);
  });

  test('a ruleset path that is a folder names the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleset-dir-'));
    expect(() => readTextFile(dir, 'ruleset file')).toThrow(
      `${dir}: is a folder; give the path of a ruleset file`,
    );
  });
});
