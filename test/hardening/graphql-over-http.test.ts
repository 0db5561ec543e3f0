import { serverAudits } from 'graphql-http';
import { startTestApp, type TestApp } from '../support/app';

/* The GraphQL-over-HTTP conformance audit of the graphql-http package, against the real server. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const audits = serverAudits({ url: () => t.url, fetchFn: fetch });

describe('GraphQL over HTTP conformance', () => {
  for (const audit of audits.filter((a) => a.name.startsWith('MUST'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect({ status: result.status, reason: 'reason' in result ? result.reason : undefined }).toEqual({ status: 'ok', reason: undefined });
    });
  }

  it('passes every SHOULD audit (MAY: GET with variables is refused by CSRF prevention without a preflight header)', async () => {
    const should = audits.filter((a) => a.name.startsWith('SHOULD'));
    const results = await Promise.all(should.map(async (a) => ({ audit: a.name, status: (await a.fn()).status })));
    expect(should.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.status !== 'ok').map((r) => r.audit)).toEqual([]);
  });

  it('keeps 4xx for parse failures when the client accepts application/graphql-response+json', async () => {
    const post = (accept: string) => fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: '{"query":"{"}' });
    expect((await post('application/graphql-response+json')).status).toBe(400);
    const legacy = await post('application/json');
    expect(legacy.status).toBe(200);
    expect(((await legacy.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});
