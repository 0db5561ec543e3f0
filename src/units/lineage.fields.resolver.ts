import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { createLineageLoaders } from './lineage.loaders';
import type { LineageRow } from './lineage.repo';
import { createUnitLoaders } from './unit.loaders';
import { LineageLink, UnitName } from './restructure.types';
import { Unit, UnitRef } from './unit.types';

async function links(ctx: Context, rows: LineageRow[]): Promise<LineageLink[]> {
  const others = await loaders(ctx, createUnitLoaders).identity.loadMany(rows.map((r) => r.otherId));
  return rows.flatMap((r, i) => {
    const o = others[i];
    if (!o || o instanceof Error) return [];
    return [Object.assign(new LineageLink(), { unit: UnitRef.from(o), effectiveDate: r.effectiveDate, kind: r.kind, carriesFigures: r.carriesFigures, share: r.share })];
  });
}

@Resolver(() => Unit)
export class UnitLineageFieldsResolver {
  @FieldResolver(() => [LineageLink], { description: 'Units that passed into this one (merged into it, or split with a part going to it), oldest change first.' })
  async predecessors(@Ctx() ctx: Context, @Root() unit: Unit): Promise<LineageLink[]> {
    return links(ctx, await loaders(ctx, createLineageLoaders).predecessors.load(unit.dbId));
  }

  @FieldResolver(() => [LineageLink], { description: 'Units this one passed into (its successors), with the day and kind of change.' })
  async successors(@Ctx() ctx: Context, @Root() unit: Unit): Promise<LineageLink[]> {
    return links(ctx, await loaders(ctx, createLineageLoaders).successors.load(unit.dbId));
  }

  @FieldResolver(() => [UnitName], { description: 'Former official names, oldest first (the current one is `name`; with asOf, `name` is the name that day).' })
  async formerNames(@Ctx() ctx: Context, @Root() unit: Unit): Promise<UnitName[]> {
    const rows = await loaders(ctx, createLineageLoaders).names.load(unit.dbId);
    return rows.map((r) => Object.assign(new UnitName(), { name: r.name, kind: r.kind, validFrom: r.validFrom, validTo: r.validTo }));
  }
}
