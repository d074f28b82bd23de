import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { packagedDevStage, slsPackage } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..');
const { documentsDatabaseName, maxStageLength, stackName, stageProblem } =
  require('../../serverless/stage.js') as {
    documentsDatabaseName: (stage: string) => string;
    maxStageLength: () => number;
    stackName: (stage: string) => string;
    stageProblem: (stage: string) => string | undefined;
  };

describe('stage names: checked before anything is generated', () => {
  test('a hyphenated stage deploys, and its documents database is a valid Glue name', () => {
    expect(stageProblem('pr-12')).toBeUndefined();
    expect(documentsDatabaseName('pr-12')).toBe('autogov_pr_12_documents');
  });

  test.each([
    ['PR-12', 'e.g. --stage pr-12'],
    ['pr_12', 'e.g. --stage pr-12'],
    ['-dev', 'single inner hyphens'],
    ['a--b', 'single inner hyphens'],
  ])('stage %s is refused with one line saying what to use', (stage, hint) => {
    const problem = stageProblem(stage);
    expect(problem).toContain(hint);
    expect(problem).not.toContain('\n');
  });

  test('the longest stage is the one whose derived role, function and machine names still fit', () => {
    expect(maxStageLength()).toBe(38);
    expect(stageProblem('a'.repeat(38))).toBeUndefined();
    expect(stageProblem('a'.repeat(39))).toMatch(
      /has 39 characters; at most 38 fit \(IAM role name autogov-a{39}-glue-govern-table would exceed 64\)/,
    );
  });

  test("a 20-character stage in ap-southeast-2 packages, and cfn-lint finds no error in its template nor in dev's", async () => {
    const dev = await packagedDevStage();
    const out = mkdtempSync(join(tmpdir(), 'autogov-stage-'));
    try {
      const stage = 'feature-longer-name1';
      expect(stage).toHaveLength(20);
      // The function bundles depend on neither stage nor region: dev's are reused (serverless.yml,
      // AUTOGOV_SLS_REUSE_BUNDLES), the template is generated for this stage and region.
      for (const zip of readdirSync(dev).filter((f) => f.endsWith('.zip')))
        copyFileSync(join(dev, zip), join(out, zip));
      const run = await slsPackage(['--stage', stage, '--region', 'ap-southeast-2', '--package', out], {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        AUTOGOV_SLS_REUSE_BUNDLES: 'true',
      });
      expect({ status: run.status, stderr: run.status ? run.stderr : '' }).toEqual({ status: 0, stderr: '' });
      const template = readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8');
      expect(template).toContain(`autogov-${stage}-glue-govern-table`);
      expect(template).not.toContain('autogov-dev-');
      // AWS's own linter on both templates in one run (a deploy of either would fail on an error), in
      // both stages' regions: left to itself cfn-lint checks us-east-1's resource specification only.
      const templates = [dev, out].map((d) => join(d, 'cloudformation-template-update-stack.json'));
      const regions = ['us-east-1', 'ap-southeast-2'];
      const args = ['--format', 'parseable', '--regions', ...regions, '--', ...templates];
      const lint = spawnSync('cfn-lint', args, { encoding: 'utf8' });
      if (lint.error)
        throw new Error('cfn-lint is not installed: run `pip install cfn-lint` (python3), then re-run');
      expect(lint.stdout.split('\n').filter((l) => /:E\d{4}:/.test(l))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 600_000);

  test('sls package refuses an invalid stage with that line, a non-zero exit and nothing generated', async () => {
    const out = mkdtempSync(join(tmpdir(), 'autogov-stage-'));
    try {
      const run = await slsPackage(['--stage', 'PR-12', '--package', out], {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        AWS_REGION: 'us-east-1',
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

test('the stack `--stage` reads is the one `sls deploy` makes: <service>-<stage>, no provider.stackName', () => {
  // osls names a stack provider.stackName, else `${service}-${stage}` (lib/plugins/aws/lib/naming.js getStackName).
  const yml = parseYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as {
    service: string;
    provider: { stackName?: string };
  };
  expect(yml.provider.stackName).toBeUndefined();
  expect(stackName('pr-12')).toBe(`${yml.service}-pr-12`);
});
