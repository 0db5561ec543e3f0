import { Arg, Args, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { toConnection, toPage } from '../common/pagination';
import { ChildrenArgs } from './unit.inputs';
import { UnitLevel } from './unit-level';
import { createUnitLoaders } from './unit.loaders';
import { Unit, UnitConnection, UnitRef } from './unit.types';
import { prefetchUnitFields } from './unit-prefetch';

@Resolver(() => Unit)
export class UnitFieldsResolver {
  @FieldResolver(() => UnitRef, { nullable: true, description: 'The parent unit (identity only); null for a province.' })
  async parent(@Ctx() ctx: Context, @Root() unit: Unit): Promise<UnitRef | null> {
    if (unit.treeParentId === null) return null;
    const row = await loaders(ctx, createUnitLoaders).identityOn(unit.asOf).load(unit.treeParentId);
    return row && UnitRef.from(row);
  }

  @FieldResolver(() => [UnitRef], { description: 'Ancestors from the province down to the parent (identity only, for breadcrumbs).' })
  async ancestors(@Ctx() ctx: Context, @Root() unit: Unit): Promise<UnitRef[]> {
    const ids = unit.treePath.split('.').slice(0, -1).map(Number);
    const rows = await loaders(ctx, createUnitLoaders).identityOn(unit.asOf).loadMany(ids);
    return rows.flatMap((r) => (r && !(r instanceof Error) ? [UnitRef.from(r)] : []));
  }

  @FieldResolver(() => UnitConnection, {
    description: 'Direct children in your jurisdiction, ordered by code, in the tree in force on `asOf` (default: the day this unit was read for, else the current tree).',
  })
  async children(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: ChildrenArgs, @Info() info: GraphQLResolveInfo) {
    const page = toPage(args);
    const l = loaders(ctx, createUnitLoaders);
    const level = args.level ?? null;
    const includeRetired = args.includeRetired ?? false;
    const day = args.asOf ?? unit.asOf;
    const rows = await l.childPage(level, includeRetired, page, day).load(unit.dbId);
    const connection = toConnection(rows.map((r) => Unit.from(r)), page, () => l.childCount(level, includeRetired, day).load(unit.dbId));
    await prefetchUnitFields(ctx, connection.nodes, info);
    return connection;
  }

  @FieldResolver(() => Int, { description: 'Active units below this one (optionally only those of one level).' })
  descendantCount(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('level', () => UnitLevel, { nullable: true, description: 'Count only descendants at this level (default: all).' }) level: UnitLevel | null,
  ): Promise<number> {
    return loaders(ctx, createUnitLoaders).descendantCount(level ?? null, unit.asOf).load({ id: unit.dbId, path: unit.treePath });
  }
}
