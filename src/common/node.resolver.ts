import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { NotFoundError } from './errors';
import { Node, fetchNode } from './node';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: 'Any object by its global id. Objects outside your jurisdiction answer NOT_FOUND.' })
  async node(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Node> {
    const found = await fetchNode(ctx, id);
    if (!found) throw new NotFoundError('Node', id);
    return found as Node;
  }
}
