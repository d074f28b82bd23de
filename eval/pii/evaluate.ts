import { classifyColumn } from '../../src/pii/classify';
import { detectPiiEntities } from '../../src/pii/text';
import { SUPPORTED_ENTITY_TYPES } from '../../src/pii/types';
import type { Corpus } from './corpus';
import { type ColumnReport, type Report, scoreColumns, scoreTexts } from './score';

/** Glue's defaults: classify_columns threshold 0.1, detectionSensitivity LOW. */
export const EVAL_THRESHOLD = 0.1;

export interface Evaluation {
  corpus: string;
  columns: number;
  texts: number;
  column: ColumnReport;
  text: Report;
}

/** Runs the column classifier and the text detector over a corpus, every supported type requested. */
export function evaluate(corpus: Corpus): Evaluation {
  const column = scoreColumns(corpus.columns, (c) =>
    classifyColumn(c.values, {
      entityTypes: SUPPORTED_ENTITY_TYPES,
      thresholdFraction: EVAL_THRESHOLD,
      column: { name: c.name, type: c.type },
    }).map((e) => e.entityType),
  );
  const text = scoreTexts(corpus.texts, (t, lang) =>
    detectPiiEntities(t, lang).Entities.map((e) => ({
      type: e.Type,
      start: e.BeginOffset,
      end: e.EndOffset,
    })),
  );
  return { corpus: corpus.name, columns: corpus.columns.length, texts: corpus.texts.length, column, text };
}
