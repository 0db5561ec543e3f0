import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { insertUnits } from '../support/factories';
import { addDays } from '../../src/common/dates';
import { todayInVietnam } from '../../src/common/scalars';
import { IMPORT } from '../progress/support';
import { treeTables, value } from './support';

let t: TestApp;
let sys: TestPrincipal;
const IMPORT_UNITS = `mutation($csv: String!, $dry: Boolean, $retire: Boolean) { importUnits(input: { csv: $csv, dryRun: $dry, retireMissing: $retire }) { created updated unchanged dryRun retired missing } }`;
const HEADER = 'province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type';
const FULL = [HEADER,
  '97,Tỉnh Một,Tỉnh,901,Huyện Một,Huyện,99001,Xã Một,Xã',
  '97,Tỉnh Một,Tỉnh,901,Huyện Một,Huyện,99002,Xã Hai,Xã',
  '97,Tỉnh Một,Tỉnh,902,Huyện Hai,Huyện,99003,Xã Ba,Xã',
  '98,Tỉnh Hai,Tỉnh,903,Huyện Ba,Huyện,99004,Xã Bốn,Xã'].join('\n');
const yesterday = () => addDays(todayInVietnam(), -1);

beforeAll(async () => {
  t = await startTestApp();
  await insertUnits(t, [{ code: '00', name: 'Bootstrap', kind: 'tỉnh', level: 'PROVINCE' }]);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '00' }]);
  ok(await gql(t, IMPORT_UNITS, { csv: FULL }, sys.token));
  await t.sql(`update metric set reporting_level = 'COMMUNE' where code = 'cccd.collected'`);
  ok(await gql(t, IMPORT, { input: { rows: ['99001', '99002', '99003', '99004'].map((c, i) => ({ unitCode: c, metric: 'cccd.collected', asOf: '2025-06-01', value: 10 * (i + 1) })) } }, sys.token));
});
afterAll(() => t?.close());

describe('importUnits retireMissing', () => {
  const shorter = [HEADER, '97,Tỉnh Một,Tỉnh,901,Huyện Một,Huyện,99001,Xã Một,Xã'].join('\n');

  it('lists on dryRun what a complete list no longer holds, in the caller\'s jurisdiction only, writing nothing', async () => {
    const before = await treeTables(t);
    const dry = ok(await gql(t, IMPORT_UNITS, { csv: shorter, dry: true, retire: true }, sys.token)).importUnits;
    expect(dry).toMatchObject({ dryRun: true, retired: 0, missing: ['00', '902', '98', '99002'] });
    const admin97 = await principalWith(t, [{ role: 'ADMIN', unit: '97' }]);
    const scoped = ok(await gql(t, IMPORT_UNITS, { csv: [HEADER.split(',').slice(0, 3).join(','), ''].join('\n'), dry: true, retire: true }, admin97.token));
    expect(scoped.importUnits.missing).toEqual(['901', '902']);
    const admin98 = await principalWith(t, [{ role: 'ADMIN', unit: '98' }]);
    const outside = await gql(t, IMPORT_UNITS, { csv: shorter, retire: true }, admin98.token);
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: '97' }]);
    expect(codeOf(await gql(t, IMPORT_UNITS, { csv: shorter, retire: true }, viewer.token))).toBe('FORBIDDEN');
    expect(await treeTables(t).then((s) => JSON.parse(s).filter((_: unknown, i: number) => i !== 7))).toEqual(JSON.parse(before).filter((_: unknown, i: number) => i !== 7));
  });

  it('retires them from today: their history stays, they stop counting from today', async () => {
    const provinceThen = await value(t, sys.token, '97', yesterday(), 'cccd.collected');
    const list = [HEADER, '97,Tỉnh Một,Tỉnh,901,Huyện Một,Huyện,99001,Xã Một,Xã', '98,Tỉnh Hai,Tỉnh,903,Huyện Ba,Huyện,99004,Xã Bốn,Xã'].join('\n');
    const done = ok(await gql(t, IMPORT_UNITS, { csv: list, retire: true }, sys.token)).importUnits;
    // 00 (the bootstrap province), 902 with its commune 99003, and 99002
    expect(done).toMatchObject({ dryRun: false, retired: 4, missing: ['00', '902', '99002'] });
    expect(await value(t, sys.token, '97', yesterday(), 'cccd.collected')).toBe(provinceThen);
    expect(await value(t, sys.token, '97', todayInVietnam(), 'cccd.collected')).toBe(10);
    const r = ok(await gql(t, `{ unitByCode(code: "99002") { retired validTo progress(metric: "cccd.collected") { value reportedUnits } } }`, {}, sys.token)).unitByCode;
    expect(r).toEqual({ retired: true, validTo: yesterday(), progress: { value: 0, reportedUnits: 0 } });
  });
});
