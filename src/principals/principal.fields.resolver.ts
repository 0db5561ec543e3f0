import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { createUnitLoaders } from '../units/unit.loaders';
import { UnitRef } from '../units/unit.types';
import { createPrincipalLoaders } from './principal.loaders';
import { ApiKeyNode, GrantNode, PrincipalNode } from './principal.types';

@Resolver(() => PrincipalNode)
export class PrincipalFieldsResolver {
  @FieldResolver(() => UnitRef, { nullable: true, description: 'Home unit (identity only): its administrators manage this principal.' })
  async homeUnit(@Ctx() ctx: Context, @Root() p: PrincipalNode): Promise<UnitRef | null> {
    if (p.homeUnitId === null) return null;
    const row = await loaders(ctx, createUnitLoaders).identity.load(p.homeUnitId);
    return row && UnitRef.from(row);
  }

  @FieldResolver(() => [GrantNode], { description: 'The roles this principal holds.' })
  async grants(@Ctx() ctx: Context, @Root() p: PrincipalNode): Promise<GrantNode[]> {
    return (await loaders(ctx, createPrincipalLoaders).grants.load(p.dbId)).map(GrantNode.from);
  }

  @FieldResolver(() => [ApiKeyNode], { description: 'API keys of this principal, revoked ones included (secrets are never shown).' })
  async apiKeys(@Ctx() ctx: Context, @Root() p: PrincipalNode): Promise<ApiKeyNode[]> {
    return (await loaders(ctx, createPrincipalLoaders).apiKeys.load(p.dbId)).map(ApiKeyNode.from);
  }
}

@Resolver(() => GrantNode)
export class GrantFieldsResolver {
  @FieldResolver(() => UnitRef, { nullable: true, description: 'The unit the role is held at (identity only); null for a national SYSTEM_ADMIN grant.' })
  async unit(@Ctx() ctx: Context, @Root() g: GrantNode): Promise<UnitRef | null> {
    if (g.unitId === null) return null;
    const row = await loaders(ctx, createUnitLoaders).identity.load(g.unitId);
    return row && UnitRef.from(row);
  }
}
