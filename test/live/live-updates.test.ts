import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { loadConfig } from '../../src/config';
import { createApp, type App } from '../../src/app';
import { toGlobalId } from '../../src/common/global-id';
import { gridTree, REPORT } from '../progress/support';
import { subscribe } from './sse-client';
import { exportPKCS8, generateKeyPair } from 'jose';

/*
 * Live updates across instances: subscribers on instance B hear of reports written through instance A
 * (PostgreSQL LISTEN/NOTIFY), only for units they may see, coalesced, and lose the stream with their session.
 */
let a: TestApp;
let b: App;
let bDir: string;
let ids: Record<string, number>;
let officer: TestPrincipal; // OFFICER at A1 (writes)
let viewer: TestPrincipal; // VIEWER at A1a (reads)
let otherViewer: TestPrincipal; // VIEWER at B1

const FIGURES = `subscription($u: [ID!]!, $m: [String!]) { unitFiguresChanged(unitIds: $u, metrics: $m) { unit { code progress(metric: "eid.collected") { value } } metrics } }`;
const STANDINGS = `subscription($c: ID!) { campaignStandingsChanged(campaignId: $c) { campaign { name } metrics units { code } } }`;
const gid = (code: string) => toGlobalId('Unit', ids[code]);
const streamUrl = (app: { url: string }) => `${app.url}/stream`;
const report = (code: string, asOf: string, value: number, token = officer.token, metric = 'eid.collected') =>
  gql(a, REPORT, { input: { unitId: gid(code), asOf, values: [{ metric, value }] } }, token).then(ok);

beforeAll(async () => {
  // Instances share the signing key, as production instances do (JWT_PRIVATE_KEY).
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const JWT_PRIVATE_KEY = await exportPKCS8(privateKey);
  a = await startTestApp({ LIVE_COALESCE_MS: '400', JWT_PRIVATE_KEY });
  bDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-test-b-'));
  b = await createApp(loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: bDir, DATABASE_URL: a.dbUrl, LOG_LEVEL: 'silent', JWT_PRIVATE_KEY, LIVE_COALESCE_MS: '2000', LIVE_MAX_STREAMS_PER_PRINCIPAL: '3' }), a.dbUrl);
  ids = await gridTree(a, ['A', 'B'], 1, 2, 2);
  officer = await principalWith(a, [{ role: 'OFFICER', unit: 'A1' }]);
  viewer = await principalWith(a, [{ role: 'VIEWER', unit: 'A1a' }]);
  otherViewer = await principalWith(a, [{ role: 'VIEWER', unit: 'B1' }]);
}, 120_000);
afterAll(async () => {
  await b?.stop();
  fs.rmSync(bDir, { recursive: true, force: true });
  await a?.close();
});

