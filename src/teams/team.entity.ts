import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AdminUnit } from '../units/unit.entity';
import { Principal } from '../auth/principal.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { AssignmentStatus, TeamKind } from './team-enums';

/** A field team (tổ công tác) of a commune or hamlet; visibility follows its unit's path. Disbanded teams stay, inactive. */
@Entity({ tableName: 'team' })
@Index({ name: 'team_unit_id_index', properties: ['unit'] })
export class Team {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict' })
  unit!: AdminUnit;

  @Property({ columnType: 'text' })
  name!: string;

  @Enum({ items: () => TeamKind, columnType: 'text' })
  kind!: TeamKind;

  @Property({ columnType: 'boolean', default: true })
  active: boolean = true;

  @Property({ columnType: 'timestamptz', nullable: true })
  disbandedAt?: Date | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** A person of a team; at most one current member is the leader. Removed members stay (assignments name them). */
@Entity({ tableName: 'team_member' })
@Index({ name: 'team_member_team_id_index', properties: ['team'] })
export class TeamMember {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => Team, { deleteRule: 'cascade' })
  team!: Team;

  @Property({ columnType: 'text' })
  fullName!: string;

  @Property({ columnType: 'text', default: '' })
  organisation: string = '';

  @Property({ columnType: 'text', default: '' })
  role: string = '';

  /** Personal data: shown only to OFFICER and above in scope and the team's own leader (ability.ts readContact). */
  @Property({ columnType: 'text', nullable: true })
  phone?: string | null;

  @Property({ columnType: 'boolean', default: false })
  isLeader: boolean = false;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null' })
  principal?: Principal | null;

  @Property({ columnType: 'timestamptz', nullable: true })
  removedAt?: Date | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** One team sent to one hamlet for one campaign, "5 clear": person, task, timeline, result, responsibility. */
@Entity({ tableName: 'team_assignment' })
@Index({ name: 'team_assignment_team_id_index', properties: ['team'] })
@Index({ name: 'team_assignment_hamlet_campaign_index', properties: ['hamlet', 'campaign'] })
@Index({ name: 'team_assignment_campaign_id_index', properties: ['campaign'] })
export class TeamAssignment {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => Team, { deleteRule: 'cascade' })
  team!: Team;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict' })
  hamlet!: AdminUnit;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Property({ columnType: 'text' })
  task!: string;

  @ManyToOne(() => TeamMember, { deleteRule: 'restrict' })
  responsibleMember!: TeamMember;

  @Property({ columnType: 'date', type: 'string' })
  startDate!: string;

  @Property({ columnType: 'date', type: 'string' })
  dueDate!: string;

  /** [{ metric, target }]: the counts the team is expected to reach. */
  @Property({ columnType: 'jsonb', type: 'json', default: "'[]'" })
  expectedResults: { metric: string; target: number }[] = [];

  @Enum({ items: () => AssignmentStatus, columnType: 'text', default: 'PLANNED' })
  status: AssignmentStatus = AssignmentStatus.PLANNED;

  @Property({ columnType: 'text', nullable: true })
  outcomeNote?: string | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
