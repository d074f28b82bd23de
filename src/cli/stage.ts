// `--stage NAME [--region R] [--profile P]`: the read commands, `plan` and `start` against the stage
// `sls deploy --stage NAME` made, instead of the local lake. Every other command works on the local
// lake only and says so in one line when given --stage.
import type { Command } from 'commander';
import type { DeployedStage } from '../app/deployed-stage';
import { UserError } from '../errors';
import type { CommonOptions } from './common';

/** The commands that take --stage (by commander name). */
const ON_STAGE = new Set([
  'tables',
  'tags',
  'access',
  'explain',
  'history',
  'plan',
  'start',
  'documents',
  'show',
]);

/** Where a local-only command's counterpart on a deployed stage is. */
const ELSEWHERE: Record<string, string> = {
  ingest: 'on a stage, upload the file to its raw bucket (stack output RawBucketName) under tables/DB/TABLE/',
  query: 'on a stage, personas query through Athena in their workgroup autogov-<stage>-<persona>',
  declassify: 'declassifications are recorded on the local lake only',
  remove:
    'on a stage, delete the file from its raw bucket (stack output RawBucketName) under tables/DB/TABLE/',
};

export function registerStageOptions(program: Command): void {
  program
    .option(
      '--stage <name>',
      'a deployed stage (`sls deploy --stage NAME`) instead of the local lake, with real AWS clients',
    )
    .option('--region <region>', "with --stage: its AWS region (default: the SDK's, e.g. AWS_REGION)")
    .option('--profile <profile>', 'with --stage: the AWS profile to use')
    .hook('preAction', (_program, action) => {
      const o = action.optsWithGlobals<{
        stage?: string;
        region?: string;
        profile?: string;
        lake?: string;
      }>();
      if (o.stage === undefined) {
        const stray = o.region !== undefined ? '--region' : o.profile !== undefined ? '--profile' : undefined;
        if (stray)
          throw new UserError(`${stray}: only with --stage NAME (the local lake has no region or profile)`);
        return;
      }
      const name = action.name();
      if (!ON_STAGE.has(name) || action.parent !== program)
        throw new UserError(
          `${commandPath(action)} --stage: works on the local lake only; ${ELSEWHERE[name] ?? `--stage is for ${[...ON_STAGE].join(', ')}`}`,
        );
      if (o.lake !== undefined)
        throw new UserError(
          '--lake and --stage: a command reads either a local lake or a deployed stage; give one',
        );
    });
}

const commandPath = (c: Command): string =>
  c.parent?.parent ? `${commandPath(c.parent)} ${c.name()}` : c.name();

/** Runs `fn` on the deployed stage and always closes it; AWS's refusals become one line. */
export async function onStage<T>(
  opts: CommonOptions & { stage: NonNullable<CommonOptions['stage']> },
  fn: (stage: DeployedStage) => Promise<T>,
): Promise<T> {
  // The SDK's nine-line notice that its releases after January 2027 need Node >= 22: autogov pins the
  // SDK (package-lock.json) and supports Node 20, so it is not the user's to act on (test/setup.ts too).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loaded only for --stage: the SDK clients are not on the local path.
  const { DeployedStage } = require('../app/deployed-stage') as typeof import('../app/deployed-stage');
  const stage = await DeployedStage.connect({
    ...opts.stage,
    governance: opts.governance,
    env: opts.io.env,
  });
  try {
    return await fn(stage);
  } catch (err) {
    throw stage.describeError(err);
  } finally {
    await stage.close();
  }
}
