import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const { documentsDatabaseName, maxStageLength, stageProblem } = require('../../serverless/stage.js') as {
  documentsDatabaseName: (stage: string) => string;
  maxStageLength: (region: string) => number;
  stageProblem: (stage: string, region: string) => string | undefined;
};

describe('stage names: checked before anything is generated', () => {
  test('a hyphenated stage deploys, and its documents database is a valid Glue name', () => {
    expect(stageProblem('pr-12', 'us-east-1')).toBeUndefined();
    expect(documentsDatabaseName('pr-12')).toBe('autogov_pr_12_documents');
  });

  test.each([
    ['PR-12', 'e.g. --stage pr-12'],
    ['pr_12', 'e.g. --stage pr-12'],
    ['-dev', 'single inner hyphens'],
    ['a--b', 'single inner hyphens'],
  ])('stage %s is refused with one line saying what to use', (stage, hint) => {
    const problem = stageProblem(stage, 'us-east-1');
    expect(problem).toContain(hint);
    expect(problem).not.toContain('\n');
  });

  test('the longest stage depends on the region: bucket names must fit S3’s 63 characters', () => {
    expect(maxStageLength('us-east-1')).toBe(22);
    expect(maxStageLength('ap-southeast-2')).toBe(17);
    expect(stageProblem('a'.repeat(17), 'ap-southeast-2')).toBeUndefined();
    expect(stageProblem('a'.repeat(18), 'ap-southeast-2')).toMatch(
      /has 18 characters; in ap-southeast-2 at most 17 fit \(S3 bucket name autogov-a{18}-artifacts-0{12}-ap-southeast-2 would exceed 63\)/,
    );
  });

  test('sls package refuses an invalid stage with that line, a non-zero exit and nothing generated', () => {
    const out = mkdtempSync(join(tmpdir(), 'autogov-stage-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_REGION: 'us-east-1' };
      const run = spawnSync('npx', ['sls', 'package', '--stage', 'PR-12', '--package', out], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      expect(`${run.stdout}${run.stderr}`).toContain(
        "Received rejection: stage 'PR-12': use lower-case letters",
      );
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
