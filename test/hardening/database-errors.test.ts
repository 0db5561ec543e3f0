import { Client } from 'pg';
import { startTestApp, withDatabase, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, progressTables, REPORT, unitId } from '../progress/support';
import { classifyDatabaseError } from '../../src/db/error-classes';

describe('one classification of database failures', () => {
  const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);
  it.each([
    ['terminating connection due to administrator command', { code: '57P01' }],
    ['Client has encountered a connection error and is not queryable', {}],
    ['Transaction query already complete, run with DEBUG=knex:tx for more info', {}],
    ['read ECONNRESET', { code: 'ECONNRESET' }],
    ['Connection terminated unexpectedly', {}],
    ['Knex: Timeout acquiring a connection. The pool is probably full.', { name: 'KnexTimeoutError' }],
    ['canceling statement due to statement timeout', { code: '57014' }],
    ['canceling statement due to lock timeout', { code: '55P03' }],
    ['sorry, too many clients already', { code: '53300' }],
    ['the database system is starting up', { code: '57P03' }],
    ['timeout expired', {}],
  ])('%s → unavailable', (message, extra) => {
    expect(classifyDatabaseError(err(message, extra))).toBe('unavailable');
    // as MikroORM and GraphQL wrap it
    expect(classifyDatabaseError({ message: 'Context creation failed: x', originalError: { message: 'wrapped', cause: err(message, extra) } })).toBe('unavailable');
  });
  it('a date PostgreSQL cannot hold is bad input; bugs stay unclassified', () => {
    expect(classifyDatabaseError(err('date/time field value out of range: "0000-01-01"', { code: '22008' }))).toBe('badInput');
    expect(classifyDatabaseError(err('duplicate key value violates unique constraint', { code: '23505' }))).toBeUndefined();
    expect(classifyDatabaseError(err('column "x" does not exist', { code: '42703' }))).toBeUndefined();
    expect(classifyDatabaseError(new TypeError('Cannot read properties of undefined'))).toBeUndefined();
  });
});

describe('connections terminated under the API (pg_terminate_backend)', () => {
  let t: TestApp;
  let officer: TestPrincipal;
  let hamlet: string;
  beforeAll(async () => {
    // Long lock waits, so that what cuts the waiting request is the termination, not the lock timeout.
    t = await startTestApp({ DB_LOCK_TIMEOUT_MS: '60000' });
    await gridTree(t, ['A'], 1, 1, 2);
    officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
    hamlet = await unitId(t, 'A1a-1', officer.token);
  });
  afterAll(() => t?.close());

  const dbName = () => new URL(t.dbUrl).pathname.slice(1);
  async function terminate(where: string): Promise<number> {
    const admin = new Client({ connectionString: withDatabase(process.env.TEST_PG_ADMIN_URL!, 'postgres') });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and ${where}`,
        [dbName()],
      );
      return rows.length;
    } finally {
      await admin.end();
    }
  }
  /** Runs `call` while `table` is locked by the test, terminates the API backends waiting on the lock, and returns the answer. */
  async function cutWhileWaiting(table: string, call: () => Promise<Response>): Promise<Response> {
    await t.sql(`begin`);
    try {
      await t.sql(`lock table ${table} in access exclusive mode`);
      const [{ pid }] = await t.sql<{ pid: number }>(`select pg_backend_pid() as pid`);
      const pending = call();
      let cut = 0;
      for (let i = 0; i < 200 && cut === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        cut = await terminate(`wait_event_type = 'Lock' and pid <> ${Number(pid)}`);
      }
      expect(cut).toBeGreaterThan(0);
      return await pending;
    } finally {
      await t.sql(`rollback`);
    }
  }
  const post = (query: string, variables: Record<string, unknown> = {}) => () =>
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${officer.token}` }, body: JSON.stringify({ query, variables }) });
  const expectUnavailable = async (res: Response) => {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfterSeconds: 2 });
  };

  it('a read whose connection is terminated gets 503 + Retry-After, retryable; the next one succeeds', async () => {
    await expectUnavailable(await cutWhileWaiting('admin_unit', post(`{ units { totalCount nodes { code } } }`)));
    expect(ok(await gql(t, `{ units { totalCount } }`, {}, officer.token)).units.totalCount).toBe(5);
  });

  it('a write whose connection is terminated gets 503 and leaves nothing behind; its retry succeeds', async () => {
    const before = await progressTables(t);
    const input = { unitId: hamlet, asOf: '2024-03-01', values: [{ metric: 'eid.collected', value: 11 }] };
    await expectUnavailable(await cutWhileWaiting('progress_report', post(REPORT, { input })));
    expect(await progressTables(t)).toBe(before);
    expect(ok(await gql(t, REPORT, { input }, officer.token)).reportProgress.changed).toBe(1);
  });

  it('idle pooled connections terminated at once: every next request succeeds or is a retryable 503, never a 500', async () => {
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 6 }, () => gql(t, `{ units { totalCount } }`, {}, officer.token)));
      await terminate(`state = 'idle'`);
      const answers = await Promise.all(Array.from({ length: 6 }, () => gql(t, `{ units { totalCount } }`, {}, officer.token)));
      for (const a of answers) {
        if (a.errors) {
          expect(a.status).toBe(503);
          expect(a.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        } else expect(a.data.units.totalCount).toBe(5);
      }
    }
  });
});
