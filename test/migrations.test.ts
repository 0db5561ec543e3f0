import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startTestApp, withDatabase, type TestApp } from './support/app';
import { openOrm } from '../src/db/orm';
import { entityDiff } from '../src/db/schema-diff';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('migrations', () => {
  it('bring the database exactly to what the entities describe (no migration is missing)', async () => {
    expect(await entityDiff(t.app.orm)).toEqual([]);
  });

  it('keep what the entities cannot declare: the rollup series key carries its change (index-only sums)', async () => {
    const [row] = await t.app.orm.em.fork().getConnection().execute<{ def: string }[]>(
      `select pg_get_indexdef(i.indexrelid) as def from pg_index i where i.indrelid = 'rollup_change'::regclass and i.indisprimary`,
    );
    expect(row.def).toMatch(/USING btree \(unit_id, metric, date\) INCLUDE \(change\)$/);
  });

  it('are all recorded as applied, and a second run applies nothing', async () => {
    const migrator = t.app.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    expect(await migrator.up()).toHaveLength(0);
  });
});

describe('grant uniqueness (Migration20261130003000GrantUnique)', () => {
  it('folds duplicate grants made before it into the oldest, then refuses new duplicates', async () => {
    const db = `m_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${db}`);
    const orm = await openOrm(withDatabase(process.env.TEST_PG_ADMIN_URL!, db), 2);
    try {
      await orm.getMigrator().up({ to: 'Migration20261123003000Teams' });
      const sql = (text: string) => orm.em.getConnection().execute(text);
      await sql(`insert into admin_unit (id, code, name, kind, level, path, valid_from, created_at, updated_at) values (1, '01', 'P', 'tỉnh', 'PROVINCE', '1', '2020-01-01', now(), now())`);
      await sql(`insert into principal (id, kind, username, display_name, status, created_at, updated_at) values (1, 'USER', 'a', 'a', 'ACTIVE', now(), now())`);
      await sql(`insert into "grant" (principal_id, role, unit_id, created_at) values
                   (1, 'VIEWER', 1, now()), (1, 'VIEWER', 1, now()), (1, 'OFFICER', 1, now()),
                   (1, 'SYSTEM_ADMIN', null, now()), (1, 'SYSTEM_ADMIN', null, now())`);
      await orm.getMigrator().up();
      expect(await sql(`select id, role from "grant" order by id`)).toEqual([
        { id: 1, role: 'VIEWER' },
        { id: 3, role: 'OFFICER' },
        { id: 4, role: 'SYSTEM_ADMIN' },
      ]);
      await expect(sql(`insert into "grant" (principal_id, role, unit_id, created_at) values (1, 'SYSTEM_ADMIN', null, now())`)).rejects.toThrow(/unique/);
    } finally {
      await orm.close(true);
      await admin.query(`drop database if exists ${db} with (force)`);
      await admin.end();
    }
  });
});
