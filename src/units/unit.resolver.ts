import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can } from '../auth/permissions';
import { Unit, UnitConnection } from './unit.types';
import {
  CreateUnitInput, ImportUnitsInput, ImportUnitsPayload, MoveUnitInput, MoveUnitPayload, RetireUnitInput, RetireUnitPayload,
  UnitPayload, UnitsArgs, UpdateUnitInput,
} from './unit.inputs';
import * as units from './unit.service';
import { importUnitsCsv } from './unit-import.service';

@Resolver(() => Unit)
export class UnitResolver {
  @Authorized(can('read', 'Unit'))
  @Query(() => Unit, { nullable: true, description: 'A unit by id. Units outside your jurisdiction (or none) answer null with a NOT_FOUND error; the other root fields still answer.' })
  unit(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of the unit.' }) id: string): Promise<Unit> {
    return units.getUnit(ctx, id);
  }

  @Authorized(can('read', 'Unit'))
  @Query(() => Unit, { nullable: true, description: 'A unit by its official code (e.g. "49" for Quảng Nam, "20974" for xã Tam Tiến).' })
  unitByCode(@Ctx() ctx: Context, @Arg('code', { description: 'Official GSO code: 2 digits for a province, 3 for a district, 5 for a commune.' }) code: string): Promise<Unit> {
    return units.getUnitByCode(ctx, code);
  }

  @Authorized(can('read', 'Unit'))
  @Query(() => UnitConnection, { description: 'Units in your jurisdiction, ordered by code.' })
  units(@Ctx() ctx: Context, @Args() args: UnitsArgs) {
    return units.listUnits(ctx, args);
  }

  @Authorized(can('create', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Create a unit strictly below your own unit (provinces: SYSTEM_ADMIN).' })
  async createUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateUnitInput.' }) input: CreateUnitInput): Promise<UnitPayload> {
    return { unit: await units.createUnit(ctx, input) };
  }

  @Authorized(can('update', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Rename a unit, change its kind or eligible citizens.' })
  async updateUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateUnitInput.' }) input: UpdateUnitInput): Promise<UnitPayload> {
    return { unit: await units.updateUnit(ctx, input) };
  }

  @Authorized(can('move', 'Unit'))
  @Mutation(() => MoveUnitPayload, { description: 'Re-parent a unit with its whole subtree.' })
  moveUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see MoveUnitInput.' }) input: MoveUnitInput): Promise<MoveUnitPayload> {
    return units.moveUnit(ctx, input);
  }

  @Authorized(can('retire', 'Unit'))
  @Mutation(() => RetireUnitPayload, { description: 'Retire a unit; refused while active children remain unless cascade is true.' })
  retireUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RetireUnitInput.' }) input: RetireUnitInput): Promise<RetireUnitPayload> {
    return units.retireUnit(ctx, input);
  }

  @Authorized(can('import', 'Unit'))
  @Mutation(() => ImportUnitsPayload, {
    description: 'Import the GSO unit list (CSV). Atomic and idempotent: malformed rows are all reported with their row numbers and nothing is written.',
  })
  importUnits(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ImportUnitsInput.' }) input: ImportUnitsInput): Promise<ImportUnitsPayload> {
    return importUnitsCsv(ctx, input.csv, input.dryRun ?? false);
  }
}
