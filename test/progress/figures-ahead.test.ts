import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, IMPORT, unitId } from './support';

/*
 * A page of units loads its units' figures (progress, quota) ahead, for the whole page, before graphql-js resolves
 * them (src/units/unit-prefetch.ts). These tests hold the answers to single-unit reads (the oracle), through every
 * way a document can select the fields, and check that nothing is loaded for what is not selected.
 */

let t: TestApp;
let admin: TestPrincipal;
let campaign: string;
const METRICS = ['eid.collected', 'eid.approved', 'eid.activated'];
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['FA'], 3, 3, 2); // 1 + 3 districts + 9 communes + 18 hamlets
  await gridTree(t, ['FB'], 1, 2, 1);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'FA' }]);
  const rows = [];
  for (let d = 1; d <= 3; d++)
    for (const c of 'abc')
      for (let h = 1; h <= 2; h++)
        for (const [j, metric] of METRICS.entries()) rows.push({ unitCode: `FA${d}${c}-${h}`, metric, asOf: '2023-06-01', value: 100 * d + 10 * h - j });
  rows.push({ unitCode: 'FB1a-1', metric: 'eid.collected', asOf: '2023-06-01', value: 7 });
  ok(await gql(t, IMPORT, { input: { rows } }, admin.token));
  const id = (code: string) => unitId(t, code, admin.token);
  const input = {
    name: 'Chiến dịch FA', scopeUnitId: await id('FA'), startDate: '2023-05-01', deadline: '2023-12-31',
    metrics: METRICS.map((metric) => ({ metric, countingMode: 'CUMULATIVE', allocationMode: 'LENIENT' })),
  };
  campaign = ok(await gql(t, CREATE, { input }, admin.token)).createCampaign.campaign.id;
  for (const [j, metric] of METRICS.entries()) {
    const allocations = await Promise.all([1, 2, 3].map(async (d) => ({ unitId: await id(`FA${d}`), target: 1000 * d + j })));
    ok(await gql(t, ASSIGN, { input: { campaignId: campaign, metric, parentUnitId: await id('FA'), allocations } }, admin.token));
  }
});
afterAll(() => t?.close());

/** One unit's figures read alone (no page): what every page must agree with. */
async function alone(code: string, metric: string, asOf: string | null = null) {
  const r = ok(await gql(t, `query($c: String!, $m: String!, $d: Date, $k: ID!) { unitByCode(code: $c) {
    progress(metric: $m, asOf: $d) { value reportedUnits } quota(campaignId: $k, metric: $m) { target } } }`, { c: code, m: metric, d: asOf, k: campaign }, admin.token));
  return { value: r.unitByCode.progress?.value ?? null, reported: r.unitByCode.progress?.reportedUnits ?? null, target: r.unitByCode.quota?.target ?? null };
}

