import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { UnitLevel } from './unit-level';
import type { UnitRow } from './unit.repo';

@ObjectType('UnitRef', {
  description:
    'The identity of a unit (code, name, level, kind) without its figures: what breadcrumbs need. ' +
    'Ancestors and parents of units in your jurisdiction are always visible this way.',
})
export class UnitRef {
  @Field(() => ID, { description: 'Global id of the unit (the same id `unit(id:)` takes).' })
  id!: string;
  @Field({ description: 'Official code: GSO codes for provinces (2 digits), districts (3), communes (5); derived codes for hamlets.' })
  code!: string;
  @Field({ description: 'Official name with Vietnamese diacritics (NFC), e.g. "Huyện Núi Thành".' })
  name!: string;
  @Field(() => UnitLevel, { description: 'Level in the hierarchy: PROVINCE, DISTRICT, COMMUNE or HAMLET.' })
  level!: UnitLevel;
  @Field({ description: 'Kind of unit in Vietnamese, e.g. "huyện", "xã", "thôn".' })
  kind!: string;

  static from(row: UnitRow): UnitRef {
    return Object.assign(new UnitRef(), { id: toGlobalId('Unit', row.id), code: row.code, name: row.name, level: row.level, kind: row.kind });
  }
}

@ObjectType('Unit', { implements: Node, simpleResolvers: true, description: 'An administrative unit: province, district, commune or hamlet.' })
export class Unit extends Node {
  readonly __typename = 'Unit';
  /** Database id and path, for resolvers; not part of the schema. */
  dbId!: number;
  path!: string;
  parentId!: number | null;
  /** The day this unit was read for (null: the current tree), and its parent and ancestry that day. */
  asOf!: string | null;
  treeParentId!: number | null;
  treePath!: string;

  @Field({ description: 'Official code: GSO codes for provinces (2 digits), districts (3), communes (5); derived codes for hamlets.' })
  code!: string;
  @Field({ description: 'Official name with Vietnamese diacritics (NFC).' })
  name!: string;
  @Field({ description: 'Kind of unit in Vietnamese, e.g. "tỉnh", "huyện", "xã", "phường", "thôn", "ấp".' })
  kind!: string;
  @Field(() => UnitLevel, { description: 'Level in the hierarchy: PROVINCE, DISTRICT, COMMUNE or HAMLET.' })
  level!: UnitLevel;
  @Field(() => Int, { nullable: true, description: 'Citizens eligible for an e-ID account here, when known.' })
  eligibleCitizens!: number | null;
  @Field(() => DateScalar, { description: 'First day the unit exists in this form.' })
  validFrom!: string;
  @Field(() => DateScalar, { nullable: true, description: 'Last day the unit existed, when retired (merged, split, abolished). Retired units stay readable.' })
  validTo!: string | null;
  @Field({ description: 'True once the unit has been retired.' })
  retired!: boolean;
  @Field(() => Int, { description: 'Depth in the tree: 1 for a province.' })
  depth!: number;

  static from(row: UnitRow): Unit {
    return Object.assign(new Unit(), {
      id: toGlobalId('Unit', row.id),
      dbId: row.id,
      path: row.path,
      parentId: row.parentId,
      asOf: row.asOf ?? null,
      treeParentId: row.asOf ? (row.treeParentId ?? null) : row.parentId,
      treePath: row.asOf ? (row.treePath ?? row.path) : row.path,
      code: row.code,
      name: row.name,
      kind: row.kind,
      level: row.level,
      eligibleCitizens: row.eligibleCitizens,
      validFrom: row.validFrom,
      validTo: row.validTo,
      retired: row.validTo !== null,
      depth: (row.asOf ? (row.treePath ?? row.path) : row.path).split('.').length,
    });
  }
}

export const UnitConnection = ConnectionType(Unit, 'Unit', 'unit');
