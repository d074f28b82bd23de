import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors';
import type { Findings } from '../findings/schema';
import type { ProgressListener } from '../local/sfn';
import type { Access } from '../policy/access';
import { ruleTally } from '../policy/score';
import type { TableTags } from '../policy/tags';
import { type ExecutionSummary, LocalLake, PROJECT_ROOT } from './local-lake';

export const SEED_DATABASE = 'oktank_autogov_temp';
const SAMPLES = join(PROJECT_ROOT, 'samples', 'seed');

export interface UseCase {
  name: string;
  tags: TableTags;
  access: Record<string, Access>;
  /** every column of the table, in order */
  columns: string[];
  /** why the table has its dq_tag: the latest run's score and the rules it failed */
  quality: Quality;
}

export interface Quality {
  /** passed rules / total rules, 0–1; null when the ruleset has no rules */
  score: number | null;
  passed: number;
  total: number;
  failed: { rule: string; message?: string }[];
  /** the dq_tag the score maps to */
  tag?: string;
}

export function qualityOf(findings: Findings | undefined, tag: string | undefined): Quality {
  const rules = findings?.dataQuality.rules ?? [];
  return {
    score: findings?.dataQuality.score ?? null,
    ...ruleTally(rules),
    failed: rules.filter((r) => r.outcome !== 'PASS').map(({ rule, message }) => ({ rule, message })),
    tag,
  };
}

interface Step {
  /** file under samples/seed, and the object name it is dropped as */
  file: string;
  table: string;
  as?: string;
  /** a use case is reported after this step */
  useCase?: string;
}

/** The seed scenario of ARCHITECTURE.md, as files dropped into the raw bucket one after another. */
const STEPS: Step[] = [
  { file: 'base.csv', table: 'base' },
  {
    file: 'customer_v0.csv',
    table: 'customer',
    useCase: '1: first file — PII in name/email, all rules pass',
  },
  {
    file: 'customer_v1.csv',
    table: 'customer',
    useCase: '2: second file — locations missing from base (ReferentialIntegrity fails), PII in comment1',
  },
  {
    file: 'customer_v1_fixed.csv',
    table: 'customer',
    as: 'customer_v1.csv',
    useCase: '3: the bad file replaced by a fixed one',
  },
];

/**
 * Runs the seed scenario in a fresh lake (a new temp folder unless `lake` is given, which must be
 * empty) through the same path a user takes: each file dropped into the raw bucket, governance run
 * by the state machine, then tags and access read back.
 */
export async function runDemo(opts: {
  lake?: string;
  governance: string;
  onProgress?: ProgressListener;
  onUseCase?: (u: UseCase) => void;
}): Promise<{ lake: string; useCases: UseCase[] }> {
  const root = opts.lake ?? (await mkdtemp(join(tmpdir(), 'autogov-demo-')));
  if (existsSync(root) && readdirSync(root).length > 0)
    throw new UserError(
      `${root}: the demo needs a fresh lake; pass an empty or new folder with --lake, or omit it`,
    );
  const lake = await LocalLake.open({ lake: root, governance: opts.governance, onProgress: opts.onProgress });
  const useCases: UseCase[] = [];
  try {
    for (const step of STEPS) {
      const runs = await lake.ingestTableFile(join(SAMPLES, step.file), SEED_DATABASE, step.table, step.as);
      assertGoverned(runs, step.file);
      if (!step.useCase) continue;
      const tags = await lake.tags(SEED_DATABASE, step.table);
      const useCase: UseCase = {
        name: step.useCase,
        tags,
        access: await lake.access(SEED_DATABASE, step.table),
        columns: await lake.tableColumns(SEED_DATABASE, step.table),
        quality: qualityOf(
          await lake.latestFindings(SEED_DATABASE, step.table),
          tags.table[lake.governance.config.tags.qualityKey],
        ),
      };
      useCases.push(useCase);
      opts.onUseCase?.(useCase);
    }
  } finally {
    await lake.close();
  }
  return { lake: root, useCases };
}

function assertGoverned(runs: ExecutionSummary[], file: string): void {
  const bad = runs.find((r) => r.status !== 'SUCCEEDED');
  if (bad) throw new Error(`demo: governing ${file} failed: ${bad.error}`);
  if (runs.length === 0) throw new Error(`demo: dropping ${file} started no governance run`);
}
