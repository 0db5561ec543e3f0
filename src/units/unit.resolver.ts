import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { Unit, UnitConnection } from './unit.types';
import {
  CreateUnitInput, ImportUnitsInput, ImportUnitsPayload, MoveUnitInput, MoveUnitPayload, RetireUnitInput, RetireUnitPayload,
  UnitPayload, UnitsArgs, UpdateUnitInput,
} from './unit.inputs';
import * as units from './unit.service';
import { importUnitsCsv } from './unit-import.service';

@Resolver(() => Unit)
export class UnitResolver {
  @Authorized(canOnObject('read', 'Unit'))
  @Query(() => Unit, { description: 'A unit by id. Units outside your jurisdiction answer NOT_FOUND.' })
  unit(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Unit> {
    return units.getUnit(ctx, id);
  }

  @Authorized(canOnObject('read', 'Unit'))
  @Query(() => Unit, { description: 'A unit by its official code (e.g. "49" for Quảng Nam, "20974" for xã Tam Tiến).' })
  unitByCode(@Ctx() ctx: Context, @Arg('code') code: string): Promise<Unit> {
    return units.getUnitByCode(ctx, code);
  }

  @Authorized(can('read', 'Unit'))
  @Query(() => UnitConnection, { description: 'Units in your jurisdiction, ordered by code.' })
  units(@Ctx() ctx: Context, @Args() args: UnitsArgs) {
    return units.listUnits(ctx, args);
  }

  @Authorized(canOnObject('create', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Create a unit strictly below your own unit (provinces: SYSTEM_ADMIN).' })
  async createUnit(@Ctx() ctx: Context, @Arg('input') input: CreateUnitInput): Promise<UnitPayload> {
    return { unit: await units.createUnit(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Unit'))
  @Mutation(() => UnitPayload, { description: 'Rename a unit, change its kind or eligible citizens.' })
  async updateUnit(@Ctx() ctx: Context, @Arg('input') input: UpdateUnitInput): Promise<UnitPayload> {
    return { unit: await units.updateUnit(ctx, input) };
  }

  @Authorized(canOnObject('move', 'Unit'))
  @Mutation(() => MoveUnitPayload, { description: 'Re-parent a unit with its whole subtree.' })
  moveUnit(@Ctx() ctx: Context, @Arg('input') input: MoveUnitInput): Promise<MoveUnitPayload> {
    return units.moveUnit(ctx, input);
  }

  @Authorized(canOnObject('retire', 'Unit'))
  @Mutation(() => RetireUnitPayload, { description: 'Retire a unit; refused while active children remain unless cascade is true.' })
  retireUnit(@Ctx() ctx: Context, @Arg('input') input: RetireUnitInput): Promise<RetireUnitPayload> {
    return units.retireUnit(ctx, input);
  }

  @Authorized(can('import', 'Unit'))
  @Mutation(() => ImportUnitsPayload, {
    description: 'Import the GSO unit list (CSV). Atomic and idempotent: malformed rows are all reported with their row numbers and nothing is written.',
  })
  importUnits(@Ctx() ctx: Context, @Arg('input') input: ImportUnitsInput): Promise<ImportUnitsPayload> {
    return importUnitsCsv(ctx, input.csv, input.dryRun ?? false);
  }
}
