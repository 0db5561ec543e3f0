import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { NotFoundError } from './errors';
import { Node, fetchNode } from './node';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id. Objects outside your jurisdiction (or none) answer null with a NOT_FOUND error.' })
  async node(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id of any object.' }) id: string): Promise<Node> {
    const found = await fetchNode(ctx, id);
    if (!found) throw new NotFoundError('Node', id);
    return found as Node;
  }
}