describe('figures of a page, loaded ahead', () => {
  it('equal single-unit reads through aliases, fragments, edges and nodes with different arguments, and variables', async () => {
    const q = `query($m: String!, $k: ID!, $d: Date) { unitByCode(code: "FA") { children(first: 10) {
        nodes { code ...Figures x: progress(metric: $m) { value } }
        edges { node { code x: progress(metric: "eid.approved", asOf: $d) { value reportedUnits } ... on Unit { t: quota(campaignId: $k, metric: "eid.approved") { target } } } } } } }
      fragment Figures on Unit { a: progress(metric: "eid.activated") { value } q: quota(campaignId: $k, metric: $m) { target assignedBy { displayName } unallocated } }`;
    const r = ok(await gql(t, q, { m: 'eid.collected', k: campaign, d: '2023-05-31' }, admin.token));
    const page = r.unitByCode.children;
    expect(page.nodes.map((n: any) => n.code)).toEqual(['FA1', 'FA2', 'FA3']);
    for (const [i, n] of page.nodes.entries()) {
      const collected = await alone(n.code, 'eid.collected');
      const activated = await alone(n.code, 'eid.activated');
      expect(n.x.value).toBe(collected.value);
      expect(n.a.value).toBe(activated.value);
      expect(n.q).toMatchObject({ target: collected.target, unallocated: collected.target });
      expect(n.q.assignedBy.displayName).toEqual(expect.any(String));
      const edge = page.edges[i].node;
      const approvedBefore = await alone(n.code, 'eid.approved', '2023-05-31');
      expect(edge.x).toEqual({ value: approvedBefore.value, reportedUnits: approvedBefore.reported });
      expect(edge.x.value).toBe(0);
      expect(edge.t.target).toBe((await alone(n.code, 'eid.approved')).target);
    }
    expect(page.nodes[0].x.value).toBe(6 * (100 + 15)); // 3 communes × 2 hamlets: 110 and 120
  });

  it('the same through units(level:) and a page one level down', async () => {
    const r = ok(await gql(t, `query($k: ID!) { units(level: COMMUNE, search: "FA2", first: 5) { nodes { code
        progress(metric: "eid.collected") { value } quota(campaignId: $k, metric: "eid.collected") { target } } } }`, { k: campaign }, admin.token));
    expect(r.units.nodes.map((n: any) => n.code)).toEqual(['FA2a', 'FA2b', 'FA2c']);
    for (const n of r.units.nodes) {
      const one = await alone(n.code, 'eid.collected');
      expect(n.progress.value).toBe(one.value);
      expect(n.progress.value).toBe(210 + 220);
      expect(n.quota).toBeNull(); // communes hold no quota here
    }
  });

  it('loads nothing for fields left out by @skip/@include, and costs as much for 9 units as for 2', async () => {
    const q = (skip: boolean) => `query($s: Boolean!, $k: ID!, $code: String!) { unitByCode(code: $code) { children(first: 10) { nodes { code
        children(first: 10) { nodes { code c: progress(metric: "eid.collected") @skip(if: $s) { value } q: quota(campaignId: $k, metric: "eid.collected") @include(if: ${!skip}) { target } } } } } } }`;
    const without = await gql(t, `query($code: String!) { unitByCode(code: $code) { children(first: 10) { nodes { code children(first: 10) { nodes { code } } } } } }`, { code: 'FA' }, admin.token);
    const skipped = await gql(t, q(true), { s: true, k: campaign, code: 'FA' }, admin.token);
    ok(skipped);
    expect(skipped.data.unitByCode.children.nodes[0].children.nodes[0]).toEqual({ code: 'FA1a' });
    expect(skipped.extensions!.sqlStatements).toBe(without.extensions!.sqlStatements);
    const nine = await gql(t, q(false), { s: false, k: campaign, code: 'FA' }, admin.token);
    const two = await gql(t, q(false), { s: false, k: campaign, code: 'FB' }, admin.token);
    expect(ok(nine).unitByCode.children.nodes.flatMap((d: any) => d.children.nodes)).toHaveLength(9);
    expect(ok(two).unitByCode.children.nodes.flatMap((d: any) => d.children.nodes)).toHaveLength(2);
    expect(ok(two).unitByCode.children.nodes[0].children.nodes[0].c.value).toBe(7);
    expect(nine.extensions!.sqlStatements).toBe(two.extensions!.sqlStatements);
    // figures and quotas one statement each per page level, however many metrics: 3 metrics cost as much as 1
    const three = await gql(t, `query($k: ID!) { unitByCode(code: "FA") { children(first: 10) { nodes { code
        ${METRICS.map((m, i) => `p${i}: progress(metric: "${m}") { value } q${i}: quota(campaignId: $k, metric: "${m}") { target }`).join(' ')} } } } }`, { k: campaign }, admin.token);
    const one = await gql(t, `query($k: ID!) { unitByCode(code: "FA") { children(first: 10) { nodes { code
        p0: progress(metric: "eid.collected") { value } q0: quota(campaignId: $k, metric: "eid.collected") { target } } } } }`, { k: campaign }, admin.token);
    expect(ok(three).unitByCode.children.nodes[2].q2.target).toBe(3002);
    expect(three.extensions!.sqlStatements).toBe(ok(one) && one.extensions!.sqlStatements);
  });

  it("a quota's unit and date are there when asked, beside the same quota asked for its target only", async () => {
    const r = ok(await gql(t, `query($k: ID!) { unitByCode(code: "FA") { children { nodes { code
        full: quota(campaignId: $k, metric: "eid.approved") { target unit { code level } assignedAt }
        lean: quota(campaignId: $k, metric: "eid.approved") { target } } } } }`, { k: campaign }, admin.token));
    for (const [i, n] of r.unitByCode.children.nodes.entries()) {
      expect(n.full).toMatchObject({ target: 1000 * (i + 1) + 1, unit: { code: n.code, level: 'DISTRICT' } });
      expect(Date.parse(n.full.assignedAt)).toBeGreaterThan(Date.parse('2024-01-01'));
      expect(n.lean).toEqual({ target: n.full.target });
    }
  });

  it('campaign figures of a page equal single-unit reads, with and without completion asked', async () => {
    const sel = (completion: boolean) => `campaignProgress(campaignId: $k) { metric { code } value target rate rank siblingCount ${completion ? 'completedOn completionOrder' : ''} }`;
    const r = ok(await gql(t, `query($k: ID!) { unitByCode(code: "FA") { children { nodes { code
        all: ${sel(true)} lean: ${sel(false)} one: campaignProgress(campaignId: $k, metric: "eid.activated") { value rank } } } } }`, { k: campaign }, admin.token));
    expect(r.unitByCode.children.nodes).toHaveLength(3);
    for (const n of r.unitByCode.children.nodes) {
      const single = ok(await gql(t, `query($c: String!, $k: ID!) { unitByCode(code: $c) { ${sel(true)} } }`, { c: n.code, k: campaign }, admin.token));
      expect(n.all).toEqual(single.unitByCode.campaignProgress);
      expect(n.lean).toEqual(n.all.map(({ completedOn: _c, completionOrder: _o, ...rest }: any) => rest));
      expect(n.one).toEqual([{ value: n.all[2].value, rank: n.all[2].rank }]);
      expect(n.all.map((p: any) => p.metric.code)).toEqual(['eid.collected', 'eid.approved', 'eid.activated']);
    }
    expect(r.unitByCode.children.nodes.map((n: any) => n.all[0].rank)).toEqual([1, 2, 3]); // collected 690 / 1000, 1290 / 2000, 1890 / 3000
  });

  it('a unit nothing was reported under reads 0, not null, today and on a past day', async () => {
    const q = `query($d: Date) { unitByCode(code: "FB1") { children { nodes { code
        c: progress(metric: "eid.collected") { value reportedUnits lastReportAt }
        a: progress(metric: "eid.approved") { value reportedUnits lastReportAt }
        p: progress(metric: "eid.collected", asOf: $d) { value } } } } }`;
    const r = ok(await gql(t, q, { d: '2023-06-01' }, admin.token));
    const [a, b] = r.unitByCode.children.nodes;
    expect(a).toMatchObject({ code: 'FB1a', c: { value: 7, reportedUnits: 1 }, a: { value: 0, reportedUnits: 0, lastReportAt: null }, p: { value: 7 } });
    expect(a.c.lastReportAt).toEqual(expect.any(String));
    expect(b).toEqual({ code: 'FB1b', c: { value: 0, reportedUnits: 0, lastReportAt: null }, a: { value: 0, reportedUnits: 0, lastReportAt: null }, p: { value: 0 } });
  });

  it('an unknown metric is an error on each field that asks for it; the other fields of the page are answered', async () => {
    const r = await gql(t, `{ unitByCode(code: "FA") { children(first: 10) { nodes { code
        good: progress(metric: "eid.collected") { value } bad: progress(metric: "no.such.metric") { value } } } } }`, {}, admin.token);
    expect(r.errors).toHaveLength(3);
    for (const e of r.errors!) {
      expect(e.extensions.code).toBe('BAD_USER_INPUT');
      expect(e.message).toContain('Unknown metric "no.such.metric"');
      expect(e.path).toEqual(['unitByCode', 'children', 'nodes', expect.any(Number), 'bad']);
    }
    expect(r.data!.unitByCode.children.nodes.map((n: any) => n.good.value)).toEqual([690, 1290, 1890]);
    expect(r.data!.unitByCode.children.nodes.every((n: any) => n.bad === null)).toBe(true);
  });

  it('never shows figures outside the jurisdiction: a page of another province is refused, a district officer sees only its own', async () => {
    const officer = await principalWith(t, [{ role: 'VIEWER', unit: 'FA2' }]);
    const page = `query($k: ID!) { units(level: DISTRICT, first: 10) { nodes { code progress(metric: "eid.collected") { value } quota(campaignId: $k, metric: "eid.collected") { target } } } }`;
    const mine = ok(await gql(t, page, { k: campaign }, officer.token));
    expect(mine.units.nodes.map((n: any) => n.code)).toEqual(['FA2']);
    expect(mine.units.nodes[0].progress.value).toBe(6 * 215);
    const other = await gql(t, `{ unitByCode(code: "FB") { children { nodes { code progress(metric: "eid.collected") { value } } } } }`, {}, officer.token);
    expect(other.data?.unitByCode ?? null).toBeNull();
    expect(codeOf(other)).toBe('NOT_FOUND');
    const province = await gql(t, `{ unitByCode(code: "FA") { children { nodes { code progress(metric: "eid.collected") { value } } } } }`, {}, officer.token);
    expect(province.data?.unitByCode ?? null).toBeNull();
  });
});
