import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { insertUnits } from '../support/factories';
import { unitGid } from './fixtures';

/*
 * Targets are Int, but the sum of a unit's children's targets is not bounded by 2³¹ (three districts of two billion
 * each): sums are bigint in SQL and numbers in JS, never a 32-bit cast that overflows into INTERNAL_SERVER_ERROR.
 */
let t: TestApp;
let ids: Record<string, number>;
let sys: TestPrincipal;
let campaignId: string;

const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed quotas { unit { code } target childrenWithQuota } } }`;
const assign = (parent: string | null, allocations: [string, number][]) =>
  gql(t, ASSIGN, {
    input: { campaignId, metric: 'eid.activated', parentUnitId: parent && unitGid(ids[parent]), allocations: allocations.map(([c, target]) => ({ unitId: unitGid(ids[c]), target })) },
  }, sys.token);

beforeAll(async () => {
  t = await startTestApp();
  ids = await insertUnits(t, [
    { code: 'X', name: 'Tỉnh Lớn', kind: 'tỉnh', level: 'PROVINCE' },
    ...['X1', 'X2', 'X3'].map((code) => ({ code, name: `Huyện ${code}`, kind: 'huyện', level: 'DISTRICT' as const, parent: 'X' })),
  ]);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'X' }]);
  const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
  campaignId = ok(await gql(t, CREATE, {
    input: { name: 'Toàn quốc', startDate: '2023-09-01', deadline: '2023-11-30', metrics: [{ metric: 'eid.activated', allocationMode: 'STRICT' }] },
  }, sys.token)).createCampaign.campaign.id;
});
afterAll(() => t?.close());

describe('sums of targets past 2³¹', () => {
  it('are checked and read exactly: STRICT budget, parent quota, CONFLICT details as numbers', async () => {
    ok(await assign('X', [['X1', 2_000_000_000], ['X2', 2_000_000_000]]));
    // Its siblings already hold 4,000,000,000: the STRICT check sums them (no parent target yet: no limit).
    expect(ok(await assign('X', [['X3', 5]])).assignQuotas.changed).toBe(1);
    // The province's own quota reads its children's allocation (4,000,000,005) without overflowing.
    const top = ok(await assign(null, [['X', 1_000_000_000]])).assignQuotas;
    expect(top.quotas).toEqual([{ unit: { code: 'X' }, target: 1_000_000_000, childrenWithQuota: 3 }]);
    const over = await assign('X', [['X3', 6]]);
    expect(codeOf(over)).toBe('CONFLICT');
    expect(over.errors![0].extensions).toMatchObject({ parentTarget: 1_000_000_000, allocated: 4_000_000_000, requested: 6 });
    const Q = `query($id: ID!, $c: ID!) { unit(id: $id) { quota(campaignId: $c, metric: "eid.activated") { target childrenWithQuota } } }`;
    expect(ok(await gql(t, Q, { id: unitGid(ids.X), c: campaignId }, sys.token)).unit.quota).toEqual({ target: 1_000_000_000, childrenWithQuota: 3 });
  });
});
