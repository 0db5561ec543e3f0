import { registerNodeType } from '../common/node';
import { campaignReadScope } from '../campaigns/campaign.service';
import { quotaChangesByIds, quotasByIds } from './quota.repo';
import { quotaReadScope } from './quota.service';
import { QuotaChangeType, QuotaType } from './quota.types';

registerNodeType('Quota', async (ctx, id) => {
  const [row] = await quotasByIds(ctx.em, [id], quotaReadScope(ctx), campaignReadScope(ctx));
  return row ? QuotaType.from(row) : null;
});

registerNodeType('QuotaChange', async (ctx, id) => {
  const [row] = await quotaChangesByIds(ctx.em, [id], quotaReadScope(ctx), campaignReadScope(ctx));
  return row ? QuotaChangeType.from(row) : null;
});
