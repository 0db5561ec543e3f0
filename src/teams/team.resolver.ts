import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { TeamConnection, TeamType } from './team.types';
import {
  AddTeamMemberInput, AssignTeamInput, AssignTeamPayload, CompleteAssignmentInput, CreateTeamInput, DisbandTeamInput, DisbandTeamPayload,
  RemoveTeamMemberInput, TeamAssignmentPayload, TeamMemberPayload, TeamPayload, TeamsArgs, UpdateAssignmentInput, UpdateTeamInput, UpdateTeamMemberInput,
} from './team.inputs';
import * as teams from './team.service';
import * as members from './member.service';
import * as assignments from './assignment.service';

@Resolver(() => TeamType)
export class TeamResolver {
  @Authorized(canOnObject('read', 'Team'))
  @Query(() => TeamType, { nullable: true, description: 'A field team by id. Teams outside your jurisdiction (or, for a TEAM_LEADER, other teams) answer NOT_FOUND.' })
  team(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of the team.' }) id: string): Promise<TeamType> {
    return teams.getTeam(ctx, id);
  }

  @Authorized(can('read', 'Team'))
  @Query(() => TeamConnection, { description: 'Field teams you can see, by unit path then name; active ones unless includeDisbanded.' })
  teams(@Ctx() ctx: Context, @Args() args: TeamsArgs) {
    return teams.listTeams(ctx, args);
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => TeamPayload, { description: 'Form a team at a commune or hamlet of your jurisdiction (OFFICER, ADMIN).' })
  async createTeam(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateTeamInput.' }) input: CreateTeamInput): Promise<TeamPayload> {
    return { team: await teams.createTeam(ctx, input) };
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => TeamPayload, { description: 'Rename a team or change its kind (disbanded: CONFLICT).' })
  async updateTeam(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateTeamInput.' }) input: UpdateTeamInput): Promise<TeamPayload> {
    return { team: await teams.updateTeam(ctx, input) };
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => DisbandTeamPayload, { description: 'Disband a team: it becomes inactive and its open assignments are cancelled.' })
  disbandTeam(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see DisbandTeamInput.' }) input: DisbandTeamInput): Promise<DisbandTeamPayload> {
    return teams.disbandTeam(ctx, input);
  }

  @Authorized(canOnObject('edit', 'TeamMember'))
  @Mutation(() => TeamMemberPayload, { description: "Add a member to a team (OFFICER and above in scope, or the team's own TEAM_LEADER)." })
  addTeamMember(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see AddTeamMemberInput.' }) input: AddTeamMemberInput): Promise<TeamMemberPayload> {
    return members.addTeamMember(ctx, input);
  }

  @Authorized(canOnObject('edit', 'TeamMember'))
  @Mutation(() => TeamMemberPayload, { description: 'Change a team member; isLeader: true steps the previous leader down.' })
  updateTeamMember(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateTeamMemberInput.' }) input: UpdateTeamMemberInput): Promise<TeamMemberPayload> {
    return members.updateTeamMember(ctx, input);
  }

  @Authorized(canOnObject('edit', 'TeamMember'))
  @Mutation(() => TeamMemberPayload, { description: 'Remove a member from its team (CONFLICT while responsible for open assignments).' })
  removeTeamMember(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RemoveTeamMemberInput.' }) input: RemoveTeamMemberInput): Promise<TeamMemberPayload> {
    return members.removeTeamMember(ctx, input);
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => AssignTeamPayload, {
    description:
      'Send one team to many hamlets of its unit for one campaign, one assignment per hamlet, all or nothing. Refused with nothing written: ' +
      'a hamlet outside the team\'s unit or the campaign scope (BAD_USER_INPUT at input.hamletIds.N), a start or due date outside the ' +
      "campaign's period (input.startDate / input.dueDate), a responsible person who is not a current member (input.responsibleMemberId), " +
      'a disbanded team or a closed campaign (CONFLICT).',
  })
  assignTeam(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see AssignTeamInput.' }) input: AssignTeamInput): Promise<AssignTeamPayload> {
    return assignments.assignTeam(ctx, input);
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => TeamAssignmentPayload, { description: 'Change an open assignment (PLANNED or IN_PROGRESS; otherwise CONFLICT), or cancel it.' })
  async updateAssignment(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateAssignmentInput.' }) input: UpdateAssignmentInput): Promise<TeamAssignmentPayload> {
    return { assignment: await assignments.updateAssignment(ctx, input) };
  }

  @Authorized(canOnObject('manage', 'Team'))
  @Mutation(() => TeamAssignmentPayload, { description: 'Mark an open assignment DONE with an outcome note.' })
  async completeAssignment(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CompleteAssignmentInput.' }) input: CompleteAssignmentInput): Promise<TeamAssignmentPayload> {
    return { assignment: await assignments.completeAssignment(ctx, input) };
  }
}
