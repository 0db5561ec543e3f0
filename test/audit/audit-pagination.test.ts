import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { principalWith, type TestPrincipal } from '../support/principals';
import { userWith } from '../support/accounts';

let t: TestApp;
let admin: TestPrincipal;
let outsider: TestPrincipal;

const PAGE = `query($after: String) { auditLog(first: 3, after: $after, action: "test.event") { totalCount edges { cursor node { objectId } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const addEntries = async (from: number, n: number) => {
  for (let i = from; i < from + n; i++) {
    await t.sql(`insert into audit_entry (action, object_type, object_id, unit_path) select 'test.event', 'Unit', $1, path from admin_unit where code = 'D1'`, [String(i)]);
  }
};
const objectIds = (conn: { edges: { node: { objectId: string } }[] }) => conn.edges.map((e) => Number(Buffer.from(e.node.objectId, 'base64url').toString().split(':')[1]));

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'D1' }]);
  outsider = await principalWith(t, [{ role: 'ADMIN', unit: 'D3' }]);
  await addEntries(1, 7);
});
afterAll(() => t?.close());

describe('auditLog keyset cursors', () => {
  it('new entries at the head do not shift the pages being read', async () => {
    const first = ok(await gql(t, PAGE, {}, admin.token)).auditLog;
    expect(objectIds(first)).toEqual([7, 6, 5]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    await addEntries(8, 4); // an offset cursor would now repeat 5, 6, 7 on the next page
    const second = ok(await gql(t, PAGE, { after: first.pageInfo.endCursor }, admin.token)).auditLog;
    expect(objectIds(second)).toEqual([4, 3, 2]);
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect(second.totalCount).toBe(11);
    const last = ok(await gql(t, PAGE, { after: second.pageInfo.endCursor }, admin.token)).auditLog;
    expect(objectIds(last)).toEqual([1]);
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('the cursor carries the sort key, not a position', async () => {
    const first = ok(await gql(t, PAGE, {}, admin.token)).auditLog;
    const decoded = Buffer.from(first.pageInfo.endCursor, 'base64url').toString();
    const [{ id }] = await t.sql<{ id: string }>(`select id::text from audit_entry where action = 'test.event' and object_id = $1`, [String(objectIds(first)[2])]);
    expect(decoded).toBe(`k:audit|${id}`);
  });

  it('offset cursors and cursors of other connections are refused (BAD_USER_INPUT)', async () => {
    for (const after of [Buffer.from('cursor:2').toString('base64url'), Buffer.from('k:units|5').toString('base64url'), 'garbage', Buffer.from('k:audit|1 or 1=1').toString('base64url')]) {
      const r = await gql(t, PAGE, { after }, admin.token);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].extensions.fieldPaths).toEqual(['after']);
    }
  });

  it('a cursor does not widen the jurisdiction: an ADMIN elsewhere sees none of these entries', async () => {
    const first = ok(await gql(t, PAGE, {}, admin.token)).auditLog;
    const other = ok(await gql(t, PAGE, { after: first.pageInfo.endCursor }, outsider.token)).auditLog;
    expect(other).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('principals keyset cursors', () => {
  it('pages by creation order and are not shifted by accounts created meanwhile', async () => {
    for (let i = 0; i < 2; i++) await userWith(t, { home: 'C1', grants: [{ role: 'VIEWER', unit: 'C1' }] });
    const Q = `query($after: String) { principals(first: 1, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`;
    const first = ok(await gql(t, Q, {}, admin.token)).principals;
    await userWith(t, { home: 'C1' });
    const second = ok(await gql(t, Q, { after: first.pageInfo.endCursor }, admin.token)).principals;
    expect(second.edges[0].node.id).not.toBe(first.edges[0].node.id);
    expect(Number(Buffer.from(second.edges[0].node.id, 'base64url').toString().split(':')[1])).toBeGreaterThan(Number(Buffer.from(first.edges[0].node.id, 'base64url').toString().split(':')[1]));
    expect(Buffer.from(first.pageInfo.endCursor, 'base64url').toString()).toMatch(/^k:principals\|\d+$/);
    expect(codeOf(await gql(t, Q, { after: Buffer.from('cursor:0').toString('base64url') }, admin.token))).toBe('BAD_USER_INPUT');
  });
});
