import { getNamedType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Root queries whose answers depend only on shared data and the caller's jurisdiction. */
const CACHEABLE_ROOTS = new Set(['unit', 'unitByCode', 'units', 'campaign', 'campaigns', 'metric', 'metrics', 'team', 'teams']);
/** Types that describe accounts, sessions or the audit trail: answers holding them are never shared. */
const PRIVATE_TYPES = new Set(['Principal', 'PrincipalRef', 'PrincipalConnection', 'PrincipalEdge', 'Grant', 'Me', 'ApiKey', 'AuditEntry', 'AuditEntryConnection', 'AuditEntryEdge', 'ProgressHistoryEntry', 'ProgressHistoryConnection', 'ProgressHistoryEdge']);

const memo = new WeakMap<DocumentNode, boolean>();

/** Whether every operation of the document is a query of dashboard data only (decided once per parsed document). */
export function isCacheableDocument(schema: GraphQLSchema, document: DocumentNode): boolean {
  let verdict = memo.get(document);
  if (verdict !== undefined) return verdict;
  verdict = true;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== 'query') verdict = false;
      },
      Field(node) {
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (parent?.name === 'Query' && !CACHEABLE_ROOTS.has(node.name.value) && node.name.value !== '__typename') verdict = false;
        if (node.name.value.startsWith('__') && node.name.value !== '__typename') verdict = false;
        if (!type || PRIVATE_TYPES.has(getNamedType(type).name)) verdict = false;
      },
    }),
  );
  memo.set(document, verdict);
  return verdict;
}
