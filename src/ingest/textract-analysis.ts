// Textract document analysis (FORMS, TABLES, SIGNATURES) read back from its blocks into the structure
// the extracted JSON keeps. The text itself still comes from LINE blocks (src/extract/blocks.ts): form
// and table words are on those lines too, so Comprehend sees them either way.
import type { Block } from '@aws-sdk/client-textract';
import { z } from 'zod';

export const documentAnalysisSchema = z.object({
  featureTypes: z.array(z.string()),
  /** FORMS: key → value pairs; a checkbox value reads [X] or [ ] */
  forms: z.array(z.object({ page: z.number(), key: z.string(), value: z.string() })),
  /** TABLES: cell texts by row, then column (merged cells repeat their text in every position) */
  tables: z.array(z.object({ page: z.number(), rows: z.array(z.array(z.string())) })),
  /** SIGNATURES: how many were found on each page that has any */
  signatures: z.array(z.object({ page: z.number(), count: z.number() })),
});
export type DocumentAnalysis = z.infer<typeof documentAnalysisSchema>;

const related = (b: Block, type: string): string[] =>
  (b.Relationships ?? []).filter((r) => r.Type === type).flatMap((r) => r.Ids ?? []);

export function documentAnalysisOf(blocks: Block[], featureTypes: string[]): DocumentAnalysis {
  const byId = new Map<string, Block>();
  for (const b of blocks) if (b.Id) byId.set(b.Id, b);
  const textOf = (b: Block): string =>
    related(b, 'CHILD')
      .map((id) => byId.get(id))
      .map((c) => {
        if (c?.BlockType === 'WORD') return c.Text ?? '';
        if (c?.BlockType === 'SELECTION_ELEMENT') return c.SelectionStatus === 'SELECTED' ? '[X]' : '[ ]';
        return '';
      })
      .filter(Boolean)
      .join(' ');

  const forms: DocumentAnalysis['forms'] = [];
  const tables: DocumentAnalysis['tables'] = [];
  const signatures = new Map<number, number>();
  for (const b of blocks) {
    const page = b.Page ?? 1;
    if (b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY')) {
      const values = related(b, 'VALUE').map((id) => byId.get(id));
      const value = values.map((v) => (v ? textOf(v) : '')).join(' ');
      forms.push({ page, key: textOf(b), value });
    } else if (b.BlockType === 'TABLE') {
      const rows: string[][] = [];
      for (const id of related(b, 'CHILD')) {
        const cell = byId.get(id);
        if (cell?.BlockType !== 'CELL' || !cell.RowIndex || !cell.ColumnIndex) continue;
        rows[cell.RowIndex - 1] ??= [];
        rows[cell.RowIndex - 1]![cell.ColumnIndex - 1] = textOf(cell);
      }
      // Sparse rows/columns (a cell Textract left out) read as empty strings.
      tables.push({ page, rows: Array.from(rows, (r) => Array.from(r ?? [], (c) => c ?? '')) });
    } else if (b.BlockType === 'SIGNATURE') {
      signatures.set(page, (signatures.get(page) ?? 0) + 1);
    }
  }
  return {
    featureTypes,
    forms,
    tables,
    signatures: [...signatures].sort((a, b) => a[0] - b[0]).map(([page, count]) => ({ page, count })),
  };
}
