import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/** A field selected on the items of a list, with its arguments coerced as graphql-js will pass them. */
export interface SelectedField {
  node: FieldNode;
  args: Record<string, unknown>;
}

/**
 * The fields named in `names` that graphql-js will resolve on the nodes of the connection being resolved
 * (`nodes { … }` and `edges { node { … } }`): through fragments whose type condition matches, leaving out what
 * @skip/@include exclude, as its collectFields does. Lets a list resolver load, for the whole page at once, what its
 * items' fields will read, so those fields resolve without a promise each. A field whose arguments do not coerce is
 * left out (graphql-js reports it when it resolves the field).
 */
export function connectionItemFields(info: GraphQLResolveInfo, itemTypeName: string, names: ReadonlySet<string>): SelectedField[] {
  const connection = getNamedType(info.returnType);
  const itemType = info.schema.getType(itemTypeName);
  if (!(connection instanceof GraphQLObjectType) || !(itemType instanceof GraphQLObjectType)) return [];
  const edges = connection.getFields().edges;
  const edgeType = edges && getNamedType(edges.type);
  const found: SelectedField[] = [];
  const onItems = (set: SelectionSetNode | undefined) => {
    for (const node of collect(info, set, itemType)) {
      if (!names.has(node.name.value)) continue;
      const def = itemType.getFields()[node.name.value];
      if (!def) continue;
      try {
        found.push({ node, args: getArgumentValues(def, node, info.variableValues) });
      } catch {
        // graphql-js raises the same error when it resolves this field
      }
    }
  };
  for (const fieldNode of info.fieldNodes) {
    for (const node of collect(info, fieldNode.selectionSet, connection)) {
      if (node.name.value === 'nodes') onItems(node.selectionSet);
      else if (node.name.value === 'edges' && edgeType instanceof GraphQLObjectType) {
        for (const inner of collect(info, node.selectionSet, edgeType)) if (inner.name.value === 'node') onItems(inner.selectionSet);
      }
    }
  }
  return found;
}

/** The field nodes of a selection set on `type`, through matching fragments, without the excluded ones. */
function collect(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, type: GraphQLObjectType): FieldNode[] {
  const out: FieldNode[] = [];
  const visited = new Set<string>();
  const walk = (selections: SelectionSetNode | undefined): void => {
    for (const s of selections?.selections ?? []) {
      if (!included(info, s)) continue;
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (matches(info, s.typeCondition?.name.value, type)) walk(s.selectionSet);
      } else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const fragment = info.fragments[s.name.value];
        if (fragment && matches(info, fragment.typeCondition.name.value, type)) walk(fragment.selectionSet);
      }
    }
  };
  walk(set);
  return out;
}

function included(info: GraphQLResolveInfo, node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

function matches(info: GraphQLResolveInfo, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const named = info.schema.getType(condition);
  return !!named && isAbstractType(named) && info.schema.isSubType(named, type);
}
