import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { canOnObject } from '../auth/permissions';
import { AssignQuotasInput, AssignQuotasPayload } from './quota.inputs';
import { QuotaType } from './quota.types';
import * as quotas from './quota.service';

@Resolver(() => QuotaType)
export class QuotaResolver {
  @Authorized(canOnObject('assign', 'Quota'))
  @Mutation(() => AssignQuotasPayload, {
    description:
      'Set the targets of many direct children of one unit for one campaign metric, atomically. Only an ADMIN strictly above ' +
      'every unit named (or SYSTEM_ADMIN; provinces: SYSTEM_ADMIN only). STRICT metrics refuse a split exceeding the parent target ' +
      '(CONFLICT with parentTarget, allocated, requested); LENIENT ones accept it and flag the parent overAllocated. Every bad ' +
      'allocation is reported (input.allocations.N.unitId / .target) and nothing is written.',
  })
  assignQuotas(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see AssignQuotasInput.' }) input: AssignQuotasInput): Promise<AssignQuotasPayload> {
    return quotas.assignQuotas(ctx, input);
  }
}
