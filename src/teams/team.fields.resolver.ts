import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { localIdOf } from '../common/global-id';
import { createUnitLoaders } from '../units/unit.loaders';
import { UnitRef } from '../units/unit.types';
import { createCampaignLoaders } from '../campaigns/campaign.loaders';
import { CampaignType } from '../campaigns/campaign.types';
import { createTeamLoaders } from './team.loaders';
import { memberFrom } from './team.service';
import { AssignmentProgressType, TeamAssignmentType, TeamMemberType, TeamType } from './team.types';
import { DateScalar, todayInVietnam } from '../common/scalars';
import { createProgressLoaders } from '../progress/progress.loaders';

@Resolver(() => TeamType)
export class TeamFieldsResolver {
  @FieldResolver(() => UnitRef, { description: 'The commune or hamlet the team belongs to (identity).' })
  async unit(@Ctx() ctx: Context, @Root() team: TeamType): Promise<UnitRef> {
    return UnitRef.from((await loaders(ctx, createUnitLoaders).identity.load(team.unitId))!);
  }

  @FieldResolver(() => [TeamMemberType], { description: 'Current members, leader first. Phone numbers follow TeamMember.phone rules.' })
  async members(@Ctx() ctx: Context, @Root() team: TeamType): Promise<TeamMemberType[]> {
    return (await loaders(ctx, createTeamLoaders).membersOfTeam.load(team.dbId)).map((m) => memberFrom(ctx, m));
  }

  @FieldResolver(() => TeamMemberType, { nullable: true, description: 'The current member flagged leader; null when none.' })
  async leader(@Ctx() ctx: Context, @Root() team: TeamType): Promise<TeamMemberType | null> {
    const leader = (await loaders(ctx, createTeamLoaders).membersOfTeam.load(team.dbId)).find((m) => m.isLeader);
    return leader ? memberFrom(ctx, leader) : null;
  }

  @FieldResolver(() => [TeamAssignmentType], { description: 'Assignments of the team (optionally of one campaign), by start date then hamlet code.' })
  async assignments(
    @Ctx() ctx: Context,
    @Root() team: TeamType,
    @Arg('campaignId', () => ID, { nullable: true, description: 'Only assignments of this campaign.' }) campaignId: string | null,
  ): Promise<TeamAssignmentType[]> {
    const id = campaignId == null ? null : (localIdOf('Campaign', campaignId) ?? 0);
    return (await loaders(ctx, createTeamLoaders).assignmentsOfTeam(id).load(team.dbId)).map(TeamAssignmentType.from);
  }
}

@Resolver(() => TeamAssignmentType)
export class TeamAssignmentFieldsResolver {
  @FieldResolver(() => TeamType, { description: 'The team.' })
  async team(@Ctx() ctx: Context, @Root() a: TeamAssignmentType): Promise<TeamType> {
    return TeamType.from((await loaders(ctx, createTeamLoaders).teamById.load(a.teamId))!);
  }

  @FieldResolver(() => UnitRef, { description: 'The hamlet the team works in.' })
  async hamlet(@Ctx() ctx: Context, @Root() a: TeamAssignmentType): Promise<UnitRef> {
    return UnitRef.from((await loaders(ctx, createUnitLoaders).identity.load(a.hamletId))!);
  }

  @FieldResolver(() => CampaignType, { nullable: true, description: 'The campaign; null if it is not visible to you.' })
  async campaign(@Ctx() ctx: Context, @Root() a: TeamAssignmentType): Promise<CampaignType | null> {
    const row = await loaders(ctx, createCampaignLoaders).byId.load(a.campaignId);
    return row && CampaignType.from(row);
  }

  @FieldResolver(() => TeamMemberType, { description: 'The member responsible (rõ người, rõ trách nhiệm); may since have left the team (removedAt).' })
  async responsibleMember(@Ctx() ctx: Context, @Root() a: TeamAssignmentType): Promise<TeamMemberType> {
    return memberFrom(ctx, (await loaders(ctx, createTeamLoaders).memberById.load(a.responsibleMemberId))!);
  }

  @FieldResolver(() => [AssignmentProgressType], {
    description:
      "Each expected result against the hamlet's progress since the assignment's startDate, through asOf (default: today, " +
      'but never later than the due date). Counts what the hamlet gained, whoever reported it.',
  })
  async progress(
    @Ctx() ctx: Context,
    @Root() a: TeamAssignmentType,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Last day counted (default today, capped at dueDate).' }) asOf: string | null,
  ): Promise<AssignmentProgressType[]> {
    const requested = asOf ?? todayInVietnam();
    const to = requested > a.dueDate ? a.dueDate : requested;
    const l = loaders(ctx, createProgressLoaders);
    const sums = await Promise.all(a.expectedResults.map((e) => (to < a.startDate ? null : l.window.load({ unitId: a.hamletId, metric: e.metric, from: a.startDate, to }))));
    return a.expectedResults.map((e, i) => {
      const achieved = to < a.startDate ? 0 : sums[i] ? Math.round(sums[i]!.value) : null;
      return Object.assign(new AssignmentProgressType(), {
        metric: e.metric, target: e.target, achieved, rate: achieved === null || e.target === 0 ? null : achieved / e.target,
      });
    });
  }
}
