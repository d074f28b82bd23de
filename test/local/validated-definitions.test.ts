// The build validates the package's state machines once (scripts/build.mjs, run by jest's global
// setup); a run skips the ASL validator for exactly those definitions and validates anything else.
import { join } from 'node:path';
import { type LocalServices, openLocalServices } from '../../src/local/services';
import { validatedByBuild } from '../../src/local/validated-definitions';
import { PACKAGE_ROOT } from '../../src/paths';
import { tempDir } from './helpers';

describe('state machines validated at build', () => {
  let tmp: ReturnType<typeof tempDir>;
  let services: LocalServices;
  beforeAll(async () => {
    tmp = tempDir();
    services = await openLocalServices(tmp.dir, { projectRoot: PACKAGE_ROOT });
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  const machines = () => services.runner.loadDir(join(PACKAGE_ROOT, 'statemachines'));

  test('the definitions the local stack runs are the ones the build validated', () => {
    const loaded = machines();
    expect(loaded.map((m) => m.name)).toEqual(['govern-table', 'ingest-object']);
    for (const m of loaded) expect(validatedByBuild(JSON.stringify(m.definition))).toBe(true);
  });

  test('an edited definition is validated again: a broken edit fails at load', () => {
    const [governTable] = machines();
    const edited = { ...governTable!.definition, StartAt: 'NoSuchState' };
    expect(validatedByBuild(JSON.stringify(edited))).toBe(false);
    expect(() => services.runner.prepare('govern-table', edited)).toThrow(/NoSuchState/);
  });
});
