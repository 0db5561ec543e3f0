import type { TestApp } from './app';
import { gql, ok } from './client';
import { hashPassword } from '../../src/auth/passwords';
import { toGlobalId } from '../../src/common/global-id';
import type { GrantSpec } from './principals';

export const PASSWORD = 'correct horse battery';

let seq = 0;
let cachedHash: Promise<string> | undefined;

/**
 * A user with a real password (hashed as the API does), a home unit and grants, inserted directly.
 * `grants` with unit '*' make a national (unit-less) grant.
 */
export async function userWith(
  t: TestApp,
  opts: { username?: string; home?: string; grants?: GrantSpec[]; password?: string },
): Promise<{ id: number; gid: string; username: string }> {
  const username = opts.username ?? `user${++seq}-${process.pid}`;
  const hash = opts.password ? await hashPassword(opts.password) : await (cachedHash ??= hashPassword(PASSWORD));
  const [{ id }] = await t.sql<{ id: number }>(
    `insert into principal (kind, username, display_name, status, password_hash, home_unit_id, created_at, updated_at)
     values ('USER', $1, $1, 'ACTIVE', $2, (select id from admin_unit where code = $3), now(), now()) returning id`,
    [username, hash, opts.home ?? null],
  );
  for (const g of opts.grants ?? []) {
    await t.sql(
      `insert into "grant" (principal_id, role, unit_id, team_id, created_at) values ($1, $2, (select id from admin_unit where code = $3), $4, now())`,
      [id, g.role, g.unit === '*' ? null : g.unit, g.teamId ?? null],
    );
  }
  return { id, gid: toGlobalId('Principal', id), username };
}

export const LOGIN = `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) {
  accessToken refreshToken expiresAt principal { id username } } }`;
export const REFRESH = `mutation($r: String!) { refreshSession(input: { refreshToken: $r }) { accessToken refreshToken expiresAt } }`;

export async function login(t: TestApp, username: string, password = PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  return ok(await gql(t, LOGIN, { u: username, p: password })).login;
}

export async function unitGid(t: TestApp, code: string): Promise<string> {
  const [{ id }] = await t.sql<{ id: number }>('select id from admin_unit where code = $1', [code]);
  return toGlobalId('Unit', id);
}
