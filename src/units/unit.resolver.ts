import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { DateScalar } from '../common/scalars';
import { Unit, UnitConnection } from './unit.types';
import {
  CreateUnitInput, ImportUnitsInput, ImportUnitsPayload, MoveUnitInput, MoveUnitPayload, RetireUnitInput, RetireUnitPayload,
  UnitPayload, UnitsArgs, UpdateUnitInput,
} from './unit.inputs';
import * as units from './unit.service';
import { importUnitsCsv } from './unit-import.service';
import { prefetchUnitFields } from './unit-prefetch';

const ASOF = 'Read the unit in the tree in force on this day (default: the current tree, today).';

@Resolver(() => Unit)
export class UnitResolver {
  @Authorized(canOnObject('read', 'Unit'))
  @Query(() => Unit, {
    nullable: true,
    description:
      'A unit by id. Units outside your jurisdiction (or none) answer null with a NOT_FOUND error; the other root fields still answer. With `asOf`: the unit as it stood that day (name, parent, ancestors, ' +
      'children and figures of the tree in force that day); NOT_FOUND when it did not exist that day.',
  })
  unit(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of the unit.' }) id: string, @Arg('asOf', () => DateScalar, { nullable: true, description: ASOF }) asOf: string | null): Promise<Unit> {
    return units.getUnit(ctx, id, asOf ?? null);
  }

  @Authorized(canOnObject('read', 'Unit'))
  @Query(() => Unit, { nullable: true, description: 'A unit by its official code (e.g. "49" for Quảng Nam, "20974" for xã Tam Tiến). `asOf` as for `unit`.' })
  unitByCode(@Ctx() ctx: Context, @Arg('code', { description: 'Official GSO code: 2 digits for a province, 3 for a district, 5 for a commune.' }) code: string, @Arg('asOf', () => DateScalar, { nullable: true, description: ASOF }) asOf: string | null): Promise<Unit> {
    return units.getUnitByCode(ctx, code, asOf ?? null);
  }

  @Authorized(can('read', 'Unit'))
  @Query(() => UnitConnection, { description: 'Units in your jurisdiction, ordered by code.' })
  async units(@Ctx() ctx: Context, @Args() args: UnitsArgs, @Info() info: GraphQLResolveInfo) {
    const connection = await units.listUnits(ctx, args);
    await prefetchUnitFields(ctx, connection.nodes, info);
    return connection;
  }

  @Authorized(canOnObject('create', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Create a unit strictly below your own unit (provinces: SYSTEM_ADMIN).' })
  async createUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateUnitInput.' }) input: CreateUnitInput): Promise<UnitPayload> {
    return { unit: await units.createUnit(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Rename a unit, change its kind or eligible citizens.' })
  async updateUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateUnitInput.' }) input: UpdateUnitInput): Promise<UnitPayload> {
    return { unit: await units.updateUnit(ctx, input) };
  }

  @Authorized(canOnObject('move', 'Unit'))
  @Mutation(() => MoveUnitPayload, { description: 'Re-parent a unit with its whole subtree.' })
  moveUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see MoveUnitInput.' }) input: MoveUnitInput): Promise<MoveUnitPayload> {
    return units.moveUnit(ctx, input);
  }

  @Authorized(canOnObject('retire', 'Unit'))
  @Mutation(() => RetireUnitPayload, { description: 'Retire a unit; refused while active children remain unless cascade is true.' })
  retireUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RetireUnitInput.' }) input: RetireUnitInput): Promise<RetireUnitPayload> {
    return units.retireUnit(ctx, input);
  }

  @Authorized(can('import', 'Unit'))
  @Mutation(() => ImportUnitsPayload, {
    description: 'Import the GSO unit list (CSV). Atomic and idempotent: malformed rows are all reported with their row numbers and nothing is written.',
  })
  importUnits(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ImportUnitsInput.' }) input: ImportUnitsInput): Promise<ImportUnitsPayload> {
    return importUnitsCsv(ctx, input.csv, { dryRun: input.dryRun ?? false, allowMoves: input.allowMoves ?? false, retireMissing: input.retireMissing ?? false });
  }
}
