import { startTestApp, type TestApp } from '../support/app';
import { gql } from '../support/client';
import { principalWith } from '../support/principals';
import { gridTree } from '../progress/support';
import { toGlobalId } from '../../src/common/global-id';

/*
 * Shutdown drains: what main.ts does on SIGTERM (app.stop(): stop accepting, let in-flight requests finish,
 * then close the database) must not lose an acknowledged write. Requests still in flight when the
 * server stops accepting complete; every report the API acknowledged is in the database afterwards.
 */
let t: TestApp;
let closed = false;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  if (!closed) await t?.close();
});

it('every write acknowledged before the stop is in the database', async () => {
  const ids = await gridTree(t, ['A'], 2, 2, 5);
  const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
  const hamlets = Object.keys(ids).filter((c) => c.includes('-'));
  const REPORT = `mutation($input: ReportProgressInput!) { reportProgress(input: $input) { changed } }`;
  const inFlight = hamlets.map((code, i) =>
    gql(t, REPORT, { input: { unitId: toGlobalId('Unit', ids[code]), asOf: '2023-06-01', values: [{ metric: 'eid.collected', value: 10 + i }] } }, officer.token)
      .then((r) => ({ code, value: 10 + i, ok: !r.errors && r.data?.reportProgress?.changed === 1 }))
      .catch(() => ({ code, value: 10 + i, ok: false })),
  );
  await Promise.race(inFlight); // stop while the others are still being served
  const dbUrl = t.dbUrl;
  const stopping = t.app.stop(); // what the SIGTERM handler runs
  const results = await Promise.all(inFlight);
  await stopping;
  closed = true;

  const acknowledged = results.filter((r) => r.ok);
  expect(acknowledged.length).toBeGreaterThan(1); // requests still in flight when the stop began were served
  const { Client } = await import('pg');
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const rows = (await c.query(`select u.code, r.value::int as value from progress_report r join admin_unit u on u.id = r.unit_id`)).rows as { code: string; value: number }[];
    const stored = new Map(rows.map((r) => [r.code, r.value]));
    for (const a of acknowledged) expect([a.code, stored.get(a.code)]).toEqual([a.code, a.value]);
    // Rollups agree with what was stored, write by write.
    const [{ total }] = (await c.query(`select coalesce(sum(value), 0)::int as total from rollup_total t join admin_unit u on u.id = t.unit_id where u.code = 'A' and t.metric = 'eid.collected'`)).rows;
    expect(total).toBe(rows.reduce((s, r) => s + r.value, 0));
  } finally {
    await c.end();
    await t.close().catch(() => {});
  }
});
