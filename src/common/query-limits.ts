import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type GraphQLSchema, type ValidationContext, type FragmentDefinitionNode, type SelectionSetNode, getNamedType, isObjectType } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';
import { DEFAULT_PAGE_SIZE } from './pagination';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

const limitError = (message: string, limit: string, max: number, actual: number) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max, actual } });

function depthOf(selection: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!selection) return 0;
  let max = 0;
  for (const s of selection.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value.startsWith('__')) continue;
      max = Math.max(max, 1 + depthOf(s.selectionSet, fragments, seen));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(s.selectionSet, fragments, seen));
    } else if (!seen.has(s.name.value) && fragments[s.name.value]) {
      max = Math.max(max, depthOf(fragments[s.name.value].selectionSet, fragments, new Set([...seen, s.name.value])));
    }
  }
  return max;
}

/** Refuses operations nested deeper than `max` fields (fragments followed, cycles cut). */
export function depthLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(op) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
      const depth = depthOf(op.selectionSet, fragments, new Set());
      if (depth > max) context.reportError(limitError(`The query is ${depth} levels deep; the maximum depth is ${max}.`, 'maxDepth', max, depth));
    },
  });
}

/** Refuses documents with more than `max` aliased fields (alias amplification). */
export function aliasLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node: FieldNode) {
        if (node.alias) count++;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError(`The query uses ${count} aliases; the maximum is ${max}.`, 'maxAliases', max, count));
        },
      },
    };
  };
}

/** A connection costs its page size times what each item selects; other fields cost 1 plus their children. */
const connectionEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const named = getNamedType(field.type);
  if (isObjectType(named) && named.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.max(first, 1) * childComplexity;
  }
  void type;
  return undefined;
};

/** Computes the cost once the operation is known (variables included) and refuses it before execution. */
export function costLimitPlugin(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // Invalid variables: execution reports them to the client as BAD_USER_INPUT.
            if (e instanceof GraphQLError) return;
            throw e;
          }
          if (cost > maxCost) {
            throw limitError(`The query costs ${cost}; the maximum cost is ${maxCost}. Ask for smaller pages or fewer nested lists.`, 'maxCost', maxCost, cost);
          }
        },
      };
    },
  };
}
