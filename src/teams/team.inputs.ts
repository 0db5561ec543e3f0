import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { AssignmentStatus, TeamKind } from './team-enums';
import { TeamAssignmentType, TeamMemberType, TeamType } from './team.types';

@ArgsType()
export class TeamsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only teams of this unit's subtree." })
  unitId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only teams with a (not cancelled) assignment in this campaign.' })
  campaignId?: string | null;
  @Field(() => TeamKind, { nullable: true, description: 'Only teams of this kind.' })
  kind?: TeamKind | null;
  @Field(() => Boolean, { nullable: true, description: 'Include disbanded teams (default false).' })
  includeDisbanded?: boolean | null;
}

@InputType({ description: 'A new field team of a commune or hamlet.' })
export class CreateTeamInput {
  @Field(() => ID, { description: 'The commune or hamlet the team belongs to.' })
  unitId!: string;
  @Field({ description: 'Name.' })
  name!: string;
  @Field(() => TeamKind, { description: 'Who staffs the team.' })
  kind!: TeamKind;
}

@InputType({ description: 'Changes to a team; omitted fields stay.' })
export class UpdateTeamInput {
  @Field(() => ID, { description: 'The team.' })
  id!: string;
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;
  @Field(() => TeamKind, { nullable: true, description: 'New kind.' })
  kind?: TeamKind | null;
}

@InputType({ description: 'Names a team to disband.' })
export class DisbandTeamInput {
  @Field(() => ID, { description: 'The team.' })
  id!: string;
}

@ObjectType({ description: 'What a team mutation changed.' })
export class TeamPayload {
  @Field(() => TeamType, { description: 'The team as it now is.' })
  team!: TeamType;
}

@ObjectType({ description: 'What disbandTeam changed.' })
export class DisbandTeamPayload {
  @Field(() => TeamType, { description: 'The team, now inactive.' })
  team!: TeamType;
  @Field(() => Int, { description: 'Open assignments (PLANNED, IN_PROGRESS) that were cancelled with it.' })
  cancelledAssignments!: number;
}

@InputType({ description: 'A new member of a team.' })
export class AddTeamMemberInput {
  @Field(() => ID, { description: 'The team.' })
  teamId!: string;
  @Field({ description: 'Full name.' })
  fullName!: string;
  @Field(() => String, { nullable: true, description: 'Organisation, e.g. "Đoàn thanh niên xã".' })
  organisation?: string | null;
  @Field(() => String, { nullable: true, description: 'Role in the team, e.g. "tổ trưởng".' })
  role?: string | null;
  @Field(() => String, { nullable: true, description: 'Phone number (personal data: see TeamMember.phone).' })
  phone?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Make this member the leader (the previous leader steps down). Default false.' })
  isLeader?: boolean | null;
  @Field(() => ID, { nullable: true, description: "The member's account, if any (e.g. the TEAM_LEADER account): yourself or an account you may read (principal(id)); any other answers NOT_FOUND." })
  principalId?: string | null;
}

@InputType({ description: 'Changes to a team member; omitted fields stay, null clears phone and principalId.' })
export class UpdateTeamMemberInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;
  @Field(() => String, { nullable: true, description: 'New full name.' })
  fullName?: string | null;
  @Field(() => String, { nullable: true, description: 'New organisation.' })
  organisation?: string | null;
  @Field(() => String, { nullable: true, description: 'New role in the team.' })
  role?: string | null;
  @Field(() => String, { nullable: true, description: 'New phone number; null clears it.' })
  phone?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Make (true) or unmake (false) the leader.' })
  isLeader?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Linked account (yourself or an account you may read; any other answers NOT_FOUND); null unlinks.' })
  principalId?: string | null;
}

@InputType({ description: 'Names a member to remove from its team.' })
export class RemoveTeamMemberInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;
}

@ObjectType({ description: 'What a member mutation changed.' })
export class TeamMemberPayload {
  @Field(() => TeamMemberType, { description: 'The member as it now is (removed members carry removedAt).' })
  member!: TeamMemberType;
  @Field(() => TeamType, { description: 'The team.' })
  team!: TeamType;
}

@InputType({ description: 'A count an assignment is expected to reach.' })
export class ExpectedResultInput {
  @Field({ description: 'A metric of the campaign, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => Int, { description: 'Target count, a non-negative integer.' })
  target!: number;
}

@InputType({ description: 'Send one team to many hamlets of its unit for one campaign ("5 clear"), all or nothing.' })
export class AssignTeamInput {
  @Field(() => ID, { description: 'The team (active).' })
  teamId!: string;
  @Field(() => ID, { description: 'The campaign (not closed).' })
  campaignId!: string;
  @Field(() => [ID], { description: "Hamlets inside the team's unit (and the campaign's scope), each once; one assignment each." })
  hamletIds!: string[];
  @Field({ description: 'What to do (rõ việc).' })
  task!: string;
  @Field(() => ID, { description: 'The member responsible (rõ người, rõ trách nhiệm): a current member of the team.' })
  responsibleMemberId!: string;
  @Field(() => DateScalar, { description: 'First day of the work.' })
  startDate!: string;
  @Field(() => DateScalar, { description: "Due day (rõ tiến độ): within the campaign's period, on or after startDate." })
  dueDate!: string;
  @Field(() => [ExpectedResultInput], { description: 'Target counts per campaign metric (rõ kết quả), each metric once.' })
  expectedResults!: ExpectedResultInput[];
}

@ObjectType({ description: 'What assignTeam created.' })
export class AssignTeamPayload {
  @Field(() => TeamType, { description: 'The team.' })
  team!: TeamType;
  @Field(() => [TeamAssignmentType], { description: 'The new assignments, in the order of input.hamletIds.' })
  assignments!: TeamAssignmentType[];
}

@InputType({ description: 'Changes to an assignment that is not DONE or CANCELLED; omitted fields stay.' })
export class UpdateAssignmentInput {
  @Field(() => ID, { description: 'The assignment.' })
  id!: string;
  @Field(() => String, { nullable: true, description: 'New task.' })
  task?: string | null;
  @Field(() => ID, { nullable: true, description: 'New responsible member (a current member of the team).' })
  responsibleMemberId?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'New start day.' })
  startDate?: string | null;
  @Field(() => DateScalar, { nullable: true, description: "New due day (within the campaign's period)." })
  dueDate?: string | null;
  @Field(() => [ExpectedResultInput], { nullable: true, description: 'New expected results (replace the old ones).' })
  expectedResults?: ExpectedResultInput[] | null;
  @Field(() => AssignmentStatus, { nullable: true, description: 'PLANNED, IN_PROGRESS or CANCELLED (DONE: use completeAssignment).' })
  status?: AssignmentStatus | null;
}

@InputType({ description: 'Marks an assignment DONE with what came of it.' })
export class CompleteAssignmentInput {
  @Field(() => ID, { description: 'The assignment.' })
  id!: string;
  @Field({ description: 'Outcome: what the team achieved, problems met.' })
  outcomeNote!: string;
}

@ObjectType({ description: 'What an assignment mutation changed.' })
export class TeamAssignmentPayload {
  @Field(() => TeamAssignmentType, { description: 'The assignment as it now is.' })
  assignment!: TeamAssignmentType;
}
