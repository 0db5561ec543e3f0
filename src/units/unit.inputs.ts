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
  @Field({ nullable: true, description: 'Include retired units (default false). With asOf: also units attached that day though no longer existing (predecessors whose figures continue in their successor).' })
  includeRetired?: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'List the units that existed on this day, in the tree in force that day (default: the current tree). `parentId` then means the parent that day.' })
  asOf?: string | null;
}

@ArgsType()
export class ChildrenArgs extends PageArgs {
  @Field(() => UnitLevel, { nullable: true, description: 'Only children of this level (a province may hold districts and, since 2025, communes).' })
  level?: UnitLevel | null;
  @Field({ nullable: true, description: 'Include retired children (default false). With a day: also children attached that day though no longer existing (merged predecessors).' })
  includeRetired?: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'Children in the tree in force on this day (default: the day the parent was read for).' })
  asOf?: string | null;
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
  @Field(() => DateScalar, { nullable: true, description: 'First day under the new parent (default today; never in the future). Figures before it stay with the old parents.' })
  effectiveDate?: string | null;
}

@InputType({ description: 'Retire a unit (merged, split or abolished). It stays readable with its history.' })
export class RetireUnitInput {
  @Field(() => ID, { description: 'Global id of the unit to retire.' })
  id!: string;
  @Field(() => DateScalar, { nullable: true, description: 'Last day of the unit (before today; default yesterday). From the next day it no longer counts anywhere.' })
  validTo?: string | null;
  @Field({ nullable: true, description: 'Also retire every active unit below it (default false: refused while active children remain).' })
  cascade?: boolean;
}

@InputType({ description: 'The GSO list as CSV text.' })
export class ImportUnitsInput {
  @Field({
    description:
      'CSV with a header row: province_code, province_name, province_type, district_code, district_name, district_type, ' +
      'commune_code, commune_name, commune_type. Upserted by code. The file is read as 3 levels when any row names a ' +
      'district (then every row must) and as 2 levels (communes directly under provinces) when none does; commune ' +
      'columns may be empty (island districts).',
  })
  csv!: string;
  @Field({ nullable: true, description: 'Validate and count without writing; lists every move the list would make.' })
  dryRun?: boolean;
  @Field({
    nullable: true,
    description:
      'The list is complete: retire, from today, every active province, district or commune in your jurisdiction it no longer holds (with their subtrees; ' +
      'they stop counting from today, their history stays). Default false. With dryRun, `missing` lists them. For a reform with successors use applyRestructuring.',
  })
  retireMissing?: boolean;
  @Field({
    nullable: true,
    description:
      'Required (true) for a real run in which an existing code appears under another parent: the unit moves with its ' +
      'subtree from today (figures before today stay with the old parents). Without it such a file is refused (BAD_USER_INPUT naming each moving row). Default false.',
  })
  allowMoves?: boolean;
}

@ObjectType({ description: 'An existing unit the imported list puts under another parent.' })
export class ImportUnitMove {
  @Field({ description: 'Official code of the unit that moves.' })
  code!: string;
  @Field({ description: 'Its official name.' })
  name!: string;
  @Field(() => UnitLevel, { description: 'Its level.' })
  level!: UnitLevel;
  @Field(() => String, { nullable: true, description: 'Code of its parent now (null: top level).' })
  fromParentCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Code of the parent the list gives it.' })
  toParentCode!: string | null;
  @Field(() => Int, { description: 'First row of the file naming the unit (the header is row 1).' })
  row!: number;
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
  @Field(() => Int, { description: 'How the file was read: 3 (province → district → commune) or 2 (province → commune: no row names a district).' })
  levels!: number;
  @Field(() => [ImportUnitMove], { description: 'Every existing unit the list moves to another parent (listed in a dry run too).' })
  moves!: ImportUnitMove[];
  @Field(() => Int, { description: 'Units retired because the list no longer holds them (retireMissing), subtrees included.' })
  retired!: number;
  @Field(() => [String], { description: 'With retireMissing: codes of the units the list no longer holds (the topmost of each missing subtree).' })
  missing!: string[];
}
