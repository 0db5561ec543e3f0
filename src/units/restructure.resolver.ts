import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { ApplyRestructuringInput, MergeUnitsInput, RenameUnitInput, SplitUnitInput } from './restructure.inputs';
import { RenameUnitPayload, RestructurePayload, RestructuringSummary } from './restructure.types';
import { mergeUnits, renameUnit, splitUnit } from './restructure.service';
import { applyRestructuring } from './apply-restructuring.service';

@Resolver()
export class RestructureResolver {
  @Authorized(canOnObject('retire', 'Unit'))
  @Mutation(() => RestructurePayload, {
    description:
      'Merge units of one level into an existing or a new unit from an effective date (atomic, audited). Figures up to the day before stay where they were; ' +
      'from the effective date the successor counts its predecessors\' figures plus what is reported to it. See docs/RESTRUCTURING.md.',
  })
  mergeUnits(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see MergeUnitsInput.' }) input: MergeUnitsInput): Promise<RestructurePayload> {
    return mergeUnits(ctx, input);
  }

  @Authorized(canOnObject('retire', 'Unit'))
  @Mutation(() => RestructurePayload, { description: 'Split a unit into several from an effective date: its children (with their figures) or shares of its figures go to each part.' })
  splitUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see SplitUnitInput.' }) input: SplitUnitInput): Promise<RestructurePayload> {
    return splitUnit(ctx, input);
  }

  @Authorized(canOnObject('update', 'Unit'))
  @Mutation(() => RenameUnitPayload, { description: 'Give a unit a new official name (and kind) from an effective date; reads as of earlier days show the old name.' })
  async renameUnit(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RenameUnitInput.' }) input: RenameUnitInput): Promise<RenameUnitPayload> {
    return Object.assign(new RenameUnitPayload(), { unit: await renameUnit(ctx, input) });
  }

  @Authorized(can('import', 'Unit'))
  @Mutation(() => RestructuringSummary, {
    description:
      'Apply an official conversion table (mapping_2025.csv shape: old commune → new commune) in one transaction: communes merged and split, ' +
      'districts abolished, provinces merged, names and kinds of the new list. SYSTEM_ADMIN only in practice (it touches whole provinces).',
  })
  applyRestructuring(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ApplyRestructuringInput.' }) input: ApplyRestructuringInput): Promise<RestructuringSummary> {
    return applyRestructuring(ctx, input);
  }
}
