import http from 'node:http';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { toGlobalId } from '../../src/common/global-id';
import { gridTree, REPORT } from '../progress/support';

/* The figures export for integrators: rows, jurisdiction, formats, refusals, and memory bounded by backpressure. */
let t: TestApp;
let ids: Record<string, number>;
let admin: TestPrincipal;
let key: string;

const exportUrl = (q: string) => `${t.base}/exports/figures?${q}`;
const get = (q: string, credential = key, headers: Record<string, string> = {}) => fetch(exportUrl(q), { headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers } });

beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A', 'B'], 1, 2, 3);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  const report = (code: string, asOf: string, values: [string, number][]) =>
    gql(t, REPORT, { input: { unitId: toGlobalId('Unit', ids[code]), asOf, values: values.map(([metric, value]) => ({ metric, value })) } }, admin.token).then(ok);
  await report('A1a-1', '2023-06-01', [['eid.collected', 30], ['eid.activated', 10]]);
  await report('A1a-1', '2023-06-20', [['eid.collected', 50], ['eid.activated', 20]]);
  await report('A1b-2', '2023-06-05', [['eid.collected', 7]]);
  await report('B1a-1', '2023-06-05', [['eid.collected', 99]]);
  // An integrator: a service account with a VIEWER grant at province A and an API key.
  const created = ok(await gql(t, `mutation($u: ID!) { createServiceAccount(input: { name: "Kho dữ liệu tỉnh A", homeUnitId: $u }) { principal { id } } }`, { u: toGlobalId('Unit', ids.A) }, admin.token));
  const service = created.createServiceAccount.principal.id;
  ok(await gql(t, `mutation($p: ID!, $u: ID!) { grantRole(input: { principalId: $p, role: VIEWER, unitId: $u }) { grant { id } } }`, { p: service, u: toGlobalId('Unit', ids.A) }, admin.token));
  key = ok(await gql(t, `mutation($p: ID!) { createApiKey(input: { principalId: $p, name: "export" }) { key } }`, { p: service }, admin.token)).createApiKey.key;
});
afterAll(() => t?.close());

describe('GET /exports/figures', () => {
  it('streams every unit of the level in the key\'s jurisdiction with its figures as of the day (CSV)', async () => {
    const res = await get('level=HAMLET&asOf=2023-06-10&metrics=eid.collected,eid.activated');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('figures-hamlet-2023-06-10.csv');
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('unit_id,unit_code,unit_name,parent_code,level,as_of,eid.collected,eid.activated');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[1])).toEqual(['A1a-1', 'A1a-2', 'A1a-3', 'A1b-1', 'A1b-2', 'A1b-3']); // B's hamlets are not in A's jurisdiction
    expect(rows[0]).toEqual([toGlobalId('Unit', ids['A1a-1']), 'A1a-1', 'Thôn A1a-1', 'A1a', 'HAMLET', '2023-06-10', '30', '10']);
    expect(rows[4].slice(6)).toEqual(['7', '0']);
  });

  it('answers NDJSON with rollups at higher levels, as of another day', async () => {
    const res = await get('level=COMMUNE&asOf=2023-06-30&format=ndjson');
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const rows = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.unitCode, r.figures])).toEqual([
      ['A1a', { 'eid.collected': 50, 'eid.approved': 0, 'eid.activated': 20 }],
      ['A1b', { 'eid.collected': 7, 'eid.approved': 0, 'eid.activated': 0 }],
    ]);
  });

  it('refuses without credentials (401 with a challenge) and names bad parameters (400), writing nothing', async () => {
    const anonymous = await get('level=HAMLET', '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const revokedLike = await get('level=HAMLET', 'p06_abcdefgh_' + 'x'.repeat(40));
    expect(revokedLike.status).toBe(401);
    expect(((await revokedLike.json()) as any).errors[0].extensions.reason).toBe('API_KEY_INVALID');
    const bad = await get('level=PLANET&asOf=2023-02-30&format=xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.fieldPaths.sort()).toEqual(['asOf', 'format', 'level']);
    const unknown = await get('level=HAMLET&metrics=no.such');
    expect(unknown.status).toBe(400);
  });

  it('streams a large export in bounded memory: the server stops fetching while the client does not read', async () => {
    // 100,000 more hamlets under A1a, in one statement.
    await t.sql(
      `insert into admin_unit (code, name, kind, level, parent_id, path, valid_from, created_at, updated_at)
       select 'X' || lpad(g::text, 6, '0'), 'Thôn X' || g, 'thôn', 'HAMLET', c.id, c.path || (nextval(pg_get_serial_sequence('admin_unit', 'id')))::text, '2020-01-01', now(), now()
         from admin_unit c cross join generate_series(1, 100000) g where c.code = 'A1a'`,
    );
    const total = 100_006;
    const rowsMetric = async () => {
      const text = await (await fetch(`${t.base}/metrics`)).text();
      return Number(/^vneid_export_rows_total (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const before = await rowsMetric();
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(exportUrl('level=HAMLET&asOf=2023-06-30&format=ndjson'), { headers: { authorization: `Bearer ${key}` } }, resolve).on('error', reject));
    expect(res.statusCode).toBe(200);
    res.pause(); // the client reads nothing: TCP fills up, the server's writes stop draining
    await new Promise((r) => setTimeout(r, 2000));
    const fetchedWhilePaused = (await rowsMetric()) - before;
    // what socket buffers hold (a few MB), not the ~20 MB of the whole export
    expect(fetchedWhilePaused).toBeLessThan(total / 2);
    const started = Date.now();
    let bytes = 0;
    let lines = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    });
    res.resume();
    await new Promise((r) => res.on('end', r));
    const seconds = (Date.now() - started) / 1000;
    expect(lines).toBe(total);
    expect((await rowsMetric()) - before).toBe(total);
    // eslint-disable-next-line no-console
    console.log(`export: ${total} rows, ${Math.round(bytes / 1048576)} MiB; ${fetchedWhilePaused} fetched while paused; then ${Math.round((total - fetchedWhilePaused) / seconds)} rows/s`);
  });

  it('measures the export rate (printed, not asserted: timing is never a test)', async () => {
    const started = Date.now();
    const res = await get('level=HAMLET&asOf=2023-06-30', key, {});
    const text = await res.text();
    const seconds = (Date.now() - started) / 1000;
    const rows = text.split('\n').length - 2;
    // eslint-disable-next-line no-console
    console.log(`export CSV: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s `);
    expect(rows).toBe(100_006);
  });
});
