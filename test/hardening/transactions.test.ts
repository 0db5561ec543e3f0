import { EntityManager, TransactionContext } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { inTransaction } from '../../src/common/transaction';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { login, userWith } from '../support/accounts';
import { CREATE_TEAM, gid, teamTree } from '../teams/support';

/*
 * Writes run in transactions of the connection (src/common/transaction.ts inTransaction), never through MikroORM's
 * em.transactional or flush: both run inside an AsyncLocalStorage, and on Node 20 the first such run turns promise
 * hooks on for the rest of the process, which every later request pays for (docs/PERFORMANCE.md, uncached reads).
 */
let t: TestApp;
let ids: Record<string, number>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
});
afterAll(() => t?.close());

describe('write transactions', () => {
  it('commit and roll back without MikroORM transaction contexts or flushes', async () => {
    const contexts = jest.spyOn(TransactionContext, 'create');
    const flushes = jest.spyOn(EntityManager.prototype, 'flush');
    try {
      const admin = await userWith(t, { home: 'TD', grants: [{ role: 'OFFICER', unit: 'TD' }] });
      const token = (await login(t, admin.username)).accessToken;
      const input = { unitId: gid('Unit', ids.TC), name: 'Tổ tuyên truyền', kind: 'OTHER' };
      const created = ok(await gql(t, CREATE_TEAM, { input }, token)).createTeam.team;
      expect(created).toMatchObject({ name: 'Tổ tuyên truyền', unit: { code: 'TC' } });
      // Work failing inside the transaction leaves nothing behind.
      const em = t.app.orm.em.fork() as SqlEntityManager;
      await expect(
        inTransaction(em, async (tx) => {
          await tx.execute(`insert into team (unit_id, name, kind, active, created_at, updated_at) values (?, 'Tổ bỏ dở', 'OTHER', true, now(), now())`, [ids.TC]);
          throw new Error('stopped halfway');
        }),
      ).rejects.toThrow('stopped halfway');
      // A write inside another's work joins its transaction: both roll back together.
      await expect(
        inTransaction(em, async (tx) => {
          await tx.execute(`insert into team (unit_id, name, kind, active, created_at, updated_at) values (?, 'Tổ ngoài', 'OTHER', true, now(), now())`, [ids.TC]);
          await inTransaction(tx, (inner) => inner.execute(`insert into team (unit_id, name, kind, active, created_at, updated_at) values (?, 'Tổ trong', 'OTHER', true, now(), now())`, [ids.TC]));
          throw new Error('outer stopped');
        }),
      ).rejects.toThrow('outer stopped');
      const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from team where name in ('Tổ tuyên truyền', 'Tổ bỏ dở', 'Tổ ngoài', 'Tổ trong')`);
      expect(n).toBe(1);
      const [{ audits }] = await t.sql<{ audits: number }>(`select count(*)::int as audits from audit_entry where action = 'team.create' and after->>'name' = 'Tổ tuyên truyền'`);
      expect(audits).toBe(1);
      expect(contexts).not.toHaveBeenCalled();
      expect(flushes).not.toHaveBeenCalled();
    } finally {
      contexts.mockRestore();
      flushes.mockRestore();
    }
  });
});
