import type { ColumnCase, Span, TextCase } from './corpus';

/** Counts and the three figures derived from them (1 when there is nothing to find or claim). */
export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** One wrong call: a column or text id, the entity type, and what was claimed or missed. */
export interface Miss {
  id: string;
  type: string;
  detail: string;
}

export interface Report {
  /** Micro-averaged over every (case, type) pair. */
  overall: Prf;
  perType: Record<string, Prf>;
  falsePositives: Miss[];
  falseNegatives: Miss[];
}

export interface ColumnReport extends Report {
  /** Columns of kind `negative` and how many got any type at all (the target is ≤ 2 %). */
  hardNegatives: { total: number; flagged: number; fraction: number };
}

class Tally {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();
  readonly falsePositives: Miss[] = [];
  readonly falseNegatives: Miss[] = [];

  add(type: string, kind: 'tp' | 'fp' | 'fn', miss?: Omit<Miss, 'type'>): void {
    const c = this.counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[kind]++;
    this.counts.set(type, c);
    if (kind === 'fp' && miss) this.falsePositives.push({ ...miss, type });
    if (kind === 'fn' && miss) this.falseNegatives.push({ ...miss, type });
  }

  report(): Report {
    const perType: Record<string, Prf> = {};
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [type, c] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      perType[type] = prf(c.tp, c.fp, c.fn);
      tp += c.tp;
      fp += c.fp;
      fn += c.fn;
    }
    return {
      overall: prf(tp, fp, fn),
      perType,
      falsePositives: this.falsePositives,
      falseNegatives: this.falseNegatives,
    };
  }
}

/**
 * Column level: a type reported for a column is right when the column's labels hold it.
 * A label the classifier cannot report at all still counts as missed.
 */
export function scoreColumns(
  cases: readonly ColumnCase[],
  classify: (c: ColumnCase) => readonly string[],
): ColumnReport {
  const tally = new Tally();
  let negatives = 0;
  let flagged = 0;
  for (const c of cases) {
    const predicted = new Set(classify(c));
    const gold = new Set(c.labels);
    if (c.kind === 'negative') {
      negatives++;
      if (predicted.size > 0) flagged++;
    }
    for (const t of predicted)
      tally.add(t, gold.has(t) ? 'tp' : 'fp', { id: c.id, detail: `column "${c.name}" (${c.source})` });
    for (const t of gold)
      if (!predicted.has(t)) tally.add(t, 'fn', { id: c.id, detail: `column "${c.name}" (${c.source})` });
  }
  return {
    ...tally.report(),
    hardNegatives: { total: negatives, flagged, fraction: negatives ? flagged / negatives : 0 },
  };
}

/** Text level, exact span: type, start and end (code points) must all equal a gold span. */
export function scoreTexts(
  cases: readonly TextCase[],
  detect: (text: string, lang: string) => readonly Span[],
): Report {
  const tally = new Tally();
  const key = (s: Span) => `${s.type}:${s.start}:${s.end}`;
  for (const c of cases) {
    const cps = [...c.text];
    const quote = (s: Span) => JSON.stringify(cps.slice(s.start, s.end).join(''));
    const predicted = detect(c.text, c.lang);
    const gold = new Set(c.spans.map(key));
    const found = new Set(predicted.map(key));
    for (const s of predicted)
      tally.add(s.type, gold.has(key(s)) ? 'tp' : 'fp', {
        id: c.id,
        detail: `${quote(s)} in ${c.lang} text`,
      });
    for (const s of c.spans)
      if (!found.has(key(s))) tally.add(s.type, 'fn', { id: c.id, detail: `${quote(s)} in ${c.lang} text` });
  }
  return tally.report();
}
