// Writes the seed scenario's sample tables (deterministic; re-run to regenerate samples/seed/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = join(__dirname, '..', 'samples', 'seed');
const locations = ['Seattle', 'New York', 'Chicago', 'Austin', 'Denver', 'Boston'];
const people = [
  ['Olivia Bennett', 'olivia.bennett@example.com'],
  ['Liam Carter', 'liam.carter@example.net'],
  ['Emma Rodriguez', 'emma.rodriguez@example.org'],
  ['Noah Patel', 'noah.patel@example.com'],
  ['Ava Thompson', 'ava.thompson@example.com'],
  ['Ethan Nguyen', 'ethan.nguyen@example.net'],
  ['Sophia Kim', 'sophia.kim@example.org'],
  ['Mason Clarke', 'mason.clarke@example.com'],
  ['Isabella Rossi', 'isabella.rossi@example.com'],
  ['Lucas Schmidt', 'lucas.schmidt@example.net'],
];
const comments = [
  'Prefers contact by mail',
  'Order delivered on Monday',
  'Asked about iPhone 15 Pro availability',
  'Renewal due in January',
  'Moved to the Seattle office',
  'Interested in the premium plan',
  '',
  'Requested a paper invoice',
  'Satisfied with support',
  '',
];
const header = 'data_key,data_load_date,data_location,customer_name,customer_email,customer_phone,comment1';

const csv = (rows: string[][]) => `${[header, ...rows.map((r) => r.map(quote).join(','))].join('\n')}\n`;
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const phone = (i: number) => `(206) 555-${String(1000 + i * 37).padStart(4, '0')}`;

function customers(
  from: number,
  count: number,
  location: (i: number) => string,
  comment: (i: number) => string,
) {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    const [name, email] = people[i % people.length]!;
    return [
      String(i),
      `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`,
      location(i),
      name!,
      email!,
      phone(i),
      comment(i),
    ];
  });
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'base.csv'), `data_location\n${locations.join('\n')}\n`);
// v0: clean — every location is in base, comments hold no PII.
writeFileSync(
  join(out, 'customer_v0.csv'),
  csv(
    customers(
      1,
      20,
      (i) => locations[i % locations.length]!,
      (i) => comments[i % comments.length]!,
    ),
  ),
);
// v1: new rows whose data_location is not in base and whose comment1 holds names and emails.
const piiComment = (i: number) => {
  const [name, email] = people[(i + 3) % people.length]!;
  return `Escalated by ${name}, reply to ${email}`;
};
writeFileSync(
  join(out, 'customer_v1.csv'),
  csv(customers(21, 10, (i) => (i % 2 ? 'Atlantis' : 'Gotham'), piiComment)),
);
// v1 fixed: same rows, valid locations (the PII in comment1 is still there).
writeFileSync(
  join(out, 'customer_v1_fixed.csv'),
  csv(customers(21, 10, (i) => locations[i % locations.length]!, piiComment)),
);
console.log(`wrote ${out}`);
