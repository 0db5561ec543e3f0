import type { TestApp } from './app';

export interface UnitSpec {
  code: string;
  name: string;
  kind: string;
  level: 'PROVINCE' | 'DISTRICT' | 'COMMUNE' | 'HAMLET';
  parent?: string;
  validFrom?: string;
}

/** Inserts units directly (parents before children), as a fixture. Returns their ids by code. */
export async function insertUnits(t: TestApp, units: UnitSpec[]): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const u of units) {
    const [row] = await t.sql<{ id: number }>(
      `insert into admin_unit (code, name, kind, level, parent_id, path, valid_from, created_at, updated_at)
       select $1, $2, $3, $4, p.id, '0', $6, now(), now() from (select 1) x left join admin_unit p on p.code = $5
       returning id`,
      [u.code, u.name, u.kind, u.level, u.parent ?? null, u.validFrom ?? '2020-01-01'],
    );
    await t.sql(
      `update admin_unit c set path = (coalesce((select p.path::text || '.' from admin_unit p where p.id = c.parent_id), '') || c.id)::ltree where c.id = $1`,
      [row.id],
    );
    ids[u.code] = row.id;
  }
  return ids;
}

/**
 * A small tree: two provinces (P1, P2); P1 has districts D1, D2; D1 has communes C1, C2;
 * C1 has hamlets H1, H2. P2 has district D3 with commune C3.
 */
export async function smallTree(t: TestApp, prefix = ''): Promise<Record<string, number>> {
  const c = (s: string) => `${prefix}${s}`;
  return insertUnits(t, [
    { code: c('P1'), name: 'Tỉnh Quảng Nam', kind: 'tỉnh', level: 'PROVINCE' },
    { code: c('P2'), name: 'Tỉnh Đồng Nai', kind: 'tỉnh', level: 'PROVINCE' },
    { code: c('D1'), name: 'Huyện Núi Thành', kind: 'huyện', level: 'DISTRICT', parent: c('P1') },
    { code: c('D2'), name: 'Huyện Phú Ninh', kind: 'huyện', level: 'DISTRICT', parent: c('P1') },
    { code: c('D3'), name: 'Huyện Trảng Bom', kind: 'huyện', level: 'DISTRICT', parent: c('P2') },
    { code: c('C1'), name: 'Xã Tam Tiến', kind: 'xã', level: 'COMMUNE', parent: c('D1') },
    { code: c('C2'), name: 'Xã Tam Xuân I', kind: 'xã', level: 'COMMUNE', parent: c('D1') },
    { code: c('C3'), name: 'Xã Bắc Sơn', kind: 'xã', level: 'COMMUNE', parent: c('D3') },
    { code: c('H1'), name: 'Thôn Phú Tân', kind: 'thôn', level: 'HAMLET', parent: c('C1') },
    { code: c('H2'), name: 'Thôn Trung Hòa', kind: 'thôn', level: 'HAMLET', parent: c('C1') },
  ]);
}
