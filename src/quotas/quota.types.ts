import { CountScalar } from '../common/count';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { UnitRef } from '../units/unit.types';
import type { QuotaChangeRow, QuotaRow } from './quota.repo';

@ObjectType('PrincipalRef', { description: 'Who did something: a person or a service account, by id and display name.' })
export class PrincipalRef {
  @Field(() => ID, { description: 'Global id of the principal.' })
  id!: string;
  @Field({ description: 'Display name.' })
  displayName!: string;

  static of(id: number | null, displayName: string | null): PrincipalRef | null {
    if (id === null) return null;
    return Object.assign(new PrincipalRef(), { id: toGlobalId('Principal', id), displayName: displayName ?? '' });
  }
}

@ObjectType('Quota', {
  implements: Node,
  simpleResolvers: true,
  description: "The target a unit holds for one metric of one campaign, set by the level above, and how much of it is passed on to the unit's children.",
})
export class QuotaType extends Node {
  readonly __typename = 'Quota';
  /** The row behind it: the objects a client may not ask for (unit, assigner, date) are built only when asked. */
  private row!: QuotaRow;
  @Field(() => UnitRef, { description: 'The unit holding the quota.' })
  get unit(): UnitRef {
    const r = this.row;
    return Object.assign(new UnitRef(), { id: toGlobalId('Unit', r.unitId), code: r.unitCode, name: r.unitName, level: r.unitLevel, kind: r.unitKind });
  }
  @Field({ description: 'Metric code, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => CountScalar, { description: 'The target (a count of accounts, applications…).' })
  target!: number;
  @Field(() => PrincipalRef, { nullable: true, description: 'Who set the current target (null if that principal was deleted).' })
  get assignedBy(): PrincipalRef | null {
    return PrincipalRef.of(this.row.assignedById, this.row.assignedByName);
  }
  @Field({ description: 'When the current target was set.' })
  get assignedAt(): Date {
    return new Date(this.row.assignedAt);
  }
  @Field(() => CountScalar, { description: "Sum of the direct children's targets." })
  allocatedToChildren!: number;
  @Field(() => CountScalar, { description: 'Target not yet given to children (target − allocatedToChildren); negative when children were given more than the unit holds.' })
  unallocated!: number;
  @Field({ description: 'True when children hold more than this target (possible under LENIENT allocation).' })
  overAllocated!: boolean;
  @Field(() => Int, { description: 'How many direct children have a quota.' })
  childrenWithQuota!: number;

  static from(row: QuotaRow): QuotaType {
    const q = new QuotaType();
    q.row = row;
    q.id = toGlobalId('Quota', row.id);
    q.metric = row.metric;
    q.target = row.target;
    q.allocatedToChildren = row.allocated;
    q.unallocated = row.target - row.allocated;
    q.overAllocated = row.allocated > row.target;
    q.childrenWithQuota = row.childrenWithQuota;
    return q;
  }
}

@ObjectType('QuotaChange', { implements: Node, description: 'One change of a quota (quota history).' })
export class QuotaChangeType extends Node {
  readonly __typename = 'QuotaChange';
  @Field(() => CountScalar, { nullable: true, description: 'Target before the change; null when the quota was first set.' })
  oldTarget!: number | null;
  @Field(() => CountScalar, { description: 'Target after the change.' })
  newTarget!: number;
  @Field(() => PrincipalRef, { nullable: true, description: 'Who made the change.' })
  changedBy!: PrincipalRef | null;
  @Field({ description: 'When.' })
  changedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Id of the API request that made it (matches the audit log).' })
  requestId!: string | null;

  static from(row: QuotaChangeRow): QuotaChangeType {
    return Object.assign(new QuotaChangeType(), {
      id: toGlobalId('QuotaChange', row.id),
      oldTarget: row.oldTarget,
      newTarget: row.newTarget,
      changedBy: PrincipalRef.of(row.changedById, row.changedByName),
      changedAt: new Date(row.changedAt),
      requestId: row.requestId,
    });
  }
}

export const QuotaChangeConnection = ConnectionType(QuotaChangeType, 'QuotaChange', 'quota change');
