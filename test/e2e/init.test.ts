import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autogovIn, autogovInProcessWith, ROOT } from '../support/cli';

describe('autogov init, and saying which governance.yml a command uses', () => {
  // Spawned there: the folder is the process's working directory, as when a user runs it.
  test('in a folder without governance.yml, a lake command says it uses the package’s own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-governance-'));
    const r = await autogovIn(
      dir,
      '--lake',
      join(dir, 'lake'),
      'ingest',
      join(ROOT, 'samples/seed/base.csv'),
      '--table',
      'oktank_autogov_temp.base',
    );
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(
      `autogov: no ./governance.yml here, using the package's own (${join(ROOT, 'governance.yml')}); \`autogov init\` scaffolds one to edit, or pass --governance FILE`,
    );
  });

  test('init scaffolds governance.yml and dqdl/ in an empty folder; they lint and are then used silently; a second init changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const here = (...args: string[]) => autogovInProcessWith({ cwd: dir }, ...args);
    const r = await here('init');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote governance\.yml, dqdl\/base\.dqdl, dqdl\/customer\.dqdl, dqdl\/default\.dqdl in /,
    );
    expect(readFileSync(join(dir, 'governance.yml'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'governance.yml'), 'utf8'),
    );
    expect((await here('dq', 'lint', 'dqdl/*.dqdl')).stdout).toMatch(/^3 rulesets: 3 valid, 0 invalid$/m);
    const again = await here('init');
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      `autogov: ${dir}: governance.yml and dqdl already there; init writes only into a folder without them (nothing was changed)`,
    );
    // Read commands on a missing lake refuse before anything else; the folder's own governance.yml is used silently.
    const tables = await here('--lake', 'lake', 'tables');
    expect(tables.stderr).not.toMatch(/package's own/);
    expect(existsSync(join(dir, 'lake'))).toBe(false);
  });
});
