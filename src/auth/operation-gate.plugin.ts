import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { RateLimitedError, UnauthenticatedError } from '../common/errors';
import { PUBLIC_OPERATIONS } from './auth-checker';

export function fragmentsOf(document: DocumentNode | undefined): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document?.definitions ?? []) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** Names of an operation's root fields, through fragments (aliases do not hide a field). */
export function rootFieldNames(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

/**
 * Default-deny, checked once per operation instead of around every field: without credentials only the
 * PUBLIC_OPERATIONS and introspection run; each `login` field (aliases included) counts against the per-address limit.
 */
export function operationGatePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: ctx, operation, document }) {
          if (!operation) return;
          const roots = rootFieldNames(operation, fragmentsOf(document));
          if (!ctx.principal && roots.some((n) => !PUBLIC_OPERATIONS.has(n) && !n.startsWith('__'))) throw new UnauthenticatedError();
          const limit = ctx.config.rateLimits.loginPerAddress;
          if (operation.operation !== 'mutation' || limit <= 0) return;
          for (const n of roots) {
            if (n !== 'login') continue;
            const decision = ctx.rateLimiter.hit(`login:${ctx.ip}`, limit);
            if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
          }
        },
      };
    },
  };
}
