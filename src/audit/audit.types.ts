import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { JSONResolver } from 'graphql-scalars';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType, PageArgs } from '../common/pagination';
import type { AuditRow } from './audit.repo';
import { globaliseAuditJson } from './audit-json';

@ObjectType('AuditEntry', { implements: Node, description: 'One change (or sign-in event), recorded in the same transaction as the change.' })
export class AuditEntryNode extends Node {
  readonly __typename = 'AuditEntry';
  /** Database id (bigint as text): the keyset cursor's sort key. */
  dbId!: string;
  unitId!: number | null;

  @Field({ description: 'When it happened.' })
  at!: Date;
  @Field(() => ID, { nullable: true, description: 'Global id of the principal who acted; null for system jobs (CLI, seeding).' })
  principalId!: string | null;
  @Field({ description: 'What was done, e.g. "unit.update", "grant.create", "auth.login".' })
  action!: string;
  @Field({ description: 'Type of the object changed, e.g. "Unit", "Principal".' })
  objectType!: string;
  @Field(() => ID, { nullable: true, description: 'Global id of the object changed, when there is one.' })
  objectId!: string | null;
  @Field(() => JSONResolver, { nullable: true, description: 'The object before the change (credentials never appear; ids are global ids, unit paths lists of unit ids).' })
  before!: unknown;
  @Field(() => JSONResolver, { nullable: true, description: 'The object after the change (credentials never appear; ids are global ids, unit paths lists of unit ids).' })
  after!: unknown;
  @Field(() => String, { nullable: true, description: 'Request id, to match server logs.' })
  requestId!: string | null;

  static from(row: AuditRow): AuditEntryNode {
    const path = row.unitPath;
    return Object.assign(new AuditEntryNode(), {
      id: toGlobalId('AuditEntry', row.id),
      dbId: row.id,
      unitId: path ? Number(path.split('.').pop()) : null,
      at: new Date(row.at),
      principalId: row.principalId == null ? null : toGlobalId('Principal', row.principalId),
      action: row.action,
      objectType: row.objectType,
      objectId: row.objectId == null ? null : toGlobalId(row.objectType, row.objectId),
      before: globaliseAuditJson(row.before, row.objectType),
      after: globaliseAuditJson(row.after, row.objectType),
      requestId: row.requestId,
    });
  }
}

export const AuditEntryConnection = ConnectionType(AuditEntryNode, 'AuditEntry', 'audit entry');

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only entries about this unit's subtree." })
  unitId?: string | null;
  @Field(() => String, { nullable: true, description: 'Only this action, e.g. "grant.create".' })
  action?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only entries by this principal.' })
  principalId?: string | null;
  @Field(() => Date, { nullable: true, description: 'From this instant (inclusive).' })
  from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Before this instant (exclusive).' })
  to?: Date | null;
}
