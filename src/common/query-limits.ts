import { GraphQLError, Kind, visit, type ASTNode, type ASTVisitor, type DocumentNode, type FieldNode, type GraphQLField, type GraphQLSchema, type ValidationContext, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode, getNamedType, getNullableType, isListType, isObjectType } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { todayInVietnam } from './scalars';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

const limitError = (message: string, limit: string, max: number, actual: number, code = 'GRAPHQL_VALIDATION_FAILED') =>
  new GraphQLError(message, { extensions: { code, limit, max, actual, http: { status: 400 } } });

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

/** What a plain (unpaginated) list is assumed to hold: they are small fixed lists (a unit's ancestors, a campaign's metrics). */
export const PLAIN_LIST_ITEMS = 10;
const DAY_MS = 86_400_000;

/** Days from `from` to `to` (both inclusive) with the defaults of a dated series: the 30 days up to today. */
function seriesDays(args: Record<string, unknown>): number {
  const to = typeof args.to === 'string' ? args.to : todayInVietnam();
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const fromMs = typeof args.from === 'string' ? Date.parse(`${args.from}T00:00:00Z`) : toMs - 29 * DAY_MS;
  return Number.isFinite(fromMs) && Number.isFinite(toMs) ? Math.max(1, Math.round((toMs - fromMs) / DAY_MS) + 1) : 1;
}

/** The only arguments the cost reads (itemsProduced): a document's cost depends on no other variable but the directives'. */
const COST_ARGUMENTS = new Set(['first', 'from', 'to']);

/** How many items a field produces at most: a connection its page size, a dated series its days, another list PLAIN_LIST_ITEMS. */
function itemsProduced(parent: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  const named = getNamedType(field.type);
  if (isObjectType(named) && named.name.endsWith('Connection')) return typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  // A connection's nodes and edges are its page, already counted on the connection field.
  if (parent.endsWith('Connection') || !isListType(getNullableType(field.type))) return undefined;
  if (field.args.some((a) => a.name === 'from') && field.args.some((a) => a.name === 'to')) return seriesDays(args);
  return PLAIN_LIST_ITEMS;
}

/**
 * The cost of a field is what it makes the server produce: a field costs 1 plus its selection, and a
 * field that produces many items costs that many times its selection (each item's fields are built,
 * held and serialized). Aliases are separate fields, so they add up.
 */
const producedEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const items = itemsProduced(type.name, field, args);
  return items === undefined ? undefined : 1 + Math.max(items, 1) * Math.max(childComplexity, 1);
};

/** The variables a document's cost can depend on: those inside COST_ARGUMENTS of any field and inside any directive's arguments. */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) => visit(node, { Variable: (v) => void names.add(v.name.value) });
  visit(document, {
    Field: (field) => field.arguments?.forEach((a) => COST_ARGUMENTS.has(a.name.value) && collect(a.value)),
    Directive: (directive) => directive.arguments?.forEach((a) => collect(a.value)),
  });
  return [...names];
}

/**
 * Computes the cost once the operation is known (variables included) and refuses it before execution. The cost
 * depends only on the parsed document (Apollo reuses it per query text), the operation and the variables, so it
 * is computed once per combination rather than on every request of a dashboard. A cost within the limit is also
 * remembered under the values of the cost variables alone (costVariables), so a mutation whose input changes on
 * every request is costed once: any other request with those values costs the same when its variables are valid,
 * and is let through here when they are not (as the full computation does), so the verdict is the same.
 */
