import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { Me, PrincipalConnection, PrincipalNode } from './principal.types';
import {
  ApiKeyPayload, CreateApiKeyInput, CreateApiKeyPayload, CreateServiceAccountInput, CreateUserInput, GrantRoleInput, GrantRolePayload,
  PrincipalIdInput, PrincipalPayload, PrincipalsArgs, ResetPasswordInput, RevokeApiKeyInput, RevokeRoleInput, RevokeRolePayload, UnlockPrincipalPayload,
} from './principal.inputs';
import * as principals from './principal.service';
import * as grants from './grant.service';
import * as apiKeys from './api-key.service';
import { unlockPrincipal } from './unlock.service';

@Resolver(() => PrincipalNode)
export class PrincipalResolver {
  @Authorized()
  @Query(() => Me, { description: 'The signed-in principal, its grants and permissions.' })
  me(@Ctx() ctx: Context): Promise<Me> {
    return principals.me(ctx);
  }

  @Authorized(can('read', 'Principal'))
  @Query(() => PrincipalConnection, { description: 'Principals you manage: home unit and all grants inside your jurisdiction.' })
  principals(@Ctx() ctx: Context, @Args() args: PrincipalsArgs) {
    return principals.listPrincipals(ctx, args);
  }

  @Authorized(canOnObject('read', 'Principal'))
  @Query(() => PrincipalNode, { nullable: true, description: 'A principal by id; principals you do not manage answer NOT_FOUND.' })
  principal(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of the principal.' }) id: string): Promise<PrincipalNode> {
    return principals.getPrincipal(ctx, id);
  }

  @Authorized(canOnObject('create', 'Principal'))
  @Mutation(() => PrincipalPayload, { description: "Create a person's account at a home unit in your jurisdiction (no grants yet)." })
  async createUser(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateUserInput.' }) input: CreateUserInput): Promise<PrincipalPayload> {
    return { principal: await principals.createUser(ctx, input) };
  }

  @Authorized(canOnObject('create', 'Principal'))
  @Mutation(() => PrincipalPayload, { description: 'Create a service account (API keys only) at a home unit in your jurisdiction.' })
  async createServiceAccount(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateServiceAccountInput.' }) input: CreateServiceAccountInput): Promise<PrincipalPayload> {
    return { principal: await principals.createServiceAccount(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => CreateApiKeyPayload, { description: 'Create an API key for a principal you manage; the key is in the payload, once.' })
  createApiKey(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see CreateApiKeyInput.' }) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return apiKeys.createApiKey(ctx, input);
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => ApiKeyPayload, { description: 'Revoke an API key; it stops working on the next request.' })
  revokeApiKey(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RevokeApiKeyInput.' }) input: RevokeApiKeyInput): Promise<ApiKeyPayload> {
    return apiKeys.revokeApiKey(ctx, input);
  }

  @Authorized(canOnObject('grant', 'Principal'))
  @Mutation(() => GrantRolePayload, {
    description:
      'Give a role at a unit. ADMIN gives VIEWER, OFFICER, TEAM_LEADER in its subtree and ADMIN strictly below; SYSTEM_ADMIN only by SYSTEM_ADMIN; never to yourself. ' +
      'A principal holds a role at a unit once: giving it again answers CONFLICT, also when identical calls arrive at the same time (one succeeds).',
  })
  grantRole(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see GrantRoleInput.' }) input: GrantRoleInput): Promise<GrantRolePayload> {
    return grants.grantRole(ctx, input);
  }

  @Authorized(canOnObject('grant', 'Principal'))
  @Mutation(() => RevokeRolePayload, { description: 'Take a grant away; it stops counting on the next request. The last active SYSTEM_ADMIN is kept (CONFLICT).' })
  revokeRole(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see RevokeRoleInput.' }) input: RevokeRoleInput): Promise<RevokeRolePayload> {
    return grants.revokeRole(ctx, input);
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => PrincipalPayload, { description: 'Disable an account: sign-in, its sessions and keys stop working. Not yourself, not the last active SYSTEM_ADMIN.' })
  async disablePrincipal(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see PrincipalIdInput.' }) input: PrincipalIdInput): Promise<PrincipalPayload> {
    return { principal: await principals.setPrincipalStatus(ctx, input, 'DISABLED') };
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => PrincipalPayload, { description: 'Enable a disabled account again (its old sessions stay ended).' })
  async enablePrincipal(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see PrincipalIdInput.' }) input: PrincipalIdInput): Promise<PrincipalPayload> {
    return { principal: await principals.setPrincipalStatus(ctx, input, 'ACTIVE') };
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => PrincipalPayload, { description: "Set a new password for a user you manage; the user's sessions are signed out." })
  async resetPassword(@Ctx() ctx: Context, @Arg('input', { description: 'What to do: see ResetPasswordInput.' }) input: ResetPasswordInput): Promise<PrincipalPayload> {
    return { principal: await principals.resetPassword(ctx, input) };
  }

  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => UnlockPrincipalPayload, {
    description:
      'Let a user you manage sign in again from every address: clears the sign-in locks of its username (each address that failed ' +
      'too often is locked out of it for 15 minutes) and its changeMyPassword lock. Audited (principal.unlock).',
  })
  unlockPrincipal(@Ctx() ctx: Context, @Arg('input', { description: 'Whose locks to clear: see PrincipalIdInput.' }) input: PrincipalIdInput): Promise<UnlockPrincipalPayload> {
    return unlockPrincipal(ctx, input);
  }
}
