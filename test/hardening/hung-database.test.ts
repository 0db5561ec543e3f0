import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { startPausableProxy, type PausableProxy } from '../support/tcp-proxy';
import { gridTree, progressTables, REPORT, unitId } from '../progress/support';

// Small bounds so the test runs in seconds; production defaults are in README (DB_* variables).
const BOUNDS = {
  DB_POOL_MAX: '2',
  DB_STATEMENT_TIMEOUT_MS: '1000',
  DB_ANSWER_TIMEOUT_MS: '2000',
  DB_LOCK_TIMEOUT_MS: '800',
  DB_ACQUIRE_TIMEOUT_MS: '1500',
  DB_CONNECT_TIMEOUT_MS: '1000',
  READINESS_TIMEOUT_MS: '500',
};
/** Generous: the bounds above add up to a few seconds; without them these requests wait as long as the partition. */
const WITHIN_MS = 10_000;

let proxy: PausableProxy;
let t: TestApp;
let officer: TestPrincipal;
let hamlet: string;
beforeAll(async () => {
  proxy = await startPausableProxy(process.env.TEST_PG_ADMIN_URL!);
  t = await startTestApp(BOUNDS, (url) => proxy.route(url));
  await gridTree(t, ['A'], 1, 1, 2);
  officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
  hamlet = await unitId(t, 'A1a-1', officer.token);
});
afterAll(async () => {
  proxy?.resume();
  await t?.close();
  await proxy?.close();
});

/** A GraphQL call that reports how long it took, and gives up (failing the test) only far past the bound. */
async function timed(query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${officer.token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { errors?: { extensions: Record<string, unknown> }[]; data?: unknown };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, ms: performance.now() - started };
}

async function recovered(): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const r = await gql(t, `{ units { totalCount } }`, {}, officer.token);
    if (!r.errors) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

it('a database that stops answering gets a retryable 503 within the bound, for requests holding and awaiting connections, and recovers without restart', async () => {
  ok(await gql(t, `{ units { totalCount } }`, {}, officer.token));
  const before = await progressTables(t);
  proxy.pause();
  try {
    // Pool of 2: some of these hold a connection whose query is never answered, the others wait for one.
    const reads = Array.from({ length: 4 }, (_, i) => timed(`{ units(first: ${i + 1}) { totalCount nodes { code } } }`));
    const write = timed(REPORT, { input: { unitId: hamlet, asOf: '2024-03-01', values: [{ metric: 'eid.collected', value: 7 }] } });
    const readyStarted = performance.now();
    const ready = await fetch(`${t.base}/readyz`, { signal: AbortSignal.timeout(60_000) });
    expect(ready.status).toBe(503);
    expect(performance.now() - readyStarted).toBeLessThan(WITHIN_MS);
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    for (const r of [...(await Promise.all(reads)), await write]) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('2');
      expect(r.body.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(r.ms).toBeLessThan(WITHIN_MS);
    }
  } finally {
    proxy.resume();
  }
  expect(await recovered()).toBe(true);
  expect((await fetch(`${t.base}/readyz`)).status).toBe(200);
  // The write that was cut off left nothing behind, once PostgreSQL saw its connection close.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await progressTables(t)).toBe(before);
  const r = ok(await gql(t, REPORT, { input: { unitId: hamlet, asOf: '2024-03-01', values: [{ metric: 'eid.collected', value: 7 }] } }, officer.token));
  expect(r.reportProgress.changed).toBe(1);
});

it('a lock held elsewhere past DB_LOCK_TIMEOUT_MS is a retryable 503, not an endless wait', async () => {
  await t.sql(`begin`);
  try {
    await t.sql(`lock table admin_unit in access exclusive mode`);
    const r = await timed(`{ units { totalCount } }`);
    expect(r.status).toBe(503);
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(r.ms).toBeLessThan(WITHIN_MS);
  } finally {
    await t.sql(`rollback`);
  }
  ok(await gql(t, `{ units { totalCount } }`, {}, officer.token));
});
