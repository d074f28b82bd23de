import { accessChanges, tagChanges, widensAccess } from '../../src/policy/impact';

const tags = {
  table: { tbl_class: 'sensitive', dq_tag: 'DQ100' },
  columns: { id: { col_class: 'public' }, email: { col_class: 'sensitive' } },
};
const columns = ['id', 'email'];
const publicOnly = { grants: [{ col_class: ['public'], dq_tag: ['DQ100'] }] };
const everything = { grants: [{ col_class: ['public', 'sensitive'], dq_tag: ['DQ100'] }] };

describe('plan impact: what each persona gains or loses', () => {
  test('an edited grant shows as a gain, with the tags unchanged', () => {
    const changes = accessChanges(
      { tags, columns, personas: { analyst: publicOnly } },
      { tags, columns, personas: { analyst: everything } },
    );
    expect(changes).toEqual({ analyst: { columnsGained: ['email'], columnsLost: [] } });
    expect(widensAccess(changes)).toBe(true);
  });

  test('a quality drop below the grant loses the table; a persona removed by the edit loses what it saw', () => {
    const lower = { ...tags, table: { ...tags.table, dq_tag: 'DQ50_80' } };
    const changes = accessChanges(
      { tags, columns, personas: { analyst: publicOnly, gone: publicOnly } },
      { tags: lower, columns, personas: { analyst: publicOnly } },
    );
    expect(changes).toEqual({
      analyst: { table: 'lost', columnsGained: [], columnsLost: ['id'] },
      gone: { table: 'lost', columnsGained: [], columnsLost: ['id'] },
    });
    expect(widensAccess(changes)).toBe(false);
  });

  test('tag changes name the resource, the key and the value replaced', () => {
    expect(
      tagChanges(
        [
          { key: 'col_class', value: 'sensitive', columns: ['id'], tightens: true },
          { key: 'dq_tag', value: 'DQ50_80', tightens: false },
        ],
        tags,
      ),
    ).toEqual([
      { column: 'id', key: 'col_class', from: 'public', to: 'sensitive' },
      { key: 'dq_tag', from: 'DQ100', to: 'DQ50_80' },
    ]);
  });
});
