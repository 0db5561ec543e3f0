import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { ProgressReport } from './progress.types';

@InputType({ description: 'One metric value of a report.' })
export class ProgressValueInput {
  @Field({ description: 'Metric code, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => Int, { description: 'Cumulative total as of the day (a head count for reason metrics); 0 or more.' })
  value!: number;
}

@InputType({ description: "A reporting unit's figures as of one day." })
export class ReportProgressInput {
  @Field(() => ID, { description: 'The reporting unit (its level must be the metrics\' reporting level, usually a hamlet).' })
  unitId!: string;
  @Field(() => DateScalar, { description: 'The day the figures stand for; not in the future (Vietnam time), within the unit\'s life.' })
  asOf!: string;
  @Field(() => [ProgressValueInput], { description: 'One value per metric (at most one per metric).' })
  values!: ProgressValueInput[];
  @Field(() => String, { nullable: true, description: 'Free-text note kept with the reports.' })
  note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why an earlier figure is being corrected. Required to report a cumulative value lower than the previous report.',
  })
  correctionReason?: string | null;
}

@ObjectType({ description: 'What reportProgress wrote.' })
export class ReportProgressPayload {
  @Field(() => [ProgressReport], { description: 'The reports of the input, as stored now (changed or not).' })
  reports!: ProgressReport[];
  @Field(() => Int, { description: 'How many values were new or corrected; 0 when the same report was sent again.' })
  changed!: number;
}

@InputType({ description: 'One row of a progress import.' })
export class ImportProgressRowInput {
  @Field({ description: 'Official code of the reporting unit.' })
  unitCode!: string;
  @Field({ description: 'Metric code.' })
  metric!: string;
  @Field(() => DateScalar, { description: 'The day the value stands for.' })
  asOf!: string;
  @Field(() => Int, { description: 'The value.' })
  value!: number;
}

@InputType({ description: 'Up to 10,000 report rows, written atomically (all or none).' })
export class ImportProgressInput {
  @Field(() => [ImportProgressRowInput], { description: 'The rows; row numbers in errors are 1-based positions in this list.' })
  rows!: ImportProgressRowInput[];
  @Field({ nullable: true, description: 'Only validate: report every problem, write nothing (default false).' })
  dryRun?: boolean;
}

@ObjectType({ description: 'What importProgress did (or would do, in a dry run).' })
export class ImportProgressPayload {
  @Field(() => Int, { description: 'Rows received.' })
  rows!: number;
  @Field(() => Int, { description: 'Reports created or corrected.' })
  changed!: number;
  @Field(() => Int, { description: 'Rows already stored with the same value (a re-import changes nothing).' })
  unchanged!: number;
  @Field({ description: 'True when nothing was written on purpose.' })
  dryRun!: boolean;
}

@ArgsType()
export class ProgressHistoryArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this metric.' })
  metric?: string | null;
}
