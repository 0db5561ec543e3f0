import type { GraphQLResolveInfo } from 'graphql';
import { connectionItemFields } from '../common/lookahead';

/*
 * Whether a selection asks for when units completed: a running sum over each unit's whole series, half of a
 * standings statement's work (campaign-progress.repo.ts), done only when asked.
 */

/** In a campaignProgress selection (its field names). */
export const asksCompletion = (asked: ReadonlySet<string>): boolean => asked.has('completedOn') || asked.has('completionOrder');

const COMPLETION = new Set(['completedOn']);

/** In a connection of standings (ranking, rankedChildren). */
export function standingsAskCompletion(info: GraphQLResolveInfo): boolean {
  return connectionItemFields(info, 'CampaignStanding', COMPLETION).length > 0;
}
