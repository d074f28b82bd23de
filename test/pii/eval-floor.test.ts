// The PII quality floor: `npm run eval:pii` on our corpus (eval/pii/corpus) and the shared
// development set (../shared/pii-corpus) may not fall below the figures recorded in
// eval/pii/floors.json. After a real improvement, raise the floors:
// `npx tsx eval/pii/run.ts --floors > eval/pii/floors.json`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../../eval/pii/corpus';
import { evaluate } from '../../eval/pii/evaluate';
import { type Floors, floorsOf, shortfalls } from '../../eval/pii/floors';
import { corpusDirs } from '../../eval/pii/locations';

const floors = JSON.parse(readFileSync(path.join(__dirname, '../../eval/pii/floors.json'), 'utf8')) as Record<
  string,
  Floors
>;

describe.each(corpusDirs())('PII detection on the $name corpus', ({ name, dir }) => {
  test('column F1, text exact-span F1 per type and the hard-negative flag rate hold their floors', () => {
    const floor = floors[name];
    expect(floor).toBeDefined();
    const now = floorsOf(evaluate(loadCorpus(name, dir)));
    expect(shortfalls(name, floor!, now)).toEqual([]);
  });
});
