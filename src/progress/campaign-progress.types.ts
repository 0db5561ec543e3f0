import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../common/pagination';
import { CountScalar } from '../common/count';
import { DateScalar } from '../common/scalars';
import { MetricType } from '../metrics/metric.types';
import { CountingMode } from '../campaigns/campaign-enums';
import { Unit } from '../units/unit.types';
import type { FigureRow, StandingRow } from './campaign-progress.repo';

export enum StandingField {
  RATE = 'RATE',
  VALUE = 'VALUE',
  REMAINING = 'REMAINING',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(StandingField, {
  name: 'StandingField',
  description: 'A campaign figure to order units by.',
  valuesConfig: {
    RATE: { description: 'value / target (units without a target last).' },
    VALUE: { description: 'The counted value.' },
    REMAINING: { description: 'max(target − value, 0) (units without a target last).' },
  },
});

registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort direction; units without the figure always come last.',
  valuesConfig: { ASC: { description: 'Smallest first (by RATE: the units furthest behind first).' }, DESC: { description: 'Largest first.' } },
});

const DAY = 86_400_000;
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** Pace per day over the trailing 7 days, and the day the target would be reached at that pace (null: no target, done or no pace). */
export function projection(f: FigureRow): { pacePerDay: number; projectedCompletionOn: string | null } {
  const pacePerDay = f.gain7 / 7;
  if (f.target === null || f.remaining === null || f.remaining <= 0 || pacePerDay <= 0) return { pacePerDay, projectedCompletionOn: null };
  return { pacePerDay, projectedCompletionOn: addDays(f.endDay, Math.ceil(f.remaining / pacePerDay)) };
}

@ObjectType('CampaignMetricProgress', { description: "A unit's progress on one metric of a campaign, against its quota, and where it stands among its siblings." })
export class CampaignMetricProgress {
  @Field(() => MetricType, { description: 'The metric.' })
  metric!: MetricType;
  @Field(() => CountingMode, { description: "How the value is counted (all-time total, or growth since the campaign's start)." })
  countingMode!: CountingMode;
  @Field(() => DateScalar, { description: 'The day the figures stand for: today, or the deadline once it has passed.' })
  asOf!: string;
  @Field(() => CountScalar, { nullable: true, description: "This unit's quota (target) for the metric; null when none was assigned." })
  target!: number | null;
  @Field(() => CountScalar, {
    description:
      "CUMULATIVE: the rollup as of `asOf`; SINCE_START: that minus the rollup on the day before the campaign's start (negative when corrections lowered the figures below where they started).",
  })
  value!: number;
  @Field(() => Float, { nullable: true, description: 'Ratio value / target (1.073 = 107.3%), never capped; null without a target.' })
  rate!: number | null;
  @Field(() => CountScalar, { nullable: true, description: 'What is left to reach the target, max(target − value, 0); null without a target.' })
  remaining!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Rank by rate (1 = best; ties by value, then code) among the siblings holding a quota for this metric that you can see; null without a quota.',
  })
  rank!: number | null;
  @Field(() => Int, { nullable: true, description: 'How many siblings (this unit included) hold a quota for this metric and are in your jurisdiction; null without a quota.' })
  siblingCount!: number | null;
  @Field(() => DateScalar, {
    nullable: true,
    description: 'First day the rate reached 1 (a unit already there when the campaign started completed on its start date); null if not yet.',
  })
  completedOn!: string | null;
  @Field(() => Int, { nullable: true, description: 'Order of completion among those siblings (1 = first; units completing the same day share it); null if not completed.' })
  completionOrder!: number | null;
  @Field(() => Float, { description: 'Average gain per day over the 7 days up to `asOf`.' })
  pacePerDay!: number;
  @Field(() => DateScalar, { nullable: true, description: 'When the target would be reached at the trailing 7-day pace; null without a target, when complete, or with no pace.' })
  projectedCompletionOn!: string | null;

  static from(row: FigureRow, metric: MetricType): CampaignMetricProgress {
    return Object.assign(new CampaignMetricProgress(), {
      metric,
      countingMode: row.countingMode,
      asOf: row.endDay,
      target: row.target,
      value: Number(row.value),
      rate: row.rate,
      remaining: row.remaining,
      rank: row.rank,
      siblingCount: row.siblingCount,
      completedOn: row.completedOn,
      completionOrder: row.completionOrder,
      ...projection(row),
    });
  }
}

@ObjectType('CampaignStanding', { description: "A unit's place in a campaign ranking, with the figures it is ranked by." })
export class CampaignStanding {
  @Field(() => Int, {
    nullable: true,
    description: 'Rank by rate desc, then value desc, then code (1 = best) among the listed units; in rankedChildren, among the children holding a quota (null without one).',
  })
  rank!: number | null;
  @Field(() => Int, { description: 'Position in this list, in the order asked for (1 = first).' })
  position!: number;
  @Field(() => Unit, { description: 'The unit.' })
  unit!: Unit;
  @Field(() => CountScalar, { nullable: true, description: 'Its quota; null when none.' })
  target!: number | null;
  @Field(() => CountScalar, { description: 'The counted value (per the counting mode).' })
  value!: number;
  @Field(() => Float, { nullable: true, description: 'Ratio value / target, never capped; null without a target.' })
  rate!: number | null;
  @Field(() => CountScalar, { nullable: true, description: 'What is left to reach the target, max(target − value, 0); null without a target.' })
  remaining!: number | null;
  @Field(() => DateScalar, { nullable: true, description: 'First day the rate reached 1; null if not yet.' })
  completedOn!: string | null;

  static from(row: StandingRow, rank: number | null): CampaignStanding {
    return Object.assign(new CampaignStanding(), {
      rank,
      position: row.position,
      unit: Unit.from(row.unit),
      target: row.target,
      value: Number(row.value),
      rate: row.rate,
      remaining: row.remaining,
      completedOn: row.completedOn,
    });
  }
}

export const CampaignStandingConnection = ConnectionType(CampaignStanding, 'CampaignStanding', 'campaign standing');
