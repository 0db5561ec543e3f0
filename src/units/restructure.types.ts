import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../common/scalars';
import { LineageKind } from './tree.entity';
import { Unit, UnitRef } from './unit.types';

registerEnumType(LineageKind, {
  name: 'LineageKind',
  description: 'How a unit passed into another in a restructuring.',
  valuesConfig: {
    MERGED: { description: 'The whole unit joined the successor (its figures continue there).' },
    SPLIT: { description: 'A part of the unit went to the successor.' },
    ABOLISHED: { description: 'The level was abolished; what the unit held now sits directly under the successor.' },
  },
});

@ObjectType({ description: 'A link between a unit and its predecessor or successor.' })
export class LineageLink {
  @Field(() => UnitRef, { description: 'The other unit (identity only).' })
  unit!: UnitRef;
  @Field(() => DateScalar, { description: 'First day of the new arrangement.' })
  effectiveDate!: string;
  @Field(() => LineageKind, { description: 'How the units are related (merge, split…).' })
  kind!: LineageKind;
  @Field({ description: "True when the predecessor's figures (or its share) continue in the successor." })
  carriesFigures!: boolean;
  @Field(() => Float, { nullable: true, description: 'Share of the figures carried, for splits by share.' })
  share!: number | null;
}

@ObjectType({ description: 'A former official name of a unit.' })
export class UnitName {
  @Field({ description: 'The name borne then.' })
  name!: string;
  @Field({ description: 'The kind borne then (e.g. "xã").' })
  kind!: string;
  @Field(() => DateScalar, { nullable: true, description: 'First day of this name (null: since the unit was recorded).' })
  validFrom!: string | null;
  @Field(() => DateScalar, { description: 'First day of the next name.' })
  validTo!: string;
}

@ObjectType({ description: 'What a restructuring changed (or, with dryRun, would change).' })
export class RestructuringSummary {
  @Field({ description: 'True when nothing was written.' })
  dryRun!: boolean;
  @Field(() => DateScalar, { description: 'First day of the new arrangement.' })
  effectiveDate!: string;
  @Field(() => Int, { description: 'Units created.' })
  created!: number;
  @Field(() => Int, { description: 'Units renamed.' })
  renamed!: number;
  @Field(() => Int, { description: 'Units whose place in the tree changed from the effective date (moved units and their subtrees).' })
  moved!: number;
  @Field(() => Int, { description: 'Units retired (their last day is the day before).' })
  retired!: number;
  @Field(() => Int, { description: 'Lineage links recorded.' })
  lineageLinks!: number;
  @Field(() => Int, { description: 'Grants moved to a successor.' })
  grantsMoved!: number;
  @Field(() => Int, { description: 'Teams moved to a successor.' })
  teamsMoved!: number;
  @Field(() => Int, { description: 'Quotas of running campaigns added to a successor.' })
  quotasMerged!: number;

  static empty(day: string, dryRun: boolean): RestructuringSummary {
    return Object.assign(new RestructuringSummary(), {
      dryRun, effectiveDate: day, created: 0, renamed: 0, moved: 0, retired: 0, lineageLinks: 0, grantsMoved: 0, teamsMoved: 0, quotasMerged: 0,
    });
  }
}

@ObjectType({ description: 'Outcome of a merge or split.' })
export class RestructurePayload {
  @Field(() => RestructuringSummary, { description: 'What changed (or would change, for a dry run).' })
  summary!: RestructuringSummary;
  @Field(() => [Unit], { description: 'The successor(s), as of the effective date.' })
  successors!: Unit[];
  @Field(() => [Unit], { description: 'The unit(s) retired by the change.' })
  predecessors!: Unit[];
}

@ObjectType({ description: 'Outcome of a rename.' })
export class RenameUnitPayload {
  @Field(() => Unit, { description: 'The renamed unit, as of the first day of its new name.' })
  unit!: Unit;
}
