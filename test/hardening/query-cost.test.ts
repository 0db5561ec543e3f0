import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree } from '../progress/support';

// Default limits (MAX_QUERY_COST, MAX_QUERY_ALIASES …): what production runs.
let t: TestApp;
let viewer: TestPrincipal;
beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B'], 2, 2, 3);
  viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
});
afterAll(() => t?.close());

const aliasedSeries = (n: number, from: string, to: string) =>
  Array.from({ length: n }, (_, i) => `s${i}: series(metric: "eid.collected", from: "${from}", to: "${to}") { date value }`).join(' ');

const alive = async () => {
  expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
  expect(ok(await gql(t, `{ units(level: HAMLET) { totalCount } }`, {}, viewer.token)).units.totalCount).toBe(12);
};

describe('the cost of a query counts what it makes the server produce', () => {
  it('refuses the query that took the process down (100 hamlets × 30 aliased 400-day series), and the API stays up', async () => {
    const crash = `{ units(first: 100, level: HAMLET) { nodes { ${aliasedSeries(30, '2023-01-01', '2024-02-04')} } } }`;
    const r = await gql(t, crash, {}, viewer.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxCost', max: 100_000 });
    // 100 units × 30 series × 400 days × (1 + date + value)
    expect(r.errors![0].extensions.actual).toBeGreaterThan(100 * 30 * 400 * 2);
    expect(r.extensions?.sqlStatements ?? 0).toBeLessThanOrEqual(1); // refused before any resolver ran
    await alive();
  });

  it('a tenth of it (10 hamlets) is refused too: a series costs its days, aliases multiply', async () => {
    const r = await gql(t, `{ units(first: 10, level: HAMLET) { nodes { ${aliasedSeries(30, '2023-01-01', '2024-02-04')} } } }`, {}, viewer.token);
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxCost' });
    // The same with 30-day series costs a thirteenth and runs.
    const shorter = ok(await gql(t, `{ units(first: 10, level: HAMLET) { nodes { ${aliasedSeries(30, '2024-01-06', '2024-02-04')} } } }`, {}, viewer.token));
    expect(shorter.units.nodes[0].s29).toHaveLength(30);
  });

  it('dates given as variables are counted the same way', async () => {
    const q = `query($f: Date, $to: Date) { units(first: 100, level: HAMLET) { nodes { ${aliasedSeries(30, 'X', 'Y').replace(/"X"/g, '$f').replace(/"Y"/g, '$to')} } } }`;
    const r = await gql(t, q, { f: '2023-01-01', to: '2024-02-04' }, viewer.token);
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxCost' });
  });

  it('a verdict remembered for one request never lets a costlier one of the same document through', async () => {
    const series = aliasedSeries(30, 'X', 'Y').replace(/"X"/g, '$f').replace(/"Y"/g, '$to').replace(/"eid\.collected"/g, '$m');
    const q = `query($f: Date = "2023-01-01", $to: Date, $m: String!) { units(first: 10, level: HAMLET) { nodes { ${series} } } }`;
    // Variables that do not change the cost (the metric) share the verdict; the dates do not.
    ok(await gql(t, q, { f: '2024-01-06', to: '2024-02-04', m: 'eid.collected' }, viewer.token));
    ok(await gql(t, q, { f: '2024-01-06', to: '2024-02-04', m: 'eid.approved' }, viewer.token));
    expect((await gql(t, q, { f: '2023-01-01', to: '2024-02-04', m: 'eid.approved' }, viewer.token)).errors![0].extensions).toMatchObject({ limit: 'maxCost' });
    // A null `from` is the 30 days up to `to`; an absent one is its default, a year earlier.
    ok(await gql(t, q, { f: null, to: '2024-02-04', m: 'eid.collected' }, viewer.token));
    expect((await gql(t, q, { to: '2024-02-04', m: 'eid.collected' }, viewer.token)).errors![0].extensions).toMatchObject({ limit: 'maxCost' });
  });

  it('normal dashboards pass: a page of 100 units with a 30-day series, or one unit with a year', async () => {
    const page = ok(await gql(t, `{ units(first: 100, level: HAMLET) { nodes { code series(metric: "eid.collected") { date value } progress(metric: "eid.collected") { value } } } }`, {}, viewer.token));
    expect(page.units.nodes).toHaveLength(12);
    const year = ok(await gql(t, `{ unitByCode(code: "A") { series(metric: "eid.collected", from: "2024-01-01", to: "2024-12-31") { date } } }`, {}, viewer.token));
    expect(year.unitByCode.series).toHaveLength(366);
  });
});

describe('responses have a size bound', () => {
  let small: TestApp;
  let reader: TestPrincipal;
  beforeAll(async () => {
    small = await startTestApp({ MAX_RESPONSE_BYTES: '4096' });
    await gridTree(small, ['A'], 3, 3, 3);
    reader = await principalWith(small, [{ role: 'VIEWER', unit: 'A' }]);
  });
  afterAll(() => small?.close());

  it('a response over MAX_RESPONSE_BYTES is replaced by a typed error naming the limit; smaller ones pass', async () => {
    const big = await gql(small, `{ units(first: 100) { nodes { id code name kind level series(metric: "eid.collected") { date value } } } }`, {}, reader.token);
    expect(codeOf(big)).toBe('BAD_REQUEST');
    expect(big.errors![0].extensions).toMatchObject({ limit: 'maxResponseBytes', max: 4096 });
    expect(big.errors![0].extensions.actual).toBeGreaterThan(4096);
    expect(big.errors![0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(big.data).toBeNull();
    expect(ok(await gql(small, `{ units(first: 5) { nodes { code } } }`, {}, reader.token)).units.nodes).toHaveLength(5);
  });
});
