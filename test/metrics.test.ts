import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith } from './support/principals';
import { smallTree } from './support/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
});
afterAll(() => t?.close());

describe('metric catalogue', () => {
  it('lists the pipeline in order and the not-yet-activated reasons', async () => {
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'C1' }]);
    const { metrics } = ok(await gql(t, `{ metrics { code group pipelineOrder reportingLevel nameVi } }`, {}, viewer.token));
    const pipeline = metrics.filter((m: any) => m.group === 'PIPELINE').map((m: any) => m.code);
    expect(pipeline).toEqual(['eid.collected', 'eid.approved', 'eid.activated']);
    expect(metrics.filter((m: any) => m.group === 'REASON').length).toBeGreaterThanOrEqual(9);
    expect(metrics.every((m: any) => m.reportingLevel === 'HAMLET')).toBe(true);
    const one = ok(await gql(t, `{ metric(code: "eid.activated") { nameVi } }`, {}, viewer.token));
    expect(one.metric.nameVi).toBe('Tài khoản đã kích hoạt');
    expect(codeOf(await gql(t, `{ metric(code: "nope") { code } }`, {}, viewer.token))).toBe('NOT_FOUND');
  });

  it('is not public: no credentials, no catalogue', async () => {
    expect(codeOf(await gql(t, `{ metrics { code } }`))).toBe('UNAUTHENTICATED');
  });

  it('is refused to a principal without grants', async () => {
    const nobody = await principalWith(t, []);
    expect(codeOf(await gql(t, `{ metrics { code } }`, {}, nobody.token))).toBe('FORBIDDEN');
  });
});
