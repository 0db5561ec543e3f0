import type { TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { insertUnits, type UnitSpec } from '../support/factories';
import { toGlobalId } from '../../src/common/global-id';

/**
 * Province TP → district TD → commune TC (6 hamlets TC-1..TC-6) and commune TC2 (hamlet TC2-1);
 * another province OP → OD → OC (hamlet OC-1). Returns ids by code.
 */
export async function teamTree(t: TestApp): Promise<Record<string, number>> {
  const units: UnitSpec[] = [
    { code: 'TP', name: 'Tỉnh Đồng Nai', kind: 'tỉnh', level: 'PROVINCE' },
    { code: 'TD', name: 'Huyện Trảng Bom', kind: 'huyện', level: 'DISTRICT', parent: 'TP' },
    { code: 'TC', name: 'Xã Bắc Sơn', kind: 'xã', level: 'COMMUNE', parent: 'TD' },
    ...[1, 2, 3, 4, 5, 6].map((n) => ({ code: `TC-${n}`, name: `Ấp ${n}`, kind: 'ấp', level: 'HAMLET' as const, parent: 'TC' })),
    { code: 'TC2', name: 'Xã Hố Nai 3', kind: 'xã', level: 'COMMUNE', parent: 'TD' },
    { code: 'TC2-1', name: 'Ấp Hố Nai', kind: 'ấp', level: 'HAMLET', parent: 'TC2' },
    { code: 'OP', name: 'Tỉnh Quảng Nam', kind: 'tỉnh', level: 'PROVINCE' },
    { code: 'OD', name: 'Huyện Núi Thành', kind: 'huyện', level: 'DISTRICT', parent: 'OP' },
    { code: 'OC', name: 'Xã Tam Tiến', kind: 'xã', level: 'COMMUNE', parent: 'OD' },
    { code: 'OC-1', name: 'Thôn Phú Tân', kind: 'thôn', level: 'HAMLET', parent: 'OC' },
  ];
  return insertUnits(t, units);
}

export const gid = (type: string, id: number) => toGlobalId(type, id);

/** A campaign scoped at a unit (period 2023-09-01 → 2023-11-30, eid.activated and eid.collected), inserted directly. */
export async function insertCampaign(t: TestApp, scopeUnitId: number, opts: { status?: string; min?: number } = {}): Promise<number> {
  const [{ id }] = await t.sql<{ id: number }>(
    `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
     values ('Cao điểm 90 ngày đêm', '', $1, '2023-09-01', '2023-11-30', $2, $3, now(), now()) returning id`,
    [scopeUnitId, opts.status ?? 'ACTIVE', opts.min ?? 5],
  );
  await t.sql(
    `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode) values ($1, 'eid.activated', 'CUMULATIVE', 'STRICT'), ($1, 'eid.collected', 'CUMULATIVE', 'STRICT')`,
    [id],
  );
  return id;
}

/** A snapshot of everything the teams feature stores (and the audit log), to prove a refusal wrote nothing. */
export async function teamTables(t: TestApp): Promise<string> {
  const parts: unknown[] = [];
  for (const tbl of ['team', 'team_member', 'team_assignment', 'audit_entry']) {
    parts.push(await t.sql(`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${tbl} x`));
  }
  return JSON.stringify(parts);
}

export const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name kind active unit { code } } } }`;
export const ADD_MEMBER = `mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { member { id fullName phone isLeader organisation role } team { id } } }`;
export const ASSIGN = `mutation($input: AssignTeamInput!) { assignTeam(input: $input) {
  team { id } assignments { id task status startDate dueDate hamlet { code } expectedResults { metric target } responsibleMember { fullName } campaign { id } } } }`;

export async function createTeam(t: TestApp, token: string, unitId: number, name = 'Tổ Đoàn thanh niên', kind = 'YOUTH_UNION'): Promise<string> {
  return ok(await gql(t, CREATE_TEAM, { input: { unitId: gid('Unit', unitId), name, kind } }, token)).createTeam.team.id;
}

export async function addMember(t: TestApp, token: string, teamId: string, extra: Record<string, unknown> = {}): Promise<string> {
  return ok(await gql(t, ADD_MEMBER, { input: { teamId, fullName: 'Nguyễn Văn An', phone: '0912 345 678', ...extra } }, token)).addTeamMember.member.id;
}

export function assignInput(teamId: string, campaignId: number, hamletIds: number[], memberId: string, extra: Record<string, unknown> = {}) {
  return {
    teamId,
    campaignId: gid('Campaign', campaignId),
    hamletIds: hamletIds.map((h) => gid('Unit', h)),
    task: 'Đến từng nhà, rà soát từng người chưa kích hoạt',
    responsibleMemberId: memberId,
    startDate: '2023-09-05',
    dueDate: '2023-10-05',
    expectedResults: [{ metric: 'eid.activated', target: 120 }],
    ...extra,
  };
}
