import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { ImportProgressInput, ImportProgressPayload, ReportProgressInput, ReportProgressPayload } from './progress.inputs';
import { reportProgress } from './report-progress.service';
import { importProgress } from './import-progress.service';

@Resolver()
export class ProgressResolver {
  @Authorized(canOnObject('report', 'Progress'))
  @Mutation(() => ReportProgressPayload, {
    description:
      "Report a unit's cumulative figures as of a day. Idempotent: the same report again changes nothing; a different value for the same " +
      'unit, metric and day is a correction (kept in history). Refused as a whole (BAD_USER_INPUT, every problem with its field path) for ' +
      'negative values, future days, days outside the unit\'s life, a unit not at the metric\'s reporting level, activated > approved > ' +
      'collected on any day a value is in force (until the next report of its metric; a stage the unit reports counts 0 before its first ' +
      'report), or, without a correctionReason, a cumulative value below the report before, below the value already reported for the day, ' +
      'or above the report after.',
  })
  reportProgress(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ReportProgressInput.' }) input: ReportProgressInput): Promise<ReportProgressPayload> {
    return reportProgress(ctx, input);
  }

  @Authorized(can('report', 'Progress'))
  @Mutation(() => ImportProgressPayload, {
    description:
      'Import up to 10,000 report rows atomically (all or none), under the rules of reportProgress without a correctionReason. Every ' +
      'rejected row is reported with its 1-based row number (extensions.problems[].row). Re-importing the same rows changes nothing. ' +
      'dryRun: validate only.',
  })
  importProgress(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ImportProgressInput.' }) input: ImportProgressInput): Promise<ImportProgressPayload> {
    return importProgress(ctx, input);
  }
}
