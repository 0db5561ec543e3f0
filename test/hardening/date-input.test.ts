import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { insertUnits } from '../support/factories';

/* A malformed Date is the client's mistake wherever it is written: BAD_USER_INPUT, and no error-level log line. */
let t: TestApp;
let sys: TestPrincipal;

beforeAll(async () => {
  t = await startTestApp();
  await insertUnits(t, [{ code: 'P', name: 'Tỉnh P', kind: 'tỉnh', level: 'PROVINCE' }]);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P' }]);
});
afterAll(() => t?.close());

describe('a malformed Date', () => {
  it.each([
    ['written in the document', `{ campaigns(first: 5, activeOn: "2023-13-45") { totalCount } }`, {}],
    ['as a non-string literal', `{ campaigns(first: 5, activeOn: 20230101) { totalCount } }`, {}],
    ['as a variable', `query($d: Date) { campaigns(first: 5, activeOn: $d) { totalCount } }`, { d: '2023-13-45' }],
  ])('%s: BAD_USER_INPUT, logged below error level', async (_how, query, variables) => {
    const error = jest.spyOn(t.app.log, 'error');
    try {
      const res = await gql(t, query, variables, sys.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/Date/);
      expect(error).not.toHaveBeenCalled();
    } finally {
      error.mockRestore();
    }
  });

  it('a well-formed one is accepted', async () => {
    expect(codeOf(await gql(t, `{ campaigns(first: 5, activeOn: "2023-12-31") { totalCount } }`, {}, sys.token))).toBeUndefined();
  });
});
