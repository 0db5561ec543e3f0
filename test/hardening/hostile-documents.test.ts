import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { smallTree } from '../support/factories';

let t: TestApp;
let admin: TestPrincipal;
let errorLogs: jest.SpyInstance;
beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
});
beforeEach(() => (errorLogs = jest.spyOn(t.app.log, 'error')));
afterEach(() => {
  const calls = errorLogs.mock.calls;
  errorLogs.mockRestore();
  // Hostile input is the client's doing: never logged at error level.
  expect(calls).toEqual([]);
});
afterAll(() => t?.close());

const post = (body: unknown, token = admin.token) =>
  fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('hostile input is answered with a typed 4xx', () => {
  it('auditLog(from: "0000-01-01T00:00:00Z"): a year PostgreSQL cannot hold', async () => {
    const literal = await gql(t, `{ auditLog(from: "0000-01-01T00:00:00Z") { totalCount } }`, {}, admin.token);
    expect(literal.status).toBe(400);
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    expect(literal.errors![0].message).toMatch(/years 0001 and 9999/);
    const variable = await gql(t, `query($f: DateTime) { auditLog(from: $f) { totalCount } }`, { f: '0000-01-01T00:00:00Z' }, admin.token);
    expect(variable.status).toBe(400);
    expect(codeOf(variable)).toBe('BAD_USER_INPUT');
    expect(ok(await gql(t, `{ auditLog(from: "0001-01-01T00:00:00Z") { totalCount } }`, {}, admin.token)).auditLog.totalCount).toBeGreaterThanOrEqual(0);
  });

  it('a malformed Date literal is BAD_USER_INPUT, as it is in a variable', async () => {
    const literal = await gql(t, `{ unitByCode(code: "P1") { progress(metric: "eid.collected", asOf: "2023-13-45") { value } } }`, {}, admin.token);
    expect(literal.status).toBe(400);
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    expect(literal.errors![0].message).toMatch(/YYYY-MM-DD/);
    const variable = await gql(t, `query($d: Date) { unitByCode(code: "P1") { progress(metric: "eid.collected", asOf: $d) { value } } }`, { d: '2023-13-45' }, admin.token);
    expect(codeOf(variable)).toBe('BAD_USER_INPUT');
  });

  it('a query over the cost limit is a 400, not a 500', async () => {
    const r = await gql(t, `{ units(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { code } } } } } } }`, {}, admin.token);
    expect(r.status).toBe(400);
    expect(r.errors![0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxCost' });
  });

  it('a document nested 3,000 braces (or brackets) deep is refused before parsing, not with a stack overflow', async () => {
    const braces = `{ ${'a { '.repeat(3000)}b${' }'.repeat(3000)} }`;
    const lists = `{ units(search: ${'['.repeat(3000)}"x"${']'.repeat(3000)}) { totalCount } }`;
    for (const query of [braces, lists]) {
      const res = await post({ query });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', limit: 'maxNesting', max: 64 });
      expect(body.errors[0].message).not.toMatch(/call stack/);
    }
    // Brackets inside strings and comments are text, not nesting.
    const text = '{'.repeat(150) + '[\\"\\\\'.repeat(10); // escaped quotes and backslashes do not end the string
    const r = await gql(t, `query { # ${'['.repeat(100)}\n units(search: "${text}") { totalCount } }`, {}, admin.token);
    expect(ok(r).units.totalCount).toBe(0);
  });

  it('subscriptions are refused as not supported over this transport', async () => {
    const r = await gql(t, `subscription { units { totalCount } }`, {}, admin.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0].message).toMatch(/Subscriptions are not supported over this transport/);
  });

  it('errors echo at most a clipped piece of the input (a 1 MB id gives a short error)', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const byVariable = await gql(t, `query($id: ID!) { node(id: $id) { id } }`, { id: huge }, admin.token);
    const byUnit = await gql(t, `query($id: ID!) { unit(id: $id) { id } }`, { id: huge }, admin.token);
    const byLiteral = await post({ query: `{ unit(id: "${huge}") { id } }` });
    const literalBody = await byLiteral.text();
    const badDate = await gql(t, `query($d: Date) { unitByCode(code: "P1") { progress(metric: "eid.collected", asOf: $d) { value } } }`, { d: huge }, admin.token);
    expect(codeOf(byUnit)).toBe('NOT_FOUND');
    expect(codeOf(badDate)).toBe('BAD_USER_INPUT');
    for (const r of [byVariable, byUnit, badDate]) expect(JSON.stringify(r.errors).length).toBeLessThan(3000);
    expect(literalBody.length).toBeLessThan(3000);
  });
});
