import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { Role } from '../auth/roles';
import { ApiKeyNode, GrantNode, PrincipalNode } from './principal.types';

@ArgsType()
export class PrincipalsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Accent- and case-insensitive search in username, display name and e-mail.' })
  search?: string | null;
  @Field(() => ID, { nullable: true, description: "Only principals whose home unit or a grant lies in this unit's subtree." })
  unitId?: string | null;
  @Field(() => Role, { nullable: true, description: 'Only principals holding a grant of this role.' })
  role?: Role | null;
}

@InputType({ description: "A person's account, created at a home unit (whose administrators manage it)." })
export class CreateUserInput {
  @Field({ description: 'Sign-in name: 3–64 letters, digits, ".", "_", "-" (stored lower case).' })
  username!: string;
  @Field({ description: 'Name shown to people.' })
  displayName!: string;
  @Field(() => String, { nullable: true, description: 'E-mail address.' })
  email?: string | null;
  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone?: string | null;
  @Field({ description: 'Initial password, at least 10 characters.' })
  password!: string;
  @Field(() => ID, { description: 'Home unit, inside your jurisdiction.' })
  homeUnitId!: string;
}

@InputType({ description: 'A service account for an integration; it signs in with API keys only.' })
export class CreateServiceAccountInput {
  @Field({ description: 'Name of the integration.' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'What it is for.' })
  description?: string | null;
  @Field(() => ID, { description: 'Home unit, inside your jurisdiction.' })
  homeUnitId!: string;
}

@InputType({ description: 'A new API key for a principal you manage.' })
export class CreateApiKeyInput {
  @Field(() => ID, { description: 'The principal the key acts as.' })
  principalId!: string;
  @Field({ description: 'Name, to recognise the key later.' })
  name!: string;
  @Field(() => Date, { nullable: true, description: 'When it stops working; omit for never.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'An API key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'Id of the API key.' })
  apiKeyId!: string;
}

@InputType({ description: 'A role to give a principal at a unit.' })
export class GrantRoleInput {
  @Field(() => ID, { description: 'The principal receiving the role.' })
  principalId!: string;
  @Field(() => Role, { description: 'The role.' })
  role!: Role;
  @Field(() => ID, { nullable: true, description: 'The unit; omit only for SYSTEM_ADMIN (national).' })
  unitId?: string | null;
  @Field(() => ID, { nullable: true, description: 'For TEAM_LEADER: global id of the team led.' })
  teamId?: string | null;
}

@InputType({ description: 'A grant to take away.' })
export class RevokeRoleInput {
  @Field(() => ID, { description: 'Id of the grant.' })
  grantId!: string;
}

@InputType({ description: 'The principal to act on.' })
export class PrincipalIdInput {
  @Field(() => ID, { description: 'Id of the principal.' })
  principalId!: string;
}

@InputType({ description: "A new password for a user you manage; the user's sessions are signed out." })
export class ResetPasswordInput {
  @Field(() => ID, { description: 'Id of the user.' })
  principalId!: string;
  @Field({ description: 'The new password, at least 10 characters.' })
  newPassword!: string;
}

@ObjectType({ description: 'The principal a mutation changed.' })
export class PrincipalPayload {
  @Field(() => PrincipalNode, { description: 'The principal after the change.' })
  principal!: PrincipalNode;
}

@ObjectType({ description: 'What unlockPrincipal cleared.' })
export class UnlockPrincipalPayload {
  @Field(() => PrincipalNode, { description: 'The principal.' })
  principal!: PrincipalNode;
  @Field(() => Int, { description: 'Sign-in counters and locks removed (one per address that had failed, plus the account-wide ones); 0 when none.' })
  clearedLocks!: number;
}

@ObjectType({ description: 'A new API key. `key` is shown only here, once: store it now.' })
export class CreateApiKeyPayload {
  @Field(() => ApiKeyNode, { description: 'The key (without its secret).' })
  apiKey!: ApiKeyNode;
  @Field({ description: 'The full key `p06_<keyId>_<secret>`; send it as `Authorization: Bearer <key>`. Not retrievable later.' })
  key!: string;
}

@ObjectType({ description: 'The revoked API key.' })
export class ApiKeyPayload {
  @Field(() => ApiKeyNode, { description: 'The key after the change.' })
  apiKey!: ApiKeyNode;
}

@ObjectType({ description: 'The grant given.' })
export class GrantRolePayload {
  @Field(() => GrantNode, { description: 'The new grant.' })
  grant!: GrantNode;
  @Field(() => PrincipalNode, { description: 'The principal holding it.' })
  principal!: PrincipalNode;
}

@ObjectType({ description: 'The grant taken away.' })
export class RevokeRolePayload {
  @Field(() => ID, { description: 'Id of the removed grant.' })
  revokedGrantId!: string;
  @Field(() => PrincipalNode, { description: 'The principal after the change.' })
  principal!: PrincipalNode;
}
