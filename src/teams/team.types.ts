import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { CountScalar } from '../common/count';
import { DateScalar } from '../common/scalars';
import { PrincipalRef } from '../quotas/quota.types';
import { UnitRef } from '../units/unit.types';
import { AssignmentStatus, TeamKind } from './team-enums';
import type { AssignmentRow, MemberRow, TeamRow } from './team.repo';

@ObjectType('Team', {
  implements: Node,
  description:
    'A field team (tổ công tác) of a commune or hamlet that goes door to door. Visible in the subtree of its unit ' +
    '(and to its own TEAM_LEADER). Disbanded teams stay readable, inactive.',
})
export class TeamType extends Node {
  readonly __typename = 'Team';
  /** Database ids and the unit's path, for resolvers; not part of the schema. */
  dbId!: number;
  unitId!: number;
  unitPath!: string;

  @Field({ description: 'Name, e.g. "Tổ công tác Đề án 06 ấp 3 – Đoàn thanh niên".' })
  name!: string;
  @Field(() => TeamKind, { description: 'Who staffs the team.' })
  kind!: TeamKind;
  @Field({ description: 'False once the team has been disbanded (it can then no longer be assigned).' })
  active!: boolean;
  @Field(() => Date, { nullable: true, description: 'When the team was disbanded; null while active.' })
  disbandedAt!: Date | null;
  @Field({ description: 'When the team was formed in the system.' })
  createdAt!: Date;

  static from(row: TeamRow): TeamType {
    return Object.assign(new TeamType(), {
      id: toGlobalId('Team', row.id),
      dbId: row.id,
      unitId: row.unitId,
      unitPath: row.unitPath,
      name: row.name,
      kind: row.kind,
      active: row.active,
      disbandedAt: row.disbandedAt ? new Date(row.disbandedAt) : null,
      createdAt: new Date(row.createdAt),
    });
  }
}

@ObjectType('TeamMember', { implements: Node, description: 'A person of a field team (rõ người).' })
export class TeamMemberType extends Node {
  readonly __typename = 'TeamMember';
  dbId!: number;
  teamId!: number;

  @Field({ description: 'Full name.' })
  fullName!: string;
  @Field({ description: 'Organisation the member comes from, e.g. "Đoàn thanh niên xã", "Công an xã"; may be empty.' })
  organisation!: string;
  @Field({ description: 'Role in the team, e.g. "tổ trưởng", "tổ viên"; may be empty.' })
  role!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'Phone number: personal data. Only OFFICER, ADMIN and SYSTEM_ADMIN whose jurisdiction covers the team, and the ' +
      "team's own TEAM_LEADER, read it; everyone else reads null (also null when unknown).",
  })
  phone!: string | null;
  @Field({ description: 'True for the team leader (at most one current member).' })
  isLeader!: boolean;
  @Field(() => PrincipalRef, { nullable: true, description: 'The account of this member, when linked (e.g. the leader\'s TEAM_LEADER account).' })
  principal!: PrincipalRef | null;
  @Field(() => Date, { nullable: true, description: 'When the member left the team; null for current members.' })
  removedAt!: Date | null;

  /** `canSeePhone` is the ability's readContact decision for this member (ability.ts), made by the caller. */
  static from(row: MemberRow, canSeePhone: boolean): TeamMemberType {
    return Object.assign(new TeamMemberType(), {
      id: toGlobalId('TeamMember', row.id),
      dbId: row.id,
      teamId: row.teamId,
      fullName: row.fullName,
      organisation: row.organisation,
      role: row.role,
      phone: canSeePhone ? row.phone : null,
      isLeader: row.isLeader,
      principal: PrincipalRef.of(row.principalId, row.principalName),
      removedAt: row.removedAt ? new Date(row.removedAt) : null,
    });
  }
}

