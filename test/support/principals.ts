import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { signAccessToken } from '../../src/auth/tokens';

export interface GrantSpec {
  role: 'SYSTEM_ADMIN' | 'ADMIN' | 'OFFICER' | 'TEAM_LEADER' | 'VIEWER';
  /** Code of the unit the grant is at. */
  unit: string;
  teamId?: number;
}

export interface TestPrincipal {
  id: number;
  token: string;
}

let seq = 0;

/**
 * A principal holding `grants`, signed in through a real session and a real signed access token
 * (the same code path as login), so tests exercise token verification and grant loading.
 */
export async function principalWith(t: TestApp, grants: GrantSpec[], name?: string): Promise<TestPrincipal> {
  const username = `${name ?? grants.map((g) => `${g.role}-${g.unit}`).join('+').toLowerCase()}-${++seq}-${process.pid}`;
  const [{ id }] = await t.sql<{ id: number }>(
    `insert into principal (kind, username, display_name, status, created_at, updated_at) values ('USER', $1, $1, 'ACTIVE', now(), now()) returning id`,
    [username],
  );
  for (const g of grants) {
    await t.sql(
      `insert into "grant" (principal_id, role, unit_id, team_id, created_at) select $1, $2, id, $4, now() from admin_unit where code = $3`,
      [id, g.role, g.unit, g.teamId ?? null],
    );
  }
  const sessionId = randomUUID();
  await t.sql(
    `insert into refresh_session (id, principal_id, token_hash, expires_at, created_at) values ($1, $2, 'test', now() + interval '1 day', now())`,
    [sessionId, id],
  );
  const token = await signAccessToken(t.app.keys, t.app.config, { principalId: id, sessionId });
  return { id, token };
}
