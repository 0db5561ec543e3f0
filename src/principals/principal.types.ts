import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { PrincipalKind, PrincipalStatus } from '../auth/principal.entity';
import { Role } from '../auth/roles';
import type { ApiKeyRow, GrantRow, PrincipalRow } from './principal.repo';

registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'A person (signs in with a password) or a service account (uses API keys).',
  valuesConfig: {
    USER: { description: "A person's account: signs in with a username and password." },
    SERVICE_ACCOUNT: { description: "An integrator's account: no password, authenticates with API keys only." },
  },
});
registerEnumType(PrincipalStatus, {
  name: 'PrincipalStatus',
  description: 'Disabled principals cannot sign in and their tokens and keys stop working.',
  valuesConfig: {
    ACTIVE: { description: 'May sign in and use its keys.' },
    DISABLED: { description: 'Sign-in, sessions and API keys refused until enabled again.' },
  },
});

@ObjectType('Principal', { implements: Node, description: "A person's account or an integrator's service account." })
export class PrincipalNode extends Node {
  readonly __typename = 'Principal';
  dbId!: number;
  homeUnitId!: number | null;
  /** Rule attributes (ability.ts), not part of the schema. */
  homePath!: string | null;
  grantPaths!: (string | null)[];

  @Field(() => PrincipalKind, { description: 'USER or SERVICE_ACCOUNT.' })
  kind!: PrincipalKind;
  @Field(() => String, { nullable: true, description: 'Sign-in name (lower case); null for service accounts.' })
  username!: string | null;
  @Field({ description: 'Name shown to people.' })
  displayName!: string;
  @Field(() => String, { nullable: true, description: 'E-mail address, when known.' })
  email!: string | null;
  @Field(() => String, { nullable: true, description: 'Phone number, when known.' })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: 'What a service account is for.' })
  description!: string | null;
  @Field(() => PrincipalStatus, { description: 'ACTIVE or DISABLED.' })
  status!: PrincipalStatus;
  @Field({ description: 'When the principal was created.' })
  createdAt!: Date;

  static from(row: PrincipalRow): PrincipalNode {
    return Object.assign(new PrincipalNode(), {
      id: toGlobalId('Principal', row.id),
      dbId: row.id,
      homeUnitId: row.homeUnitId,
      homePath: row.homePath,
      grantPaths: row.grantPaths ?? [],
      kind: row.kind as PrincipalKind,
      username: row.username,
      displayName: row.displayName,
      email: row.email,
      phone: row.phone,
      description: row.description,
      status: row.status as PrincipalStatus,
      createdAt: new Date(row.createdAt),
    });
  }
}

@ObjectType('Grant', { implements: Node, description: 'A role held at a unit (national for SYSTEM_ADMIN).' })
export class GrantNode extends Node {
  readonly __typename = 'Grant';
  dbId!: number;
  unitId!: number | null;
  principalId!: number;

  @Field(() => Role, { description: 'The role granted.' })
  role!: Role;
  @Field(() => ID, { nullable: true, description: 'For TEAM_LEADER grants: global id of the team led.' })
  teamId!: string | null;
  @Field({ description: 'When the grant was given.' })
  createdAt!: Date;

  static from(row: GrantRow): GrantNode {
    return Object.assign(new GrantNode(), {
      id: toGlobalId('Grant', row.id),
      dbId: row.id,
      unitId: row.unitId,
      principalId: row.principalId,
      role: row.role as Role,
      teamId: row.teamId == null ? null : toGlobalId('Team', row.teamId),
      createdAt: new Date(row.createdAt),
    });
  }
}

@ObjectType('ApiKey', { implements: Node, description: 'An API key of a principal. The secret is shown once, when the key is created.' })
export class ApiKeyNode extends Node {
  readonly __typename = 'ApiKey';
  dbId!: number;

  @Field({ description: 'Name given at creation, e.g. "CSV import from the district office".' })
  name!: string;
  @Field({ description: 'The public start of the key, `p06_<keyId>`, to recognise it in lists and logs.' })
  prefix!: string;
  @Field(() => Date, { nullable: true, description: 'When the key stops working; null for never.' })
  expiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last use (updated at most once a minute).' })
  lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the key was revoked.' })
  revokedAt!: Date | null;
  @Field({ description: 'When the key was created.' })
  createdAt!: Date;

  static from(row: ApiKeyRow): ApiKeyNode {
    const d = (v: Date | null) => (v ? new Date(v) : null);
    return Object.assign(new ApiKeyNode(), {
      id: toGlobalId('ApiKey', row.id),
      dbId: row.id,
      name: row.name,
      prefix: `p06_${row.keyId}`,
      expiresAt: d(row.expiresAt),
      lastUsedAt: d(row.lastUsedAt),
      revokedAt: d(row.revokedAt),
      createdAt: new Date(row.createdAt),
    });
  }
}

@ObjectType('Me', { description: 'The signed-in principal, its grants and what they allow.' })
export class Me {
  @Field(() => PrincipalNode, { description: 'Your account.' })
  principal!: PrincipalNode;
  @Field(() => [String], { description: 'Actions you hold on some objects, as "action:Subject" (e.g. "update:Unit"); where they apply depends on your grants.' })
  permissions!: string[];
  @Field(() => ID, { nullable: true, description: 'Id of the current session (null when signed in with an API key).' })
  sessionId!: string | null;
}

export const PrincipalConnection = ConnectionType(PrincipalNode, 'Principal', 'principal');