@ObjectType('ExpectedResult', { description: 'A count an assignment is expected to reach (rõ kết quả).' })
export class ExpectedResultType {
  @Field({ description: 'Metric code of the campaign, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => Int, { description: 'Target count in the hamlet for this assignment.' })
  target!: number;
}

@ObjectType('TeamAssignment', {
  implements: Node,
  description:
    'A team sent to one hamlet for one campaign under the "5 clear" rule: clear person (responsibleMember), task, ' +
    'timeline (startDate–dueDate), result (expectedResults) and responsibility.',
})
export class TeamAssignmentType extends Node {
  readonly __typename = 'TeamAssignment';
  dbId!: number;
  teamId!: number;
  hamletId!: number;
  hamletPath!: string;
  campaignId!: number;
  responsibleMemberId!: number;

  @Field({ description: 'What the team is to do (rõ việc).' })
  task!: string;
  @Field(() => DateScalar, { description: 'First day of the work.' })
  startDate!: string;
  @Field(() => DateScalar, { description: "Due day (within the campaign's period) (rõ tiến độ)." })
  dueDate!: string;
  @Field(() => [ExpectedResultType], { description: 'Target counts per metric (rõ kết quả).' })
  expectedResults!: ExpectedResultType[];
  @Field(() => AssignmentStatus, { description: 'PLANNED, IN_PROGRESS, DONE or CANCELLED.' })
  status!: AssignmentStatus;
  @Field(() => String, { nullable: true, description: 'What came of it, recorded when completed.' })
  outcomeNote!: string | null;
  @Field({ description: 'When the assignment was made.' })
  createdAt!: Date;
  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;

  static from(row: AssignmentRow): TeamAssignmentType {
    return Object.assign(new TeamAssignmentType(), {
      id: toGlobalId('TeamAssignment', row.id),
      dbId: row.id,
      teamId: row.teamId,
      hamletId: row.hamletId,
      hamletPath: row.hamletPath,
      campaignId: row.campaignId,
      responsibleMemberId: row.responsibleMemberId,
      task: row.task,
      startDate: row.startDate,
      dueDate: row.dueDate,
      expectedResults: row.expectedResults.map((e) => Object.assign(new ExpectedResultType(), e)),
      status: row.status,
      outcomeNote: row.outcomeNote,
      createdAt: new Date(row.createdAt),
      updatedAt: new Date(row.updatedAt),
    });
  }
}

@ObjectType('HamletTeamCount', { description: 'A hamlet and how many active teams work there in a campaign.' })
export class HamletTeamCount {
  @Field(() => UnitRef, { description: 'The hamlet.' })
  hamlet!: UnitRef;
  @Field(() => Int, { description: 'Active teams assigned to the hamlet in the campaign (not cancelled) or belonging to it.' })
  teamCount!: number;
  @Field(() => Int, { description: 'How many more teams the hamlet needs to reach the minimum.' })
  missing!: number;
}

@ObjectType('TeamCoverage', {
  description: "Whether the hamlets under a unit have formed the campaign's minimum of field teams (Núi Thành: at least 5 per hamlet).",
})
export class TeamCoverageType {
  @Field(() => Int, { description: "The campaign's minTeamsPerHamlet." })
  minTeamsPerHamlet!: number;
  @Field(() => Int, { description: 'Active hamlets under the unit in your jurisdiction.' })
  hamletCount!: number;
  @Field(() => Int, { description: 'Hamlets with at least minTeamsPerHamlet active teams.' })
  hamletsMeetingMinimum!: number;
  @Field(() => [HamletTeamCount], { description: 'Hamlets below the minimum, fewest teams first (the ones to fix first), then by code.' })
  hamletsBelowMinimum!: HamletTeamCount[];
}

export const TeamConnection = ConnectionType(TeamType, 'Team', 'team');

@ObjectType('AssignmentProgress', { description: "An expected result of an assignment against the hamlet's progress since the assignment's start." })
export class AssignmentProgressType {
  @Field({ description: 'Metric code.' })
  metric!: string;
  @Field(() => Int, { description: 'The expected count.' })
  target!: number;
  @Field(() => CountScalar, { nullable: true, description: "What the hamlet gained from startDate through asOf; null when the hamlet's progress is outside your jurisdiction." })
  achieved!: number | null;
  @Field(() => Float, { nullable: true, description: 'Ratio achieved / target (may exceed 1); null when target is 0 or achieved is null.' })
  rate!: number | null;
}
