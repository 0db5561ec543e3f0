import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { can } from '../auth/permissions';
import { createUnitLoaders } from '../units/unit.loaders';
import { UnitRef } from '../units/unit.types';
import { AuditEntryConnection, AuditEntryNode, AuditLogArgs } from './audit.types';
import { auditLog } from './audit.service';

@Resolver(() => AuditEntryNode)
export class AuditResolver {
  @Authorized(can('read', 'AuditEntry'))
  @Query(() => AuditEntryConnection, { description: 'The audit log of your jurisdiction (entries about units in your ADMIN subtrees), newest first.' })
  auditLog(@Ctx() ctx: Context, @Args() args: AuditLogArgs) {
    return auditLog(ctx, args);
  }

  @FieldResolver(() => UnitRef, { nullable: true, description: 'The unit the change concerns (identity only); null for national changes.' })
  async unit(@Ctx() ctx: Context, @Root() e: AuditEntryNode): Promise<UnitRef | null> {
    if (e.unitId === null) return null;
    const row = await loaders(ctx, createUnitLoaders).identity.load(e.unitId);
    return row && UnitRef.from(row);
  }
}
