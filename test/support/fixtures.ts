import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DATABASE, type UseCase } from '../../src/app/demo';
import { LocalLake } from '../../src/app/local-lake';
import { autogovInProcess, ROOT } from './cli';

/**
 * Fixtures several test files need (a governed seed lake, the packaged dev stack), built once per
 * jest run — by whichever worker asks first — and shared: lakes are copied, so each test owns its
 * copy. The folder comes from test/global-setup.js (removed by test/global-teardown.js); a process
 * without it gets a folder of its own.
 */
const FIXTURES = process.env.AUTOGOV_TEST_FIXTURES ?? ownFixtures();

function ownFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'autogov-fixtures-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const GOVERNANCE = join(ROOT, 'governance.yml');
const SEED = join(ROOT, 'samples/seed');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `fn` while no other worker of this jest run holds `name`. */
async function exclusive<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const lock = join(FIXTURES, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock); // atomic: one holder at a time
      break;
    } catch {
      const owner = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }));
      // A holder that died (a killed worker) leaves its lock behind: take it over.
      if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The folder `name` under the run's fixtures, built by `build` (into a scratch folder, renamed into
 * place when complete) the first time any worker asks; a worker asking meanwhile waits for it. A
 * failed build fails every test that needs it, with the builder's message.
 */
async function shared(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const done = join(FIXTURES, name);
  const failed = `${done}.failed`;
  await exclusive(name, async () => {
    if (existsSync(done) || existsSync(failed)) return;
    const scratch = `${done}.${process.pid}`;
    try {
      await build(scratch);
      renameSync(scratch, done);
    } catch (err) {
      writeFileSync(failed, err instanceof Error ? err.message : String(err));
    }
  });
  if (existsSync(failed))
    throw new Error(`fixture ${name} could not be built: ${readFileSync(failed, 'utf8')}`);
  return done;
}

/** `fixture`'s files copied to a new folder `<dir>/lake` (a fresh temp dir unless given). */
function copyOf(fixture: string, dir = mkdtempSync(join(tmpdir(), 'seed-lake-'))): string {
  const lake = join(dir, 'lake');
  cpSync(fixture, lake, { recursive: true });
  return lake;
}

/** Drops seed files into the lake at `dir` (opened with the repo's governance.yml), each governed. */
async function ingestSeed(dir: string, files: string[]): Promise<void> {
  const lake = await LocalLake.open({ lake: dir, governance: GOVERNANCE });
  try {
    for (const file of files) {
      const table = file === 'base.csv' ? 'base' : 'customer';
      const runs = await lake.ingestTableFile(join(SEED, file), SEED_DATABASE, table);
      const bad = runs.find((r) => r.status !== 'SUCCEEDED');
      if (bad || !runs.length) throw new Error(`governing ${file}: ${bad?.error ?? 'no run started'}`);
    }
  } finally {
    await lake.close();
  }
}

const seedV0 = () => shared('seed-v0', (dir) => ingestSeed(dir, ['base.csv', 'customer_v0.csv']));
const seedV1 = () =>
  shared('seed-v1', async (dir) => {
    cpSync(await seedV0(), dir, { recursive: true });
    await ingestSeed(dir, ['customer_v1.csv']);
  });

/**
 * A lake (a new folder `<dir>/lake`) in the state the seed scenario leaves after `base.csv` and
 * `customer_v0.csv` (`'v0'`: sensitive, DQ100), or after `customer_v1.csv` as well (`'v1'`: DQ50_80,
 * comment1 sensitive) — governed with the repo's governance.yml, as `autogov ingest` would leave it.
 */
export async function seedLake(state: 'v0' | 'v1', dir?: string): Promise<string> {
  return copyOf(await (state === 'v0' ? seedV0() : seedV1()), dir);
}

/** What `autogov demo --json` prints: each use case's tags, persona access and quality. */
export type DemoUseCase = Pick<UseCase, 'name' | 'tags' | 'access' | 'quality'>;

/** `autogov demo --lake <dir>/lake --json` run once per jest run (in process), its lake and its output. */
const demo = () =>
  shared('demo', async (dir) => {
    mkdirSync(dir);
    const r = await autogovInProcess(join(dir, 'lake'), 'demo', '--json');
    if (r.code !== 0 || r.stderr) throw new Error(`autogov demo failed (${r.code}):\n${r.stderr}`);
    writeFileSync(join(dir, 'demo.json'), r.stdout);
  });

/**
 * The seed scenario as `autogov demo` leaves it: `lake`, a copy of its lake (a new folder `<dir>/lake`),
 * and `useCases`, what it printed with --json.
 */
export async function demoLake(dir?: string): Promise<{ lake: string; useCases: DemoUseCase[] }> {
  const built = await demo();
  const { useCases } = JSON.parse(readFileSync(join(built, 'demo.json'), 'utf8')) as {
    useCases: DemoUseCase[];
  };
  return { lake: copyOf(join(built, 'lake'), dir), useCases };
}

/**
 * `npx sls package ARGS` from the repo root, one at a time across the run's workers (serverless-esbuild
 * builds in the repo's `.esbuild/`, which two packagings at once would share). The bin npx would run,
 * run by node itself: npx's own start-up is ~1 s of CPU per packaging.
 */
export function slsPackage(args: string[], env: NodeJS.ProcessEnv): Promise<SpawnSyncReturns<string>> {
  const sls = require.resolve('osls/bin/serverless.js', { paths: [ROOT] });
  return exclusive('sls-package', () =>
    spawnSync(process.execPath, [sls, 'package', ...args], { cwd: ROOT, env, encoding: 'utf8' }),
  );
}

/** The environment of a packaging with no AWS credentials, in `region`. */
function noCredentials(region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_REGION: region };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[k];
  return env;
}

/**
 * `sls package --stage dev` (us-east-1, no credentials) into a folder shared by the tests that read
 * what it emits: read it, never write into it.
 */
export function packagedDevStage(): Promise<string> {
  return shared('sls-package-dev', async (out) => {
    const run = await slsPackage(['--stage', 'dev', '--package', out], noCredentials('us-east-1'));
    if (run.status !== 0)
      throw new Error(`sls package failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  });
}
