import DataLoader from 'dataloader';
import type { Context } from '../context';
import { scope } from '../common/scoped';
import { unitColumns } from '../units/unit.service';
import * as repo from './team.repo';
import { teamReadScope } from './team.service';

const memo = <V>(map: Map<string, V>, key: string, make: () => V): V => {
  let v = map.get(key);
  if (!v) map.set(key, (v = make()));
  return v;
};

const byKey = <K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): (V | null)[] => {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

const groupBy = <K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): V[][] => keys.map((k) => rows.filter((r) => keyOf(r) === k));

/** Per-request team loaders; every batch runs through the caller's Team jurisdiction (coverage: hamlets by its Unit jurisdiction, teams by its Team one). */
export function createTeamLoaders(ctx: Context) {
  const teamsOfUnit = new Map<string, DataLoader<number, repo.TeamRow[]>>();
  const assignmentsOfTeam = new Map<string, DataLoader<number, repo.AssignmentRow[]>>();
  const coverage = new Map<string, DataLoader<{ id: number; path: string }, repo.CoverageRow[], number>>();
  return {
    teamById: new DataLoader<number, repo.TeamRow | null>(async (ids) => byKey(ids, await repo.teamsByIds(ctx.em, ids, teamReadScope(ctx)), (r) => r.id)),
    /** Members by id, removed ones included (an assignment's responsible member). */
    memberById: new DataLoader<number, repo.MemberRow | null>(async (ids) => byKey(ids, await repo.membersByIds(ctx.em, ids, teamReadScope(ctx)), (r) => r.id)),
    /** Current members of each team, leader first. */
    membersOfTeam: new DataLoader<number, repo.MemberRow[]>(async (ids) => groupBy(ids, await repo.membersOfTeams(ctx.em, ids, teamReadScope(ctx)), (r) => r.teamId)),
    teamsOfUnit(includeDisbanded: boolean) {
      return memo(teamsOfUnit, `${includeDisbanded}`, () =>
        new DataLoader<number, repo.TeamRow[]>(async (ids) => groupBy(ids, await repo.teamsOfUnits(ctx.em, ids, includeDisbanded, teamReadScope(ctx)), (r) => r.unitId)),
      );
    },
    assignmentsOfTeam(campaignId: number | null) {
      return memo(assignmentsOfTeam, `${campaignId}`, () =>
        new DataLoader<number, repo.AssignmentRow[]>(async (ids) =>
          groupBy(ids, await repo.assignmentsOfTeams(ctx.em, ids, campaignId, teamReadScope(ctx)), (r) => r.teamId),
        ),
      );
    },
    coverage(campaignId: number) {
      return memo(coverage, `${campaignId}`, () =>
        new DataLoader<{ id: number; path: string }, repo.CoverageRow[], number>(
          async (units) => groupBy(units.map((u) => u.id), await repo.hamletCoverage(ctx.em, units, campaignId, scope(ctx, 'read', 'Unit', unitColumns), teamReadScope(ctx)), (r) => r.rootId),
          { cacheKeyFn: (u) => u.id },
        ),
      );
    },
  };
}