describe('unitFiguresChanged', () => {
  it('a report written through instance A reaches a subscriber on instance B, with the new figure', async () => {
    const s = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a')] }, viewer.token);
    expect(s.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // the subscription is registered once the stream is open
    await report('A1a-1', '2023-06-01', 40);
    await s.waitFor(1);
    expect(s.events[0]).toEqual({ data: { unitFiguresChanged: { unit: { code: 'A1a', progress: { value: 40 } }, metrics: ['eid.collected'] } } });
    s.close();
  });

  it('coalesces a burst of reports into at most one event per unit per window', async () => {
    const s = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a'), gid('A1a-2')] }, viewer.token);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => report('A1a-2', `2023-05-0${i}`, i * 10)));
    const burst = Date.now() - started;
    await s.waitFor(1);
    await new Promise((r) => setTimeout(r, 2500)); // let any trailing batch arrive
    const perUnit = (code: string) => s.events.filter((e) => e.data?.unitFiguresChanged.unit.code === code);
    // six transactions: the first batch goes at once, later changes are merged until the window (2 s on B) has passed
    const atMost = 1 + Math.ceil(burst / 2000);
    expect(atMost).toBeLessThan(6); // else this machine is too slow for the burst to be a burst
    expect(perUnit('A1a-2').length).toBeLessThanOrEqual(atMost);
    expect(perUnit('A1a').length).toBeLessThanOrEqual(atMost);
    expect(perUnit('A1a-2').at(-1)!.data.unitFiguresChanged.unit.progress.value).toBe(60); // the latest figure (as of today)
    s.close();
  });

  it('filters by metric', async () => {
    const s = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a')], m: ['eid.activated'] }, viewer.token);
    await new Promise((r) => setTimeout(r, 200));
    await report('A1a-1', '2023-06-02', 50); // collected: not asked for
    await report('A1a-1', '2023-06-02', 5, officer.token, 'eid.activated');
    await s.waitFor(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(s.events.map((e) => e.data.unitFiguresChanged.metrics)).toEqual([['eid.activated']]);
    s.close();
  });

  it('refuses units outside the jurisdiction at subscribe (NOT_FOUND) and unknown metrics (BAD_USER_INPUT)', async () => {
    const s = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a')] }, otherViewer.token);
    await s.waitFor(1);
    expect(s.events[0].errors![0].extensions.code).toBe('NOT_FOUND');
    const m = await subscribe(streamUrl(b), FIGURES, { u: [gid('B1')], m: ['no.such'] }, otherViewer.token);
    await m.waitFor(1);
    expect(m.events[0].errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('needs credentials at connect (401 with a challenge), and only subscriptions', async () => {
    const anonymous = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a')] });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(anonymous.json.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
    const query = await subscribe(streamUrl(b), '{ units { totalCount } }', {}, viewer.token);
    expect(query.status).toBe(400);
    // and /graphql says where subscriptions live instead of failing
    const wrongPlace = await gql(a, FIGURES, { u: [gid('A1a')] }, viewer.token);
    expect(wrongPlace.errors!.map((e) => e.message).join(' ')).toMatch(/\/graphql\/stream/);
  });

  it('bounds the streams of one principal', async () => {
    const streams = await Promise.all([1, 2, 3].map(() => subscribe(streamUrl(b), FIGURES, { u: [gid('B1')] }, otherViewer.token)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await subscribe(streamUrl(b), FIGURES, { u: [gid('B1')] }, otherViewer.token);
    expect(fourth.status).toBe(429);
    streams.forEach((s) => s.close());
  });

  it('ends the stream when the session is revoked, telling why', async () => {
    const p = await principalWith(a, [{ role: 'VIEWER', unit: 'A1a' }]);
    const s = await subscribe(streamUrl(b), FIGURES, { u: [gid('A1a')] }, p.token);
    await new Promise((r) => setTimeout(r, 200));
    await a.sql(`update refresh_session set revoked_at = now() where principal_id = $1`, [p.id]);
    await report('A1a-1', '2023-06-03', 70);
    await s.waitFor(1);
    await s.ended;
    expect(s.events.at(-1)!.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  });
});

describe('campaignStandingsChanged', () => {
  it("sends only changes inside the caller's jurisdiction: an event for an invisible unit never reaches the client", async () => {
    const [{ id: campaign }] = await a.sql<{ id: number }>(
      `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
       values ('Live', '', null, '2023-01-01', '2023-12-31', 'ACTIVE', 1, now(), now()) returning id`,
    );
    await a.sql(`insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode) values ($1, 'eid.collected', 'CUMULATIVE', 'STRICT')`, [campaign]);
    const narrow = await principalWith(a, [{ role: 'VIEWER', unit: 'A1b' }]);
    const writerB = await principalWith(a, [{ role: 'OFFICER', unit: 'B' }]);
    const s = await subscribe(streamUrl(b), STANDINGS, { c: toGlobalId('Campaign', campaign) }, narrow.token);
    expect(s.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    await report('A1a-1', '2023-07-01', 90); // A1a: not visible to a VIEWER at A1b
    await gql(a, REPORT, { input: { unitId: gid('B1a-1'), asOf: '2023-07-01', values: [{ metric: 'eid.collected', value: 5 }] } }, writerB.token).then(ok);
    await new Promise((r) => setTimeout(r, 900));
    expect(s.events).toEqual([]);
    await report('A1b-2', '2023-07-01', 12);
    await s.waitFor(1);
    expect(s.events[0].data.campaignStandingsChanged).toEqual({ campaign: { name: 'Live' }, metrics: ['eid.collected'], units: expect.arrayContaining([{ code: 'A1b' }, { code: 'A1b-2' }]) });
    expect(s.events[0].data.campaignStandingsChanged.units.map((u: { code: string }) => u.code).sort()).toEqual(['A1b', 'A1b-2']);
    s.close();
  });
});
