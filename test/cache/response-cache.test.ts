import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, recomputed, REPORT } from '../progress/support';
import { todayInVietnam } from '../../src/common/scalars';

let t: TestApp;
let ids: Record<string, number>;

/** POSTs and also returns whether the answer came from the shared cache. */
async function cached(query: string, variables: Record<string, unknown>, token: string): Promise<{ hit: boolean; body: any }> {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { hit: res.headers.get('x-response-cache') === 'hit', body: await res.json() };
}

const PROVINCES = `{ units(first: 50, level: PROVINCE) { totalCount nodes { code progress(metric: "eid.collected") { value } } } }`;
const BY_CODE = `query($c: String!) { unitByCode(code: $c) { code progress(metric: "eid.collected") { value } } }`;

beforeAll(async () => {
  t = await startTestApp({ DB_POOL_MAX: '20' });
  ids = await gridTree(t, ['A', 'B'], 2, 2, 2);
});
afterAll(() => t?.close());

async function gid(code: string, token: string): Promise<string> {
  return ok(await gql(t, `query($c: String!) { unitByCode(code: $c) { id } }`, { c: code }, token)).unitByCode.id;
}

describe('shared response cache', () => {
  it('serves callers with the same grants from one answer, and never one jurisdiction from another', async () => {
    const a1 = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const a2 = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const ab = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }, { role: 'VIEWER', unit: 'B' }]);

    const first = await cached(PROVINCES, {}, a1.token);
    expect(first.hit).toBe(false);
    expect(first.body.data.units.nodes.map((n: { code: string }) => n.code)).toEqual(['A']);
    const second = await cached(PROVINCES, {}, a2.token);
    expect(second.hit).toBe(true);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.body.extensions.requestId).not.toBe(first.body.extensions.requestId);

    // grants that differ by one unit: a separate answer, both ways round
    const wider = await cached(PROVINCES, {}, ab.token);
    expect(wider.hit).toBe(false);
    expect(wider.body.data.units.nodes.map((n: { code: string }) => n.code).sort()).toEqual(['A', 'B']);
    const bByWide = await cached(BY_CODE, { c: 'B' }, ab.token);
    expect(bByWide.body.data.unitByCode.code).toBe('B');
    const bByNarrow = await cached(BY_CODE, { c: 'B' }, a1.token);
    expect(bByNarrow.hit).toBe(false);
    expect(codeOf(bByNarrow.body)).toBe('NOT_FOUND');
    const again = await cached(PROVINCES, {}, a1.token);
    expect(again.body.data.units.nodes.map((n: { code: string }) => n.code)).toEqual(['A']);
  });

  it('does not share answers about accounts, and answers anonymous callers as before', async () => {
    const admin1 = await principalWith(t, [{ role: 'ADMIN', unit: 'A' }]);
    const admin2 = await principalWith(t, [{ role: 'ADMIN', unit: 'A' }]);
    const ME = `{ me { principal { id username } } }`;
    const m1 = await cached(ME, {}, admin1.token);
    const m2 = await cached(ME, {}, admin2.token);
    expect(m2.hit).toBe(false);
    expect(m2.body.data.me.principal.id).not.toBe(m1.body.data.me.principal.id);
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PROVINCES }) });
    expect(res.headers.get('x-response-cache')).toBeNull();
    expect(codeOf((await res.json()) as never)).toBe('UNAUTHENTICATED');
  });

  it('never serves a figure older than a write its caller saw acknowledged', async () => {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const hamlet = await gid('A1a-1', officer.token);
    const day = todayInVietnam();
    for (const value of [10, 25, 40]) {
      await cached(BY_CODE, { c: 'A' }, viewer.token); // warm the cache with the figure before the write
      ok(await gql(t, REPORT, { input: { unitId: hamlet, asOf: day, values: [{ metric: 'eid.collected', value }], correctionReason: 'sửa' } }, officer.token));
      const after = await cached(BY_CODE, { c: 'A' }, viewer.token);
      expect(after.hit).toBe(false);
      expect(after.body.data.unitByCode.progress.value).toBe(value);
    }
  });

  it('equals the raw reports after concurrent writers and readers', async () => {
    const hamlets = Object.keys(ids).filter((c) => c.startsWith('B') && c.includes('-'));
    const officers: TestPrincipal[] = [];
    for (let i = 0; i < 6; i++) officers.push(await principalWith(t, [{ role: 'OFFICER', unit: 'B' }], `cw${i}`));
    const viewers = [await principalWith(t, [{ role: 'VIEWER', unit: 'B' }]), await principalWith(t, [{ role: 'VIEWER', unit: 'B' }])];
    const gids = await Promise.all(hamlets.map((h) => gid(h, officers[0].token)));
    const DOC = `{ units(first: 50) { nodes { code progress(metric: "eid.collected") { value } } } }`;
    let stop = false;
    const reader = async (v: TestPrincipal) => {
      let reads = 0;
      while (!stop) {
        ok((await cached(DOC, {}, v.token)).body);
        reads++;
      }
      return reads;
    };
    const readers = viewers.map(reader);
    await Promise.all(
      officers.map(async (o, w) => {
        for (let i = 0; i < 10; i++) {
          const h = (w * 7 + i * 3) % gids.length;
          const day = `2024-03-${String(1 + ((w + i) % 20)).padStart(2, '0')}`;
          ok(await gql(t, REPORT, { input: { unitId: gids[h], asOf: day, values: [{ metric: 'eid.collected', value: 100 + w * 10 + i }], correctionReason: 'đồng thời' } }, o.token));
        }
      }),
    );
    stop = true;
    expect((await Promise.all(readers)).every((n) => n > 0)).toBe(true);
    const truth = await recomputed(t, [todayInVietnam()]);
    for (const v of viewers) {
      const nodes = ok<any>((await cached(DOC, {}, v.token)).body).units.nodes as { code: string; progress: { value: number } }[];
      expect(nodes.length).toBeGreaterThan(10);
      for (const n of nodes) expect([n.code, n.progress.value]).toEqual([n.code, truth.get(`${ids[n.code]}|eid.collected|${todayInVietnam()}`)!.value]);
    }
  });

  it('answers a hit like a computed answer: same body shape, headers, request id, statement count, on POST and GET', async () => {
    const v1 = await principalWith(t, [{ role: 'VIEWER', unit: 'B' }]);
    const v2 = await principalWith(t, [{ role: 'VIEWER', unit: 'B' }]);
    const DOC = `query Shape($c: String!) { unitByCode(code: $c) { code name progress(metric: "eid.collected") { value } } }`;
    const post = (token: string) =>
      fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-debug-sql': '1' },
        body: JSON.stringify({ query: DOC, operationName: 'Shape', variables: { c: 'B' } }),
      });
    const miss = await post(v1.token);
    const hit = await post(v2.token);
    expect([miss.headers.get('x-response-cache'), hit.headers.get('x-response-cache')]).toEqual([null, 'hit']);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('content-type')).toBe(miss.headers.get('content-type'));
    const [m, h] = [(await miss.json()) as any, (await hit.json()) as any];
    expect(Object.keys(h)).toEqual(Object.keys(m));
    expect(h.data).toEqual(m.data);
    expect(h.extensions.requestId).toBe(hit.headers.get('x-request-id'));
    expect(m.extensions.sqlStatements).toBeGreaterThan(1);
    expect(h.extensions.sqlStatements).toBe(1); // authentication (with the data version) only

    const asked = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${v2.token}` },
      body: JSON.stringify({ query: DOC, operationName: 'Shape', variables: { c: 'B' } }),
    });
    expect(asked.headers.get('x-response-cache')).toBe('hit');
    expect(asked.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');

    const url = `${t.url}?query=${encodeURIComponent(DOC)}&operationName=Shape&variables=${encodeURIComponent(JSON.stringify({ c: 'B' }))}`;
    const viaGet = await fetch(url, { headers: { authorization: `Bearer ${v1.token}`, 'apollo-require-preflight': '1' } });
    expect(viaGet.headers.get('x-response-cache')).toBe('hit');
    expect(((await viaGet.json()) as any).data).toEqual(m.data);
  });

  it('answers a bad token, a bad body or a cached document with a changed variable as Apollo does', async () => {
    const v = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    await cached(BY_CODE, { c: 'A' }, v.token);
    expect((await cached(BY_CODE, { c: 'A' }, v.token)).hit).toBe(true);
    const forged = await cached(BY_CODE, { c: 'A' }, `${v.token.slice(0, -4)}AAAA`);
    expect([forged.hit, codeOf(forged.body)]).toEqual([false, 'UNAUTHENTICATED']);
    const other = await cached(BY_CODE, { c: 'B' }, v.token);
    expect([other.hit, codeOf(other.body)]).toEqual([false, 'NOT_FOUND']);
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
      body: JSON.stringify({ query: BY_CODE, variables: ['A'] }),
    });
    expect(res.headers.get('x-response-cache')).toBeNull();
    expect(res.status).toBe(400);
  });

  it('computes a new or stale answer once while callers asking the same wait for it', async () => {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
    const viewers = await Promise.all(Array.from({ length: 8 }, () => principalWith(t, [{ role: 'VIEWER', unit: 'A' }])));
    const hamlet = await gid('A2b-1', officer.token);
    const DOC = `query Stampede($c: String!) { unitByCode(code: $c) { code progress(metric: "eid.collected") { value } children(first: 10) { nodes { progress(metric: "eid.collected") { value } } } } }`;
    const first = await Promise.all(viewers.map((v) => cached(DOC, { c: 'A' }, v.token)));
    expect(first.filter((a) => !a.hit)).toHaveLength(1); // a document never asked before: computed once too
    for (const value of [70, 90]) {
      ok(await gql(t, REPORT, { input: { unitId: hamlet, asOf: todayInVietnam(), values: [{ metric: 'eid.collected', value }], correctionReason: 'sửa' } }, officer.token));
      const answers = await Promise.all(viewers.map((v) => cached(DOC, { c: 'A' }, v.token)));
      expect(answers.filter((a) => !a.hit)).toHaveLength(1);
      const values = new Set(answers.map((a) => JSON.stringify(a.body.data)));
      expect(values.size).toBe(1);
      const truth = await recomputed(t, [todayInVietnam()]);
      expect(answers[0].body.data.unitByCode.progress.value).toBe(truth.get(`${ids.A}|eid.collected|${todayInVietnam()}`)!.value);
    }
  });

  it('never answers from the shared cache once the caller lost the grant, the session or the account', async () => {
    const keeper = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const [revoked, loggedOut, disabled] = await Promise.all([0, 1, 2].map(() => principalWith(t, [{ role: 'VIEWER', unit: 'A' }])));
    const DOC = `query Kept($c: String!) { unitByCode(code: $c) { code progress(metric: "eid.collected") { value } } }`;
    await cached(DOC, { c: 'A' }, keeper.token);
    for (const p of [revoked, loggedOut, disabled]) expect((await cached(DOC, { c: 'A' }, p.token)).hit).toBe(true);

    // Changed behind the API's back (t.sql would advance the data version, and every answer would be recomputed):
    // the stored answer stays current, so only the authentication of each request can keep it from them.
    const raw = new Client({ connectionString: t.dbUrl });
    await raw.connect();
    try {
      await raw.query(`delete from "grant" where principal_id = $1`, [revoked.id]);
      await raw.query(`update refresh_session set revoked_at = now() where principal_id = $1`, [loggedOut.id]);
      await raw.query(`update principal set status = 'DISABLED' where id = $1`, [disabled.id]);
    } finally {
      await raw.end();
    }
    expect((await cached(DOC, { c: 'A' }, keeper.token)).hit).toBe(true);
    const noGrant = await cached(DOC, { c: 'A' }, revoked.token);
    expect([noGrant.hit, codeOf(noGrant.body)]).toEqual([false, 'NOT_FOUND']);
    const ended = await cached(DOC, { c: 'A' }, loggedOut.token);
    expect([ended.hit, codeOf(ended.body)]).toEqual([false, 'UNAUTHENTICATED']);
    const off = await cached(DOC, { c: 'A' }, disabled.token);
    expect([off.hit, codeOf(off.body)]).toEqual([false, 'UNAUTHENTICATED']);
  });
});
