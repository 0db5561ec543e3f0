import { Field, Float, ID, InputType } from 'type-graphql';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'A unit created by a restructuring (under an existing parent), from the effective date.' })
export class NewSuccessorInput {
  @Field({ description: 'Official code, unique.' })
  code!: string;
  @Field({ description: 'Official name, e.g. "Xã Tam Tiến".' })
  name!: string;
  @Field({ description: 'Kind in Vietnamese, e.g. "xã", "phường".' })
  kind!: string;
  @Field(() => ID, { description: 'Parent of the new unit.' })
  parentId!: string;
}

@InputType({ description: 'Several units of one level become one (an existing unit, or a new one), from an effective date.' })
export class MergeUnitsInput {
  @Field(() => [ID], { description: 'The units merged away (2 or more with a new successor; 1 or more into an existing one). They are retired the day before the effective date.' })
  predecessorIds!: string[];
  @Field(() => ID, { nullable: true, description: 'An existing unit that absorbs them (it keeps its id, code and history). Exactly one of successorId / newSuccessor.' })
  successorId?: string | null;
  @Field(() => NewSuccessorInput, { nullable: true, description: 'A new unit that replaces them.' })
  newSuccessor?: NewSuccessorInput | null;
  @Field(() => DateScalar, { description: 'First day of the new arrangement (never in the future).' })
  effectiveDate!: string;
  @Field({ nullable: true, description: 'Check and report what would change, writing nothing (default false).' })
  dryRun?: boolean;
}

@InputType({ description: 'One successor of a split: an existing or a new unit, with the hamlets (children) it takes or its share of the figures.' })
export class SplitPartInput {
  @Field(() => ID, { nullable: true, description: 'An existing unit of the same level. Exactly one of successorId / newSuccessor.' })
  successorId?: string | null;
  @Field(() => NewSuccessorInput, { nullable: true, description: 'A new unit this part becomes. Exactly one of successorId / newSuccessor.' })
  newSuccessor?: NewSuccessorInput | null;
  @Field(() => [ID], { nullable: true, description: 'Children of the split unit this successor takes (with their figures). Give them for every part, or shares for every part.' })
  childIds?: string[] | null;
  @Field(() => Float, { nullable: true, description: 'Share (0–1) of each figure of the split unit this successor carries from the effective date; shares add up to 1.' })
  share?: number | null;
}

@InputType({ description: 'One unit becomes several, from an effective date.' })
export class SplitUnitInput {
  @Field(() => ID, { description: 'The unit split up.' })
  id!: string;
  @Field(() => [SplitPartInput], { description: 'At least two parts; the first is the primary successor (it keeps any figures of the unit itself).' })
  parts!: SplitPartInput[];
  @Field(() => DateScalar, { description: 'First day of the new arrangement (never in the future).' })
  effectiveDate!: string;
  @Field({ nullable: true, description: 'Check and report what would change, writing nothing (default false).' })
  dryRun?: boolean;
}

@InputType({ description: 'A new official name (and kind) from an effective date; the old one stays in the name history.' })
export class RenameUnitInput {
  @Field(() => ID, { description: 'The unit renamed.' })
  id!: string;
  @Field({ description: 'Its new official name.' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'New kind (e.g. "phường" when a xã becomes a ward); default unchanged.' })
  kind?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'First day of the new name (default today; never in the future).' })
  effectiveDate?: string | null;
}

@InputType({ description: 'Apply an official conversion table (old commune → new commune) in one transaction.' })
export class ApplyRestructuringInput {
  @Field({
    description:
      'CSV shaped like mapping_2025.csv: old_commune_code, new_commune_code, new_commune_name, new_province_code, new_province_name ' +
      '(old_district_code for a district without communes); optional new_commune_type, merge_note.',
  })
  csv!: string;
  @Field({ nullable: true, description: 'CSV of the new unit list (units_2025.csv shape) for the official names and types of the new units.' })
  unitsCsv?: string;
  @Field(() => DateScalar, { description: 'First day of the new map (e.g. 2025-07-01; never in the future).' })
  effectiveDate!: string;
  @Field({ nullable: true, description: 'Check and report what would change, writing nothing (default false).' })
  dryRun?: boolean;
}
