import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGovernance } from '../../src/config/load';
import { classifyColumn } from '../../src/pii/classify';
import { DEFAULT_PHONE_REGIONS } from '../../src/pii/patterns-intl';
import { governanceRefusal } from '../support/governance';

const seedYaml = readFileSync(join(__dirname, '../../governance.yml'), 'utf8');
const withRegions = (list: string) =>
  seedYaml.replace('  thresholdFraction: 0.1\n', `  thresholdFraction: 0.1\n  phoneRegions: ${list}\n`);

describe('governance.yml sensitiveData.phoneRegions', () => {
  test('defaults to the documented regions', () => {
    expect(parseGovernance(seedYaml).sensitiveData.phoneRegions).toEqual([...DEFAULT_PHONE_REGIONS]);
  });

  test('takes ISO 3166-1 alpha-2 codes', () => {
    expect(parseGovernance(withRegions('[SE, PL]')).sensitiveData.phoneRegions).toEqual(['SE', 'PL']);
  });

  test.each([
    ['UK', 'GB (United Kingdom)'],
    ['Germany', 'DE (Germany)'],
    ['se', 'SE (Sweden)'],
    ['DEU', 'DE (Germany)'],
  ])('an unknown region %s is refused in one line naming %s', (input, closest) => {
    const msg = governanceRefusal(withRegions(`[FR, ${input}]`));
    expect(msg).toMatch(/^governance\.yml:\d+: sensitiveData\.phoneRegions\.1: unknown phone region /);
    expect(msg).toContain(`did you mean ${closest}?`);
    expect(msg.split('\n')).toHaveLength(1);
  });

  test('an empty list is refused', () => {
    expect(governanceRefusal(withRegions('[]'))).toMatch(/sensitiveData\.phoneRegions/);
  });
});

describe('phone regions decide which national formats count', () => {
  // Berlin numbers in their national layout (trunk 0, area code 30): a format of DE only.
  const berlin = Array.from({ length: 20 }, (_, i) => `030 ${String(2345 + i * 7)} ${String(6780 + i)}`);
  const classify = (phoneRegions?: string[]) =>
    classifyColumn(berlin, { entityTypes: ['PHONE_NUMBER'], thresholdFraction: 0.1, phoneRegions }).map(
      (e) => e.entityType,
    );

  test('a column of German national numbers is a phone column under the default regions', () => {
    expect(classify()).toEqual(['PHONE_NUMBER']);
  });

  test('and is not one when only US and Canadian formats are configured, as Glue detects them', () => {
    expect(classify(['US', 'CA'])).toEqual([]);
  });
});
