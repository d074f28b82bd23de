import { classifyColumn, classifyColumns } from '../../src/pii/classify';
import { mulberry32, sampleRows } from '../../src/pii/sample';
import { MIN_CELLS } from '../../src/pii/settle';

const ALL = ['PERSON_NAME', 'EMAIL', 'PHONE_NUMBER', 'USA_SSN', 'CREDIT_CARD', 'IP_ADDRESS'];
const types = (values: (string | null)[], thresholdFraction = 0.1, entityTypes = ALL) =>
  classifyColumn(values, { entityTypes, thresholdFraction }).map((e) => e.entityType);

describe('classifyColumn (Glue classify_columns semantics)', () => {
  test('a column of email addresses is EMAIL with fraction 1', () => {
    expect(
      classifyColumn(['a@example.com', 'b.c@example.org', 'd+tag@sub.example.co.uk'], {
        entityTypes: ['EMAIL'],
        thresholdFraction: 0.1,
      }),
    ).toMatchObject([{ entityType: 'EMAIL', fraction: 1 }]);
  });

  test('a free-text comment column where 3 of 10 rows hold emails is EMAIL at threshold 0.1', () => {
    const comments = [
      'great service',
      'write to me at ann@example.com',
      'no complaints',
      'delivered late',
      'bob@example.org asked for a refund',
      'ok',
      'contact: carol.w@example.net',
      'five stars',
      'would buy again',
      'meh',
    ];
    expect(classifyColumn(comments, { entityTypes: ['EMAIL'], thresholdFraction: 0.1 })).toMatchObject([
      { entityType: 'EMAIL', fraction: 0.3 },
    ]);
  });

  test('the same column is not EMAIL when the threshold is above the fraction', () => {
    const comments = ['x@example.com', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    expect(types(comments, 0.11)).toEqual([]);
    expect(types(comments, 0.1)).toEqual(['EMAIL']); // ≥, not >
  });

  test('a column of full names is PERSON_NAME', () => {
    expect(types(['Jane Doe', 'John Smith', "Mary-Kate O'Neil", 'José García', 'Dr. Ada Lovelace'])).toEqual([
      'PERSON_NAME',
    ]);
  });

  test('a column of city names is not PERSON_NAME', () => {
    expect(
      types([
        'Seattle',
        'New York',
        'Paris',
        'San Francisco',
        'Charlotte',
        'Madison',
        'Houston',
        'Austin',
        'Jordan',
        'Lincoln',
      ]),
    ).toEqual([]);
  });

  test('a column of product, company, month and weekday names is not PERSON_NAME', () => {
    expect(
      types([
        'iPhone 15 Pro',
        'Amazon',
        'Acme Corp',
        'Monday',
        'January',
        'Main Street',
        'Morgan Stanley',
        'Honda Civic',
      ]),
    ).toEqual([]);
  });

  test('fraction counts non-null cells only (fail-closed denominator)', () => {
    // 2 SSNs among 2 non-null cells and 8 nulls: fraction 1, not 0.2.
    const col = ['123-45-6789', null, null, null, '234-56-7890', null, null, null, null, null];
    expect(classifyColumn(col, { entityTypes: ['USA_SSN'], thresholdFraction: 0.5 })).toMatchObject([
      { entityType: 'USA_SSN', fraction: 1 },
    ]);
  });

  test('an all-null or empty column reports nothing', () => {
    expect(types([null, null])).toEqual([]);
    expect(types([])).toEqual([]);
  });

  test('only requested entity types are reported', () => {
    const col = ['jane@example.com 555-123-4567'];
    expect(types(col, 0.1, ['PHONE_NUMBER'])).toEqual(['PHONE_NUMBER']);
    expect(types(col, 0.1, ['EMAIL'])).toEqual(['EMAIL']);
    expect(types(col, 0.1, ['USA_SSN'])).toEqual([]);
  });

  test('a cell with several entity types counts towards each', () => {
    const r = classifyColumn(['please call John Smith at 555-123-4567', 'nothing here'], {
      entityTypes: ALL,
      thresholdFraction: 0.5,
    });
    expect(r).toMatchObject([
      { entityType: 'PERSON_NAME', fraction: 0.5 },
      { entityType: 'PHONE_NUMBER', fraction: 0.5 },
    ]);
  });

  test('results are sorted by fraction, highest first', () => {
    const r = classifyColumn(['a@example.com', 'b@example.com', 'Jane Doe'], {
      entityTypes: ALL,
      thresholdFraction: 0.1,
    });
    expect(r.map((e) => e.entityType)).toEqual(['EMAIL', 'PERSON_NAME']);
  });

  test('a threshold outside [0, 1] is rejected', () => {
    expect(() => types(['x'], 1.5)).toThrow(RangeError);
    expect(() => types(['x'], Number.NaN)).toThrow(RangeError);
  });

  test('detectionSensitivity HIGH also accepts bare 9-digit SSNs', () => {
    const col = ['123456789', '234567890'];
    expect(classifyColumn(col, { entityTypes: ['USA_SSN'], thresholdFraction: 0.5 })).toEqual([]);
    expect(
      classifyColumn(col, { entityTypes: ['USA_SSN'], thresholdFraction: 0.5, detectionSensitivity: 'HIGH' }),
    ).toMatchObject([{ entityType: 'USA_SSN', fraction: 1 }]);
  });
});

describe('evidence: why a column was reported', () => {
  test('the detectors that fired, matched and sampled cells, the threshold and three redacted examples', () => {
    const comments = [
      'Please contact Jane Smith about the refund',
      'write to me at ann.lee@example.com',
      'no complaints',
      'John Doe called twice',
      null,
      'Jane Smith again',
      'Mr. Bond left a note',
      'five stars',
    ];
    const [name, email] = classifyColumn(comments, {
      entityTypes: ['PERSON_NAME', 'EMAIL'],
      thresholdFraction: 0.1,
    });
    expect(name).toEqual({
      entityType: 'PERSON_NAME',
      fraction: 4 / 7,
      evidence: {
        detectors: ['name-lists', 'name-lists:honorific'],
        matchedCells: 4,
        sampledCells: 7,
        threshold: 0.1,
        examples: ['J*** S****', 'J*** D**', 'M*. B***'],
      },
    });
    expect(email?.evidence).toMatchObject({
      detectors: ['email-regex'],
      matchedCells: 1,
      examples: ['a******@e******.com'],
    });
  });

  test('no example repeats a value and none shows it unredacted', () => {
    const col = Array.from({ length: 20 }, () => 'jane@example.com');
    const [email] = classifyColumn(col, { entityTypes: ['EMAIL'], thresholdFraction: 0.1 });
    expect(email?.evidence.examples).toEqual(['j***@e******.com']);
    expect(JSON.stringify(email)).not.toContain('jane');
  });
});

describe('early stop: a column is read only until its verdict is settled', () => {
  const emails = (n: number, fraction: number, seed: number) => {
    const next = mulberry32(seed);
    return Array.from({ length: n }, (_, i) =>
      next() < fraction ? `user${i}@example.com` : `order ${i} shipped`,
    );
  };
  const opts = { entityTypes: ['EMAIL'], thresholdFraction: 0.1 };

  test('a large column of e-mails stops after the minimum and says so', () => {
    const [email] = classifyColumn(emails(50_000, 0.9, 1), { ...opts, earlyStopErrorBound: 1e-6 });
    expect(email?.evidence).toMatchObject({ sampledCells: MIN_CELLS, stoppedEarly: { errorBound: 1e-6 } });
    expect(email?.fraction).toBeGreaterThan(0.85);
  });

  test('a column of no e-mails stops after the minimum too, reporting nothing', () => {
    expect(classifyColumn(emails(50_000, 0, 1), { ...opts, earlyStopErrorBound: 1e-6 })).toEqual([]);
  });

  test('a column whose fraction sits at the threshold is read to the end: the exact fraction', () => {
    const col = emails(20_000, 0.1, 2);
    const exact = classifyColumn(col, opts);
    const early = classifyColumn(col, { ...opts, earlyStopErrorBound: 1e-6 });
    expect(early.map((e) => [e.fraction, e.evidence.sampledCells])).toEqual(
      exact.map((e) => [e.fraction, e.evidence.sampledCells]),
    );
    expect(early[0]?.evidence.stoppedEarly).toBeUndefined();
  });

  test('on 30 columns with fractions from 0 to 0.29, early and exact verdicts agree', () => {
    for (let c = 0; c < 30; c++) {
      const col = emails(4000, c / 100, 100 + c);
      const verdict = (o: typeof opts & { earlyStopErrorBound?: number }) =>
        classifyColumn(col, o).length > 0;
      expect([c, verdict({ ...opts, earlyStopErrorBound: 1e-6 })]).toEqual([c, verdict(opts)]);
    }
  });

  test('the sorted order of a file does not fool it: cells are read in random order', () => {
    const col = [...Array(5000).fill('no e-mail here'), ...emails(5000, 1, 3)];
    const [email] = classifyColumn(col, { ...opts, earlyStopErrorBound: 1e-6 });
    expect(email?.fraction).toBeGreaterThan(0.4);
    expect(email?.fraction).toBeLessThan(0.6);
  });
});

describe('classifyColumns', () => {
  const opts = { entityTypes: ['EMAIL', 'PERSON_NAME', 'USA_ITIN'], thresholdFraction: 0.1 };

  test('classifies every column and lists requested types it cannot detect', () => {
    const r = classifyColumns(
      { email: ['a@example.com', null], city: ['Seattle', 'Paris'], name: ['Jane Doe', 'John Smith'] },
      opts,
    );
    expect(r.columns).toMatchObject({
      email: [{ entityType: 'EMAIL', fraction: 1 }],
      city: [],
      name: [{ entityType: 'PERSON_NAME', fraction: 1 }],
    });
    expect(r.failed).toEqual([]);
    expect(r.unsupportedEntityTypes).toEqual(['USA_ITIN']);
  });

  test('a column whose detection throws is listed as failed and the others continue', () => {
    const poisoned = ['a@example.com'];
    // A cell that is not a string (bad upstream typing) makes the detector throw.
    (poisoned as unknown[]).push({ not: 'a string' });
    const r = classifyColumns({ bad: poisoned, good: ['b@example.com'] }, opts);
    expect(r.failed).toEqual([{ column: 'bad', reason: expect.any(String) }]);
    expect(r.columns).toMatchObject({ good: [{ entityType: 'EMAIL', fraction: 1 }] });
  });
});

describe('sampleRows', () => {
  test('is deterministic for the same seed and differs across seeds', () => {
    expect(sampleRows(1000, 0.1, 42)).toEqual(sampleRows(1000, 0.1, 42));
    expect(sampleRows(1000, 0.1, 42)).not.toEqual(sampleRows(1000, 0.1, 43));
  });

  test('keeps roughly the requested fraction, in ascending row order', () => {
    const rows = sampleRows(10000, 0.1, 7);
    expect(rows.length).toBeGreaterThan(800);
    expect(rows.length).toBeLessThan(1200);
    expect([...rows].sort((a, b) => a - b)).toEqual(rows);
  });

  test('fraction 0 keeps nothing and fraction 1 keeps everything', () => {
    expect(sampleRows(50, 0, 1)).toEqual([]);
    expect(sampleRows(5, 1, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  test('rejects invalid arguments', () => {
    expect(() => sampleRows(-1, 0.1, 1)).toThrow(RangeError);
    expect(() => sampleRows(10, 2, 1)).toThrow(RangeError);
  });
});
