import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith, type TestPrincipal } from './support/principals';
import { smallTree } from './support/factories';

let t: TestApp;
let ids: Record<string, number>;
let national: TestPrincipal;
let p1Viewer: TestPrincipal;
let d1Viewer: TestPrincipal;

const UNIT = `query($id: ID!) { unit(id: $id) { id code name level kind depth retired parent { code } ancestors { code name level } } }`;

beforeAll(async () => {
  t = await startTestApp();
  ids = await smallTree(t);
  national = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P1' }]);
  p1Viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'P1' }]);
  d1Viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'D1' }]);
});
afterAll(() => t?.close());

async function idOf(code: string, token = national.token): Promise<string> {
  return ok(await gql(t, `query($c: String!) { unitByCode(code: $c) { id } }`, { c: code }, token)).unitByCode.id;
}

describe('root lookups are nullable', () => {
  it('a missing or invisible object is null with a NOT_FOUND error at its path; the other root fields still answer', async () => {
    const p2 = await idOf('P2');
    const q = `query($p2: ID!) { mine: unitByCode(code: "D1") { code } other: unit(id: $p2) { code } nothing: unitByCode(code: "nope") { code }
      metric(code: "no.such") { code } node(id: "bm9wZQ") { id } units(first: 1) { totalCount } }`;
    const r = await gql(t, q, { p2 }, d1Viewer.token);
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ mine: { code: 'D1' }, other: null, nothing: null, metric: null, node: null, units: { totalCount: 5 } });
    expect(r.errors!.map((e) => [e.path![0], e.extensions.code]).sort()).toEqual([['metric', 'NOT_FOUND'], ['node', 'NOT_FOUND'], ['nothing', 'NOT_FOUND'], ['other', 'NOT_FOUND']]);
  });
});

describe('reading the tree', () => {
  it('answers a unit by code with its ancestors root first', async () => {
    const id = await idOf('H1');
    const data = ok(await gql(t, UNIT, { id }, d1Viewer.token));
    expect(data.unit).toMatchObject({ code: 'H1', level: 'HAMLET', depth: 4, parent: { code: 'C1' } });
    expect(data.unit.ancestors.map((a: { code: string }) => a.code)).toEqual(['P1', 'D1', 'C1']);
  });

  it('lists children as a connection, filtered by level', async () => {
    const id = await idOf('P1');
    const q = `query($id: ID!) { unit(id: $id) { children(first: 1) { totalCount edges { cursor node { code } } pageInfo { hasNextPage endCursor } }
      districts: descendantCount(level: DISTRICT) all: descendantCount } }`;
    const data = ok(await gql(t, q, { id }, p1Viewer.token));
    expect(data.unit.children.totalCount).toBe(2);
    expect(data.unit.children.edges.map((e: any) => e.node.code)).toEqual(['D1']);
    expect(data.unit.children.pageInfo.hasNextPage).toBe(true);
    expect(data.unit.districts).toBe(2);
    expect(data.unit.all).toBe(6);
  });

  it('finds units accent-insensitively, NFC or NFD', async () => {
    for (const search of ['nui thanh', 'Núi Thành', 'Núi Thành'.normalize('NFD'), 'NUI THÀNH']) {
      const data = ok(await gql(t, `query($s: String) { units(search: $s) { nodes { code } } }`, { s: search }, national.token));
      expect(data.units.nodes.map((n: any) => n.code)).toEqual(['D1']);
    }
  });

  it('pages through units: first page, last page, invalid cursor, oversize page', async () => {
    const q = `query($after: String, $first: Int) { units(first: $first, after: $after) { totalCount nodes { code } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const first = ok(await gql(t, q, { first: 6 }, national.token)).units;
    expect(first.totalCount).toBe(10);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const last = ok(await gql(t, q, { first: 6, after: first.pageInfo.endCursor }, national.token)).units;
    expect(last.nodes).toHaveLength(4);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const all = [...first.nodes, ...last.nodes].map((n: any) => n.code);
    expect(new Set(all).size).toBe(10);
    const bad = await gql(t, q, { after: 'garbage!' }, national.token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions.fieldPaths).toEqual(['after']);
    const big = await gql(t, q, { first: 1000 }, national.token);
    expect(codeOf(big)).toBe('BAD_USER_INPUT');
  });
});

describe('jurisdiction', () => {
  it('hides units outside the subtree: by id, by code, in lists and counts', async () => {
    const other = await idOf('C3');
    expect(codeOf(await gql(t, UNIT, { id: other }, d1Viewer.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `{ unitByCode(code: "C3") { id } }`, {}, d1Viewer.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `query($id: ID!) { node(id: $id) { id } }`, { id: other }, d1Viewer.token))).toBe('NOT_FOUND');
    const list = ok(await gql(t, `{ units(first: 50) { totalCount nodes { code } } }`, {}, d1Viewer.token)).units;
    expect(list.nodes.map((n: any) => n.code).sort()).toEqual(['C1', 'C2', 'D1', 'H1', 'H2']);
    expect(list.totalCount).toBe(5);
  });

  it('refuses anonymous callers', async () => {
    const r = await gql(t, `{ units { totalCount } }`);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
  });

  it('rejects a tampered token', async () => {
    const r = await gql(t, `{ units { totalCount } }`, {}, `${d1Viewer.token.slice(0, -4)}AAAA`);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
  });
});
