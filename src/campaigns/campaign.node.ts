import { registerNodeType } from '../common/node';
import { findCampaignRow } from './campaign.service';
import { CampaignType } from './campaign.types';

registerNodeType('Campaign', async (ctx, id) => {
  const row = await findCampaignRow(ctx, id);
  return row && CampaignType.from(row);
});
