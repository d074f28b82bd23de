import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The labelled PII corpus format (the same as ../shared/pii-corpus): one JSON object a line.
 * A column case is a column of cells with the Glue entity types a column classification should
 * report at threshold 0.1; a text case is a text with gold Comprehend spans in code points.
 */
export const ColumnCase = z.object({
  id: z.string(),
  name: z.string(),
  /** DuckDB type of the column; the shared corpus holds only text columns. */
  type: z.string().default('VARCHAR'),
  source: z.string(),
  labels: z.array(z.string()),
  kind: z.enum(['positive', 'negative', 'mixed']),
  group: z.string(),
  values: z.array(z.string().nullable()),
});
export type ColumnCase = z.infer<typeof ColumnCase>;

export const Span = z.object({ type: z.string(), start: z.number().int(), end: z.number().int() });
export type Span = z.infer<typeof Span>;

export const TextCase = z.object({
  id: z.string(),
  text: z.string(),
  lang: z.string(),
  spans: z.array(Span),
  tags: z.array(z.string()).default([]),
});
export type TextCase = z.infer<typeof TextCase>;

/** A text piece by piece: plain strings, or [type, value] for a gold span (offsets in code points). */
export type Part = string | [type: string, value: string];

export function textCase(id: string, lang: string, parts: Part[], tags: string[] = []): TextCase {
  let out = '';
  let cp = 0;
  const spans: Span[] = [];
  for (const p of parts) {
    const value = typeof p === 'string' ? p : p[1];
    const len = [...value].length;
    if (typeof p !== 'string') spans.push({ type: p[0], start: cp, end: cp + len });
    out += value;
    cp += len;
  }
  return { id, text: out, lang, spans, tags };
}

export interface Corpus {
  name: string;
  columns: ColumnCase[];
  texts: TextCase[];
}

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (line.trim() === '') return [];
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${file}:${i + 1}: ${issue?.path.join('.')}: ${issue?.message}`);
      }
      return [parsed.data];
    });
}

/** Loads `columns.jsonl` and `texts.jsonl` from a corpus folder. */
export function loadCorpus(name: string, dir: string): Corpus {
  const file = (f: string) => path.join(dir, f);
  if (!existsSync(file('columns.jsonl')) || !existsSync(file('texts.jsonl')))
    throw new Error(`${dir}: no columns.jsonl and texts.jsonl here; is the ${name} corpus in place?`);
  return {
    name,
    columns: readJsonl(file('columns.jsonl'), ColumnCase),
    texts: readJsonl(file('texts.jsonl'), TextCase),
  };
}