export function costLimitPlugin(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin {
  const known = new WeakMap<DocumentNode, Map<string, number | null>>();
  const passing = new WeakMap<DocumentNode, { variables: string[]; keys: Set<string> }>();
  const passKey = (variables: readonly string[], operationName: string | undefined, values: Record<string, unknown>): string => {
    // Only the variables given: an absent one takes its default, which a given null does not.
    const given: Record<string, unknown> = {};
    for (const v of variables) if (Object.hasOwn(values, v)) given[v] = values[v];
    return `${operationName ?? ''}\u0000${JSON.stringify(given)}\u0000${todayInVietnam()}`;
  };
  /** The cost to hold against the limit, or null when there is none (invalid variables, or known to pass). */
  const costToCheck = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null => {
    let entry = passing.get(document);
    if (!entry) passing.set(document, (entry = { variables: costVariables(document), keys: new Set() }));
    const key = passKey(entry.variables, operationName, variables);
    if (entry.keys.has(key)) return null;
    const cost = costOf(document, operationName, variables);
    if (cost !== null && cost <= maxCost && entry.keys.size < 256) entry.keys.add(key);
    return cost;
  };
  const costOf = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null => {
    let byInput = known.get(document);
    if (!byInput) known.set(document, (byInput = new Map()));
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}\u0000${todayInVietnam()}`;
    let cost = byInput.get(key);
    if (cost === undefined) {
      try {
        cost = getComplexity({ schema, query: document, operationName, variables, estimators: [producedEstimator, simpleEstimator({ defaultComplexity: 1 })] });
      } catch (e) {
        // Invalid variables: execution reports them to the client as BAD_USER_INPUT.
        if (!(e instanceof GraphQLError)) throw e;
        cost = null;
      }
      if (byInput.size < 256) byInput.set(key, cost);
    }
    return cost;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const cost = costToCheck(document, request.operationName ?? undefined, request.variables ?? {});
          if (cost !== null && cost > maxCost) {
            throw limitError(`The query costs ${cost}; the maximum cost is ${maxCost}. Ask for smaller pages or fewer nested lists.`, 'maxCost', maxCost, cost);
          }
        },
      };
    },
  };
}

/** Deepest nesting of (), [] and {} in a GraphQL document, outside strings and comments; stops counting past `stopAt`. */
export function nestingDepth(source: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      const block = source.startsWith('"""', i);
      const end = block ? '"""' : '"';
      i += end.length;
      while (i < source.length && !source.startsWith(end, i)) i += source[i] === '\\' ? 2 : 1;
      i += end.length - 1;
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return max;
}

/**
 * The error body for a document nested deeper than `max` brackets, or null. Checked on the raw text
 * before Apollo parses it: graphql-js parses and validates recursively, and a few thousand brackets
 * overflow the stack before the token limit is reached (in validation, as an internal error).
 */
export function nestingRefusal(query: unknown, max: number): { errors: GraphQLFormattedError[] } | null {
  if (typeof query !== 'string') return null;
  const depth = nestingDepth(query, max);
  if (depth <= max) return null;
  return {
    errors: [{
      message: `The document nests brackets more than ${max} deep (MAX_QUERY_NESTING).`,
      extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'maxNesting', max, actual: depth },
    }],
  };
}

/** /graphql serves queries and mutations; a subscription is refused as such, before execution, with where to send it. */
export function noSubscriptions(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') {
        context.reportError(new GraphQLError('Subscriptions are not supported over this transport: send them as Server-Sent Events to /graphql/stream (GraphQL over SSE).', { nodes: node, extensions: { unsupported: 'subscription' } }));
      }
    },
  };
}

/**
 * Apollo's stringifyResult: serializes each response once and replaces one larger than `maxBytes`
 * by a typed error (code BAD_REQUEST, limit maxResponseBytes); the cost limit keeps such responses
 * rare and bounds the memory spent before this check.
 */
export function boundedStringify(maxBytes: number) {
  return (result: { extensions?: Record<string, unknown> }): string => {
    let text: string | undefined;
    try {
      text = JSON.stringify(result);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e; // longer than a string can be
    }
    const bytes = text === undefined ? Infinity : text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
    if (text !== undefined && bytes <= maxBytes) return text;
    const actual = Number.isFinite(bytes) ? bytes : undefined;
    const size = actual === undefined ? 'too large to serialize' : `${actual} bytes`;
    return JSON.stringify({
      errors: [{
        message: `The response is ${size}, over the limit of ${maxBytes} (MAX_RESPONSE_BYTES): ask for fewer items, smaller pages or shorter periods.`,
        extensions: { code: 'BAD_REQUEST', limit: 'maxResponseBytes', max: maxBytes, actual, requestId: result.extensions?.requestId },
      }],
      data: null,
    });
  };
}
