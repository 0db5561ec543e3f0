import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { smallTree } from '../support/factories';

let t: TestApp;
let sys: TestPrincipal;
let admin: TestPrincipal;

const CREATE = `mutation($input: CreateMetricInput!) { createMetric(input: $input) { metric { id code nameVi nameEn description group reportingLevel } } }`;
const UPDATE = `mutation($input: UpdateMetricInput!) { updateMetric(input: $input) { metric { code nameVi nameEn description } } }`;
const count = async () => (await t.sql<{ n: number }>('select count(*)::int as n from metric'))[0].n;

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P1' }]);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
});
afterAll(() => t?.close());

describe('metric catalogue administration', () => {
  const input = { code: 'service.portal_accounts', nameVi: 'Tài khoản Cổng DVC quốc gia', nameEn: 'National portal accounts', group: 'SERVICE' };

  it('SYSTEM_ADMIN adds a metric; codes are unique (CONFLICT) and well-formed (BAD_USER_INPUT)', async () => {
    const m = ok(await gql(t, CREATE, { input }, sys.token)).createMetric.metric;
    expect(m).toMatchObject({ code: 'service.portal_accounts', group: 'SERVICE', reportingLevel: 'HAMLET', description: '' });
    const n = await count();
    expect(codeOf(await gql(t, CREATE, { input }, sys.token))).toBe('CONFLICT');
    for (const code of ['Service.Portal', 'portal', 'service.', 'service.portal-accounts', 'a.b__c']) {
      const res = await gql(t, CREATE, { input: { ...input, code } }, sys.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions.fieldPaths).toEqual(['input.code']);
    }
    expect(await count()).toBe(n);
    const [a] = await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'metric.create'`);
    expect(a.n).toBe(1);
  });

  it('updates names and description only; the code stays', async () => {
    const m = ok(await gql(t, UPDATE, { input: { code: 'service.portal_accounts', nameEn: 'Portal accounts', description: 'Cumulative.' } }, sys.token));
    expect(m.updateMetric.metric).toEqual({ code: 'service.portal_accounts', nameVi: input.nameVi, nameEn: 'Portal accounts', description: 'Cumulative.' });
    expect(codeOf(await gql(t, UPDATE, { input: { code: 'nope.nope', nameEn: 'x' } }, sys.token))).toBe('NOT_FOUND');
  });

  it('is refused to ADMINs (FORBIDDEN), nothing written', async () => {
    const n = await count();
    expect(codeOf(await gql(t, CREATE, { input: { ...input, code: 'service.other' } }, admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, UPDATE, { input: { code: 'eid.activated', nameEn: 'hacked' } }, admin.token))).toBe('FORBIDDEN');
    expect(await count()).toBe(n);
    const [row] = await t.sql<{ name_en: string }>(`select name_en from metric where code = 'eid.activated'`);
    expect(row.name_en).toBe('Accounts activated');
  });
});
