// Reading Textract results (cloud or local) back into text.
import type { Block } from '@aws-sdk/client-textract';

/** Page texts from LINE blocks in reading order; pages separated by a blank line, like the local engines. */
export function textFromBlocks(blocks: Block[]): string {
  const pages = new Map<number, string[]>();
  for (const b of blocks) {
    if (b.BlockType !== 'LINE' || b.Text === undefined) continue;
    const page = b.Page ?? 1;
    pages.set(page, [...(pages.get(page) ?? []), b.Text]);
  }
  return [...pages.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, lines]) => lines.join('\n'))
    .join('\n\n');
}

/** Every block of a finished job, following NextToken (merges paginated Get* results). */
export async function collectBlocks(
  get: (
    nextToken: string | undefined,
  ) => Promise<{ Blocks?: Block[]; NextToken?: string; JobStatus?: string }>,
): Promise<Block[]> {
  const out: Block[] = [];
  let token: string | undefined;
  do {
    const page = await get(token);
    if (page.JobStatus !== 'SUCCEEDED' && page.JobStatus !== 'PARTIAL_SUCCESS') {
      throw new Error(`Textract job is ${page.JobStatus}, not finished`);
    }
    out.push(...(page.Blocks ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}
