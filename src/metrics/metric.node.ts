import { registerKeyedNodeType } from '../common/node';
import { allowed } from '../common/scoped';
import { metricsByCodes } from './metric.repo';
import { MetricType } from './metric.types';

// The catalogue is readable by every principal holding a grant (ability.ts); metric ids wrap the code.
registerKeyedNodeType('Metric', async (ctx, code) => {
  if (!allowed(ctx, 'read', 'Metric', {})) return null;
  const [row] = await metricsByCodes(ctx.em, [code]);
  return row ? MetricType.from(row) : null;
});
