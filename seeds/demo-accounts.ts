import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../src/auth/passwords';
import { audit } from '../src/audit/audit';

/** The demo password of every demo account (DEMO ONLY: the embedded mode, never a real deployment). */
export const DEMO_PASSWORD = 'vneid-demo-2025';

/**
 * One demo account per role, at the units of DOMAIN.md; `unit` null = national. A TEAM_LEADER leads `team`,
 * a demo team (seeds/demo-teams.ts) at a hamlet of its unit.
 */
export const DEMO_ACCOUNTS: readonly { username: string; displayName: string; role: string; unit: string | null; team?: string }[] = [
  { username: 'sysadmin', displayName: 'Quản trị hệ thống', role: 'SYSTEM_ADMIN', unit: null },
  { username: 'admin.quangnam', displayName: 'Quản trị Tỉnh Quảng Nam', role: 'ADMIN', unit: '49' },
  { username: 'viewer.quangnam', displayName: 'Theo dõi Tỉnh Quảng Nam', role: 'VIEWER', unit: '49' },
  { username: 'officer.nuithanh', displayName: 'Cán bộ Huyện Núi Thành', role: 'OFFICER', unit: '517' },
  { username: 'officer.tamtien', displayName: 'Cán bộ Xã Tam Tiến', role: 'OFFICER', unit: '20974' },
  { username: 'leader.tamtien', displayName: 'Tổ trưởng Tổ Công an – Thôn 1, Tam Tiến', role: 'TEAM_LEADER', unit: '20974', team: 'Tổ Công an – Thôn 1' },
  { username: 'officer.bacson', displayName: 'Cán bộ Xã Bắc Sơn', role: 'OFFICER', unit: '26269' },
];

/**
 * Creates the demo accounts idempotently (existing usernames are kept as they are). Units are found
 * by code; an account whose unit does not exist yet is skipped and reported.
 */
export async function seedDemoAccounts(em: EntityManager, baseUrl = 'http://localhost:4000/graphql'): Promise<string> {
  const codes = DEMO_ACCOUNTS.flatMap((a) => (a.unit ? [a.unit] : []));
  const units = new Map(
    (await em.execute<{ id: number; code: string }[]>(`select id, code from admin_unit where code in (${codes.map(() => '?').join(',')})`, codes)).map((u) => [u.code, u.id]),
  );
  const existing = new Set(
    (await em.execute<{ username: string }[]>(`select username from principal where username in (${DEMO_ACCOUNTS.map(() => '?').join(',')})`, DEMO_ACCOUNTS.map((a) => a.username))).map(
      (r) => r.username,
    ),
  );
  const lines: string[] = [];
  const skipped: string[] = [];
  let hash: string | undefined;
  for (const a of DEMO_ACCOUNTS) {
    const unitId = a.unit ? units.get(a.unit) : null;
    if (unitId === undefined) {
      skipped.push(`${a.username} (unit ${a.unit} missing)`);
      continue;
    }
    if (!existing.has(a.username)) {
      const [team] = a.team
        ? await em.execute<{ id: number }[]>('select t.id from team t join admin_unit h on h.id = t.unit_id where h.parent_id = ? and t.name = ? order by t.id limit 1', [unitId, a.team])
        : [];
      if (a.team && !team) {
        skipped.push(`${a.username} (team ${a.team} missing)`);
        continue;
      }
      hash ??= await hashPassword(DEMO_PASSWORD);
      const [{ id }] = await em.execute<{ id: number }[]>(
        `insert into principal (kind, username, display_name, password_hash, status, home_unit_id, created_at, updated_at)
         values ('USER', ?, ?, ?, 'ACTIVE', ?, now(), now()) on conflict (username) do nothing returning id`,
        [a.username, a.displayName, hash, unitId],
      );
      if (id) {
        await em.execute(`insert into "grant" (principal_id, role, unit_id, team_id, created_at) values (?, ?, ?, ?, now())`, [id, a.role, unitId, team?.id ?? null]);
        await audit(em, null, [{ action: 'principal.seed_demo', objectType: 'Principal', objectId: id, unitPath: null, after: { username: a.username, role: a.role, unit: a.unit } }]);
      }
    }
    lines.push(`  ${a.username.padEnd(18)} ${a.role.padEnd(13)} ${a.unit ? `unit ${a.unit}` : 'national'}`);
  }
  const curl =
    `curl -s ${baseUrl} -H 'content-type: application/json' ` +
    `-d '{"query":"mutation { login(input: { username: \\"admin.quangnam\\", password: \\"${DEMO_PASSWORD}\\" }) { accessToken refreshToken expiresAt } }"}'`;
  return [
    `Demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...lines,
    ...(skipped.length ? [`  skipped: ${skipped.join(', ')}`] : []),
    'Sign in:',
    `  ${curl}`,
    "Then send 'Authorization: Bearer <accessToken>' with every request.",
  ].join('\n');
}
