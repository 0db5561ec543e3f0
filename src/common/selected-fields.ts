import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const memo = new WeakMap<readonly unknown[], Set<string>>();

/** Names of the fields selected under the field being resolved (through fragments), to skip work nobody asked for. */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  return selectedFieldsOf(info.fieldNodes, info.fragments);
}

/** selectedFields for given field nodes (e.g. found ahead by common/lookahead.ts). */
export function selectedFieldsOf(fieldNodes: readonly FieldNode[], fragments: GraphQLResolveInfo['fragments']): Set<string> {
  let names = memo.get(fieldNodes);
  if (names) return names;
  names = new Set<string>();
  const found = names;
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) found.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(fragments[s.name.value]?.selectionSet);
      }
    }
  };
  for (const node of fieldNodes) walk(node.selectionSet);
  memo.set(fieldNodes, names);
  return names;
}
