import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { CampaignConnection, CampaignType } from './campaign.types';
import { CampaignPayload, CampaignsArgs, CampaignStatusInput, CreateCampaignInput, UpdateCampaignInput } from './campaign.inputs';
import * as campaigns from './campaign.service';

@Resolver(() => CampaignType)
export class CampaignResolver {
  @Authorized(canOnObject('read', 'Campaign'))
  @Query(() => CampaignType, { nullable: true, description: 'A campaign by id. Campaigns neither covering nor inside your jurisdiction answer NOT_FOUND.' })
  campaign(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of the campaign.' }) id: string): Promise<CampaignType> {
    return campaigns.getCampaign(ctx, id);
  }

  @Authorized(can('read', 'Campaign'))
  @Query(() => CampaignConnection, { description: 'Campaigns you can see (covering or inside your jurisdiction), newest start first.' })
  campaigns(@Ctx() ctx: Context, @Args() args: CampaignsArgs) {
    return campaigns.listCampaigns(ctx, args);
  }

  @Authorized(canOnObject('create', 'Campaign'))
  @Mutation(() => CampaignPayload, { description: 'Create a DRAFT campaign scoped at a unit of your jurisdiction (ADMIN there or above, or SYSTEM_ADMIN).' })
  async createCampaign(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateCampaignInput.' }) input: CreateCampaignInput): Promise<CampaignPayload> {
    return { campaign: await campaigns.createCampaign(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Campaign'))
  @Mutation(() => CampaignPayload, { description: 'Change a campaign that is not closed (closed: CONFLICT).' })
  async updateCampaign(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateCampaignInput.' }) input: UpdateCampaignInput): Promise<CampaignPayload> {
    return { campaign: await campaigns.updateCampaign(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Campaign'))
  @Mutation(() => CampaignPayload, { description: 'Start a DRAFT campaign (any other status: CONFLICT).' })
  async activateCampaign(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CampaignStatusInput.' }) input: CampaignStatusInput): Promise<CampaignPayload> {
    return { campaign: await campaigns.changeCampaignStatus(ctx, input.id, 'activate') };
  }

  @Authorized(canOnObject('update', 'Campaign'))
  @Mutation(() => CampaignPayload, { description: 'Close a campaign: it becomes read-only, quotas included.' })
  async closeCampaign(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CampaignStatusInput.' }) input: CampaignStatusInput): Promise<CampaignPayload> {
    return { campaign: await campaigns.changeCampaignStatus(ctx, input.id, 'close') };
  }
}
