import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { NotFoundError } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { createCampaignLoaders } from '../campaigns/campaign.loaders';
import { Unit, UnitRef } from '../units/unit.types';
import { createTeamLoaders } from './team.loaders';
import { HamletTeamCount, TeamCoverageType, TeamType } from './team.types';

/** Team fields on Unit, batched across all units of a response. */
@Resolver(() => Unit)
export class UnitTeamFieldsResolver {
  @FieldResolver(() => [TeamType], { description: 'Field teams belonging to this unit (not its subtree) that you can see, by name; active ones unless includeDisbanded.' })
  async teams(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('includeDisbanded', () => Boolean, { nullable: true, description: 'Include disbanded teams (default false).' }) includeDisbanded: boolean | null,
  ): Promise<TeamType[]> {
    return (await loaders(ctx, createTeamLoaders).teamsOfUnit(includeDisbanded ?? false).load(unit.dbId)).map(TeamType.from);
  }

  @FieldResolver(() => TeamCoverageType, {
    description:
      "How many hamlets under this unit (in your jurisdiction) have the campaign's minimum of active teams (assigned to the hamlet " +
      'in the campaign, or belonging to it), and which are below it, fewest teams first.',
  })
  async teamCoverage(@Ctx() ctx: Context, @Root() unit: Unit, @Arg('campaignId', () => ID, { description: 'The campaign whose assignments count.' }) campaignId: string): Promise<TeamCoverageType> {
    const id = localIdOf('Campaign', campaignId);
    const campaign = id === null ? null : await loaders(ctx, createCampaignLoaders).byId.load(id);
    if (!campaign) throw new NotFoundError('Campaign (campaignId)', campaignId);
    const rows = await loaders(ctx, createTeamLoaders).coverage(campaign.id).load({ id: unit.dbId, path: unit.path });
    const min = campaign.minTeamsPerHamlet;
    const below = rows.filter((r) => r.teams < min);
    return Object.assign(new TeamCoverageType(), {
      minTeamsPerHamlet: min,
      hamletCount: rows.length,
      hamletsMeetingMinimum: rows.length - below.length,
      hamletsBelowMinimum: below.map((r) => Object.assign(new HamletTeamCount(), { hamlet: UnitRef.from(r), teamCount: r.teams, missing: min - r.teams })),
    });
  }
}
