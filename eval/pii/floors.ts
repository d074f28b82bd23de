import type { Evaluation } from './evaluate';
import type { Report } from './score';

/**
 * The figures `eval:pii` reached, per corpus: F1 per entity type and overall at column and text
 * level, and the share of hard-negative columns flagged. eval/pii/floors.json holds them; the
 * floor test fails when a figure drops below (or the flag rate rises above) what is recorded.
 */
export interface Floors {
  columnF1: Record<string, number>;
  textF1: Record<string, number>;
  hardNegativesFlagged: number;
}

const down = (x: number) => Math.floor(x * 1000) / 1000;
const up = (x: number) => Math.ceil(x * 1000) / 1000;

function f1s(r: Report): Record<string, number> {
  return {
    ALL: down(r.overall.f1),
    ...Object.fromEntries(Object.entries(r.perType).map(([t, p]) => [t, down(p.f1)])),
  };
}

export function floorsOf(e: Evaluation): Floors {
  return {
    columnF1: f1s(e.column),
    textF1: f1s(e.text),
    hardNegativesFlagged: up(e.column.hardNegatives.fraction),
  };
}

/** Every way `now` falls short of `floor`, one line each. */
export function shortfalls(corpus: string, floor: Floors, now: Floors): string[] {
  const out: string[] = [];
  for (const level of ['columnF1', 'textF1'] as const)
    for (const [type, min] of Object.entries(floor[level])) {
      const got = now[level][type] ?? 0;
      if (got < min) out.push(`${corpus} ${level} ${type}: ${got} < floor ${min}`);
    }
  if (now.hardNegativesFlagged > floor.hardNegativesFlagged)
    out.push(
      `${corpus} hard negatives flagged: ${now.hardNegativesFlagged} > ceiling ${floor.hardNegativesFlagged}`,
    );
  return out;
}
