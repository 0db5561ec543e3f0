import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context';
import { can } from '../auth/permissions';
import { CampaignStandingsChanged, UnitFiguresChanged } from './live.types';
import { campaignStandingsStream, unitFiguresStream } from './live.service';

/** Live updates (GraphQL over Server-Sent Events at /graphql/stream). The streams check jurisdiction per event. */
@Resolver()
export class LiveResolver {
  @Authorized(can('read', 'Unit'))
  @Subscription(() => UnitFiguresChanged, {
    description:
      'Tells when the figures of these units change (a report, correction, import or move anywhere beneath them), at most once per unit per second. ' +
      'Units you cannot see answer NOT_FOUND at subscribe; if your grant is revoked, their events stop; if your session ends, the stream ends.',
    subscribe: ({ args, context }) => unitFiguresStream(context as Context, args.unitIds as string[], args.metrics as string[] | null),
  })
  unitFiguresChanged(
    @Root() event: UnitFiguresChanged | Error,
    @Arg('unitIds', () => [ID], { description: 'The units to follow (global ids, at most LIVE_MAX_UNITS, 100 by default).' }) _unitIds: string[],
    @Arg('metrics', () => [String], { nullable: true, description: 'Only these metrics (default: all).' }) _metrics?: string[] | null,
  ): UnitFiguresChanged {
    if (event instanceof Error) throw event; // the stream's credentials stopped working: tell the client, then it ends
    return event;
  }

  @Authorized(can('read', 'Campaign'))
  @Subscription(() => CampaignStandingsChanged, {
    description:
      "Tells when figures ranked in a campaign change inside your jurisdiction (its metrics, in its scope), at most once per second: re-read the rankings then.",
    subscribe: ({ args, context }) => campaignStandingsStream(context as Context, args.campaignId as string),
  })
  campaignStandingsChanged(
    @Root() event: CampaignStandingsChanged | Error,
    @Arg('campaignId', () => ID, { description: 'Global id of the campaign.' }) _campaignId: string,
  ): CampaignStandingsChanged {
    if (event instanceof Error) throw event;
    return event;
  }
}
