import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { UnitLevel } from './unit-level';
import { Unit } from './unit.types';

@ArgsType()
export class UnitsArgs extends PageArgs {
  @Field(() => UnitLevel, { nullable: true, description: 'Only units of this level.' })
  level?: UnitLevel | null;
  @Field(() => ID, { nullable: true, description: 'Only direct children of this unit.' })
  parentId?: string | null;
  @Field(() => String, { nullable: true, description: 'Accent- and case-insensitive name search: "nui thanh" finds "Núi Thành".' })
  search?: string | null;
  @Field({ nullable: true, description: 'Include retired units (default false).' })
  includeRetired?: boolean;
}

@ArgsType()
export class ChildrenArgs extends PageArgs {
  @Field(() => UnitLevel, { nullable: true, description: 'Only children of this level (a province may hold districts and, since 2025, communes).' })
  level?: UnitLevel | null;
  @Field({ nullable: true, description: 'Include retired children (default false).' })
  includeRetired?: boolean;
}

@InputType({ description: 'A new unit under an existing parent (no parent: a province, SYSTEM_ADMIN only).' })
export class CreateUnitInput {
  @Field(() => ID, { nullable: true, description: 'Parent unit; omit for a province.' })
  parentId?: string | null;
  @Field(() => String, { description: 'Official code, unique. Hamlets: leave empty to derive one from the commune code.', nullable: true })
  code?: string | null;
  @Field({ description: 'Official name with diacritics, e.g. "Thôn Tân An".' })
  name!: string;
  @Field({ description: 'Kind in Vietnamese, e.g. "xã", "thôn".' })
  kind!: string;
  @Field(() => UnitLevel, { description: 'Level of the new unit: one below its parent.' })
  level!: UnitLevel;
  @Field(() => Int, { nullable: true, description: 'Citizens eligible for an e-ID account, when known.' })
  eligibleCitizens?: number | null;
  @Field(() => DateScalar, { nullable: true, description: 'Default: today.' })
  validFrom?: string | null;
}

@InputType({ description: 'Changes to a unit; omitted fields stay as they are.' })
export class UpdateUnitInput {
  @Field(() => ID, { description: 'Global id of the unit.' })
  id!: string;
  @Field(() => String, { nullable: true, description: 'New official name.' })
  name?: string | null;
  @Field(() => String, { nullable: true, description: 'New kind in Vietnamese, e.g. "phường".' })
  kind?: string | null;
  @Field(() => Int, { nullable: true, description: 'Set to null to clear.' })
  eligibleCitizens?: number | null;
}

@InputType({ description: 'Re-parent a unit with its whole subtree.' })
export class MoveUnitInput {
  @Field(() => ID, { description: 'Global id of the unit to move.' })
  id!: string;
  @Field(() => ID, { description: 'Global id of its new parent (one level above it).' })
  newParentId!: string;
}

@InputType({ description: 'Retire a unit (merged, split or abolished). It stays readable with its history.' })
export class RetireUnitInput {
  @Field(() => ID, { description: 'Global id of the unit to retire.' })
  id!: string;
  @Field(() => DateScalar, { nullable: true, description: 'Last day of the unit; default today.' })
  validTo?: string | null;
  @Field({ nullable: true, description: 'Also retire every active unit below it (default false: refused while active children remain).' })
  cascade?: boolean;
}

@InputType({ description: 'The GSO list as CSV text.' })
export class ImportUnitsInput {
  @Field({
    description:
      'CSV with a header row: province_code, province_name, province_type, district_code, district_name, district_type, ' +
      'commune_code, commune_name, commune_type (district and commune columns may be empty). Upserted by code.',
  })
  csv!: string;
  @Field({ nullable: true, description: 'Validate and count without writing.' })
  dryRun?: boolean;
}

@ObjectType({ description: 'What a unit mutation changed.' })
export class UnitPayload {
  @Field(() => Unit, { description: 'The unit as it is now.' })
  unit!: Unit;
}

@ObjectType({ description: 'What a move changed.' })
export class MoveUnitPayload {
  @Field(() => Unit, { description: 'The unit as it is now.' })
  unit!: Unit;
  @Field(() => Int, { description: 'Units whose path changed (the unit and its subtree).' })
  movedUnits!: number;
}

@ObjectType({ description: 'What a retirement changed.' })
export class RetireUnitPayload {
  @Field(() => Unit, { description: 'The unit as it is now.' })
  unit!: Unit;
  @Field(() => Int, { description: 'Units retired (the unit and, with cascade, its active subtree).' })
  retiredUnits!: number;
}

@ObjectType({ description: 'Outcome of an import.' })
export class ImportUnitsPayload {
  @Field(() => Int, { description: 'Units created (or that would be, on a dry run).' })
  created!: number;
  @Field(() => Int, { description: 'Units whose name or kind changed.' })
  updated!: number;
  @Field(() => Int, { description: 'Units already as in the list.' })
  unchanged!: number;
  @Field({ description: 'True when nothing was written (dryRun).' })
  dryRun!: boolean;
}
