import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can } from '../auth/permissions';
import { NotFoundError } from '../common/errors';
import { MetricType } from './metric.types';
import { allMetrics, metricsByCodes } from './metric.repo';

@Resolver(() => MetricType)
export class MetricResolver {
  @Authorized(can('read', 'Metric'))
  @Query(() => [MetricType], { description: 'The metric catalogue: pipeline, CCCD, not-yet-activated reasons, other indicators.' })
  async metrics(@Ctx() ctx: Context): Promise<MetricType[]> {
    return (await allMetrics(ctx.em)).map(MetricType.from);
  }

  @Authorized(can('read', 'Metric'))
  @Query(() => MetricType, { description: 'One metric by code.' })
  async metric(@Ctx() ctx: Context, @Arg('code') code: string): Promise<MetricType> {
    const [row] = await metricsByCodes(ctx.em, [code]);
    if (!row) throw new NotFoundError('Metric', code);
    return MetricType.from(row);
  }
}
