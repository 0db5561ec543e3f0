import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith, type TestPrincipal } from './support/principals';
import { insertUnits } from './support/factories';
import { vnUnitsDir } from '../bench/vn-units';

let t: TestApp;
let admin: TestPrincipal;
const officialLists = vnUnitsDir();
const withOfficialLists = officialLists ? it : it.skip;

const IMPORT = `mutation($csv: String!, $dry: Boolean) { importUnits(input: { csv: $csv, dryRun: $dry }) { created updated unchanged dryRun } }`;

const counts = async () =>
  Object.fromEntries(
    (await t.sql<{ level: string; n: number }>(`select level, count(*)::int as n from admin_unit group by level`)).map((r) => [r.level, r.n]),
  );

beforeAll(async () => {
  t = await startTestApp();
  await insertUnits(t, [{ code: '00', name: 'Bootstrap', kind: 'tỉnh', level: 'PROVINCE' }]);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '00' }]);
});
afterAll(() => t?.close());

describe('importUnits with the official 2024 list', () => {
  withOfficialLists('imports 63 provinces, 696 districts and 10,035 communes, then a re-import changes nothing', async () => {
    const csv = fs.readFileSync(path.join(officialLists!, 'units_2024.csv'), 'utf8');
    const islands = fs.readFileSync(path.join(officialLists!, 'districts_without_communes_2024.csv'), 'utf8');
    const first = ok(await gql(t, IMPORT, { csv }, admin.token)).importUnits;
    expect(first).toEqual({ created: 63 + 691 + 10035, updated: 0, unchanged: 0, dryRun: false });
    const islandResult = ok(await gql(t, IMPORT, { csv: islands }, admin.token)).importUnits;
    expect(islandResult).toEqual({ created: 5, updated: 0, unchanged: 5, dryRun: false });
    expect(await counts()).toEqual({ PROVINCE: 63 + 1, DISTRICT: 696, COMMUNE: 10035 });

    const [{ bad }] = await t.sql<{ bad: number }>(
      `select count(*)::int as bad from admin_unit c left join admin_unit p on p.id = c.parent_id
        where c.path <> (coalesce(p.path::text || '.', '') || c.id)::ltree or (c.level <> 'PROVINCE' and c.parent_id is null)`,
    );
    expect(bad).toBe(0);
    const nuiThanh = ok(await gql(t, `{ unitByCode(code: "517") { name kind descendantCount(level: COMMUNE) ancestors { code } } }`, {}, admin.token));
    expect(nuiThanh.unitByCode).toEqual({ name: 'Huyện Núi Thành', kind: 'huyện', descendantCount: 17, ancestors: [{ code: '49' }] });

    const before = await t.sql(`select id, code, name, kind, path::text, updated_at from admin_unit order by id`);
    const again = ok(await gql(t, IMPORT, { csv }, admin.token)).importUnits;
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 63 + 691 + 10035, dryRun: false });
    expect(await t.sql(`select id, code, name, kind, path::text, updated_at from admin_unit order by id`)).toEqual(before);
  });

  it('rejects malformed rows with their row numbers and writes nothing', async () => {
    const before = await counts();
    const audits = await t.sql(`select count(*) from audit_entry`);
    const csv = [
      'province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type',
      '97,Tỉnh Mới,Tỉnh,901,Huyện Mới,Huyện,99001,Xã Một,Xã',
      '97,Tỉnh Mới,Tỉnh,9x2,Huyện Sai,Huyện,99002,Xã Hai,Xã',
      '97,Tỉnh Mới,Tỉnh,901,Huyện Mới,Huyện,99003,,Xã',
      '97,Tỉnh Mới',
    ].join('\n');
    const res = await gql(t, IMPORT, { csv }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.problems.map((p: { row: number }) => p.row)).toEqual([3, 4, 5]);
    expect(await counts()).toEqual(before);
    expect(await t.sql(`select count(*) from audit_entry`)).toEqual(audits);
  });

  it('counts without writing on dryRun, and imports the 2025 two-level list (communes under provinces)', async () => {
    const csv = ['province_code,province_name,commune_code,commune_name,commune_type', '98,Tỉnh Thử,99990,Phường Thử,Phường'].join('\n');
    const dry = ok(await gql(t, IMPORT, { csv, dry: true }, admin.token)).importUnits;
    expect(dry).toEqual({ created: 2, updated: 0, unchanged: 0, dryRun: true });
    expect(await t.sql(`select 1 from admin_unit where code = '98'`)).toHaveLength(0);
    ok(await gql(t, IMPORT, { csv }, admin.token));
    const ward = ok(await gql(t, `{ unitByCode(code: "99990") { level kind parent { code level } } }`, {}, admin.token)).unitByCode;
    expect(ward).toEqual({ level: 'COMMUNE', kind: 'phường', parent: { code: '98', level: 'PROVINCE' } });
  });

  it('refuses an ADMIN rows outside its subtree, and a VIEWER altogether', async () => {
    // Its own units (codes absent from the official list), so it needs no other test's data.
    await insertUnits(t, [
      { code: '03', name: 'Tỉnh Ba', kind: 'tỉnh', level: 'PROVINCE' },
      { code: '05', name: 'Tỉnh Năm', kind: 'tỉnh', level: 'PROVINCE' },
      { code: '059', name: 'Quận Cũ', kind: 'quận', level: 'DISTRICT', parent: '05' },
    ]);
    const provinceAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '03' }]);
    const csv = ['province_code,province_name,district_code,district_name,district_type', '05,Tỉnh Năm,059,Quận Mới,Quận'].join('\n');
    const res = await gql(t, IMPORT, { csv }, provinceAdmin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/outside/);
    expect((await t.sql<{ name: string }>(`select name from admin_unit where code = '059'`))[0].name).toBe('Quận Cũ');
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: '03' }]);
    expect(codeOf(await gql(t, IMPORT, { csv }, viewer.token))).toBe('FORBIDDEN');
  });
});
