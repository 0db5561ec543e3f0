import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can } from '../auth/permissions';
import { NotFoundError } from '../common/errors';
import { MetricType } from './metric.types';
import { allMetrics, metricsByCodes } from './metric.repo';
import { CreateMetricInput, MetricPayload, UpdateMetricInput } from './metric.inputs';
import * as metrics from './metric.service';

@Resolver(() => MetricType)
export class MetricResolver {
  @Authorized(can('read', 'Metric'))
  @Query(() => [MetricType], { description: 'The metric catalogue: pipeline, CCCD, not-yet-activated reasons, other indicators.' })
  async metrics(@Ctx() ctx: Context): Promise<MetricType[]> {
    return (await allMetrics(ctx.em)).map(MetricType.from);
  }

  @Authorized(can('read', 'Metric'))
  @Query(() => MetricType, { nullable: true, description: 'One metric by code (unknown code: null with a NOT_FOUND error).' })
  async metric(@Ctx() ctx: Context, @Arg('code', { description: 'Metric code, e.g. "eid.activated".' }) code: string): Promise<MetricType> {
    const [row] = await metricsByCodes(ctx.em, [code]);
    if (!row) throw new NotFoundError('Metric', code);
    return MetricType.from(row);
  }

  @Authorized(can('create', 'Metric'))
  @Mutation(() => MetricPayload, { description: 'Add a metric to the catalogue (SYSTEM_ADMIN). Codes are permanent: there is no rename or delete.' })
  async createMetric(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateMetricInput.' }) input: CreateMetricInput): Promise<MetricPayload> {
    return { metric: await metrics.createMetric(ctx, input) };
  }

  @Authorized(can('update', 'Metric'))
  @Mutation(() => MetricPayload, { description: "Change a metric's names or description (SYSTEM_ADMIN). The code never changes." })
  async updateMetric(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see UpdateMetricInput.' }) input: UpdateMetricInput): Promise<MetricPayload> {
    return { metric: await metrics.updateMetric(ctx, input) };
  }
}
