import { join } from 'node:path';
import { loadCorpus } from '../../eval/pii/corpus';
import { detectEntities } from '../../src/pii/detectors';
import { type EntityType, SUPPORTED_ENTITY_TYPES } from '../../src/pii/types';

// Detectors ranked after every requested type are skipped (src/pii/detectors.ts): that must never
// change what is found of the requested types.
describe('asking for some types finds exactly what asking for all finds of them', () => {
  const corpus = loadCorpus('own', join(__dirname, '../../eval/pii/corpus'));
  const values = [
    ...corpus.texts.map((t) => t.text),
    ...corpus.columns.flatMap((c) => c.values.slice(0, 15)).filter((v): v is string => v !== null),
  ];
  const all = values.map((v) => detectEntities(v));

  /** Per value, what asking for `types` finds and what asking for all finds of them (one expect per test). */
  const findings = (types: EntityType[]) => {
    const wanted = new Set<string>(types);
    return {
      asked: values.map((value) => ({ value, found: detectEntities(value, { entityTypes: types }) })),
      ofAll: values.map((value, i) => ({ value, found: all[i]!.filter((e) => wanted.has(e.entityType)) })),
    };
  };

  test.each(SUPPORTED_ENTITY_TYPES.filter((t) => t !== 'PERSON_NAME'))('%s alone', (type) => {
    const { asked, ofAll } = findings([type]);
    expect(asked).toEqual(ofAll);
  });

  test('MAC_ADDRESS and EMAIL together', () => {
    const { asked, ofAll } = findings(['MAC_ADDRESS', 'EMAIL']);
    expect(asked).toEqual(ofAll);
  });
});
