import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { insertUnits } from '../support/factories';

/*
 * Reads outside transactions pass lists as one PostgreSQL array literal (src/db/prepared.ts pgArray): a code holding
 * the literal's own syntax (quotes, backslashes, braces, commas) must still name exactly that unit, and never widen
 * or break the read.
 */
let t: TestApp;
const CODES = ['AP"1', 'AP\\2', 'AP{3}', 'AP,4', 'AP 5'];
beforeAll(async () => {
  t = await startTestApp();
  await insertUnits(t, [
    { code: 'AP', name: 'Tỉnh mảng', kind: 'tỉnh', level: 'PROVINCE' },
    ...CODES.map((code) => ({ code, name: `Huyện ${code}`, kind: 'huyện', level: 'DISTRICT' as const, parent: 'AP' })),
    { code: 'OTHER', name: 'Tỉnh khác', kind: 'tỉnh', level: 'PROVINCE' },
  ]);
});
afterAll(() => t?.close());

describe('list parameters', () => {
  it('find units by codes holding array-literal syntax, and only those', async () => {
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'AP' }]);
    for (const code of CODES) {
      expect(ok(await gql(t, `query($c: String!) { unitByCode(code: $c) { code name } }`, { c: code }, viewer.token)).unitByCode).toEqual({ code, name: `Huyện ${code}` });
    }
    // The same syntax cannot reach a unit outside the caller's jurisdiction.
    expect(codeOf(await gql(t, `query($c: String!) { unitByCode(code: $c) { code } }`, { c: 'OTHER' }, viewer.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `query($c: String!) { unitByCode(code: $c) { code } }`, { c: 'AP","OTHER' }, viewer.token))).toBe('NOT_FOUND');
    const children = ok(await gql(t, `{ unitByCode(code: "AP") { children(first: 20) { totalCount nodes { code } } } }`, {}, viewer.token)).unitByCode.children;
    expect(children.totalCount).toBe(CODES.length);
    expect(children.nodes.map((n: { code: string }) => n.code).sort()).toEqual([...CODES].sort());
  });
});
