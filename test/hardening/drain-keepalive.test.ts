import { startTestApp, type TestApp } from '../support/app';
import { principalWith } from '../support/principals';
import { gridTree } from '../progress/support';
import { toGlobalId } from '../../src/common/global-id';

/*
 * SIGTERM under keep-alive write load (issue 19, item 2): writers keep sending reports on their open
 * keep-alive connections while the server drains. Every request the server started must be answered:
 * no report may be stored whose request got no answer, and no response may be cut.
 */
let t: TestApp;
let closed = false;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  if (!closed) await t?.close();
});

type Outcome = 'acknowledged' | 'refused' | 'no answer' | 'other';
const REPORT = `mutation($input: ReportProgressInput!) { reportProgress(input: $input) { changed } }`;
const day = (k: number) => new Date(Date.UTC(2023, 0, 1 + k)).toISOString().slice(0, 10);

it('answers every request it accepted while draining, and stores no write it did not acknowledge', async () => {
  const ids = await gridTree(t, ['A'], 2, 2, 5);
  const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
  const hamlets = Object.keys(ids).filter((c) => c.includes('-'));
  const outcomes = new Map<string, Outcome>(); // `${code}|${asOf}` → what the client saw
  let completed = 0;

  const writer = async (code: string): Promise<void> => {
    for (let k = 0; k < 400; k++) {
      const key = `${code}|${day(k)}`;
      let outcome: Outcome;
      try {
        const res = await fetch(t.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${officer.token}` },
          body: JSON.stringify({ query: REPORT, variables: { input: { unitId: toGlobalId('Unit', ids[code]), asOf: day(k), values: [{ metric: 'eid.collected', value: k + 1 }] } } }),
        });
        const body = (await res.json()) as { data?: { reportProgress?: { changed: number } }; errors?: { extensions: { code: string; retryable?: boolean } }[] };
        if (res.status === 200 && body.data?.reportProgress?.changed === 1) outcome = 'acknowledged';
        else if (res.status === 503 && body.errors?.[0].extensions.code === 'SERVICE_UNAVAILABLE' && body.errors[0].extensions.retryable) outcome = 'refused';
        else outcome = 'other';
      } catch {
        outcome = 'no answer'; // connection refused or reset before the server read the request
      }
      outcomes.set(key, outcome);
      completed++;
      if (outcome !== 'acknowledged') return;
    }
  };

  const writers = hamlets.map(writer);
  while (completed < 3 * hamlets.length) await new Promise((r) => setTimeout(r, 10));
  const drained = await t.app.stop(); // what the SIGTERM handler runs, with writers still sending
  await Promise.all(writers);
  closed = true;

  const seen = [...outcomes.values()];
  expect(seen).not.toContain('other');
  expect(drained.unfinished).toBe(0); // no response cut
  const { Client } = await import('pg');
  const c = new Client({ connectionString: t.dbUrl });
  await c.connect();
  try {
    const rows = (await c.query(`select u.code, to_char(r.as_of, 'YYYY-MM-DD') as as_of from progress_report r join admin_unit u on u.id = r.unit_id`)).rows as { code: string; as_of: string }[];
    const stored = new Set(rows.map((r) => `${r.code}|${r.as_of}`));
    const unanswered = [...stored].filter((k) => outcomes.get(k) !== 'acknowledged');
    expect(unanswered).toEqual([]); // nothing committed without an answer
    const lost = [...outcomes].filter(([k, o]) => o === 'acknowledged' && !stored.has(k)).map(([k]) => k);
    expect(lost).toEqual([]); // nothing acknowledged and lost
    expect(seen.filter((o) => o === 'acknowledged').length).toBeGreaterThanOrEqual(3 * hamlets.length - hamlets.length);
  } finally {
    await c.end();
    await t.close().catch(() => {});
  }
});
