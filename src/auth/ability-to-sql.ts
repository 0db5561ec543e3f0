import { rulesToAST } from '@casl/ability/extra';
import type { Condition, CompoundCondition, FieldCondition } from '@ucast/mongo2js';
import type { AppAbility } from './ability';
import type { Action, Subject } from './permissions';

export interface SqlCondition {
  sql: string;
  bindings: unknown[];
}

export const SQL_TRUE: SqlCondition = { sql: 'true', bindings: [] };
export const SQL_FALSE: SqlCondition = { sql: 'false', bindings: [] };

/**
 * Maps the fields rules speak of (`path`, `id`, …) to SQL column expressions of the query at hand.
 * List-valued fields (`grantPaths`) map to an expression of type ltree[].
 */
export type ColumnMap = Partial<Record<string, string>>;

/**
 * Translates what `ability` allows for (action, subject) into a SQL boolean expression.
 * Nothing allowed gives `false` (an impossible condition), not an error, so lists come back empty.
 */
export function abilityToSql(ability: AppAbility, action: Action, subject: Subject, columns: ColumnMap): SqlCondition {
  // Abilities are shared by the requests with the same grants (ability.ts): so are their translations.
  let known = translations.get(ability);
  if (!known) translations.set(ability, (known = new Map()));
  const key = `${action}\u0000${subject}\u0000${columnsKey(columns)}`;
  let cond = known.get(key);
  if (!cond) {
    const ast = rulesToAST(ability, action, subject);
    cond = ast ? simplify(translate(ast, columns)) : SQL_FALSE;
    Object.freeze(cond.bindings);
    known.set(key, Object.freeze(cond));
  }
  return cond;
}

const translations = new WeakMap<AppAbility, Map<string, SqlCondition>>();
const columnKeys = new WeakMap<ColumnMap, string>();
/** Column maps are mostly module constants: their key is made once. */
function columnsKey(columns: ColumnMap): string {
  let key = columnKeys.get(columns);
  if (key === undefined) columnKeys.set(columns, (key = JSON.stringify(columns)));
  return key;
}

function column(columns: ColumnMap, field: string): string {
  const col = columns[field];
  if (!col) throw new Error(`abilityToSql: no column given for rule field "${field}"`);
  return col;
}

function translate(node: Condition, columns: ColumnMap): SqlCondition {
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (node as CompoundCondition).value.map((c) => translate(c, columns));
      if (parts.length === 0) return node.operator === 'and' ? SQL_TRUE : SQL_FALSE;
      if (parts.length === 1) return parts[0];
      return {
        sql: `(${parts.map((p) => p.sql).join(node.operator === 'and' ? ' and ' : ' or ')})`,
        bindings: parts.flatMap((p) => p.bindings),
      };
    }
    case 'not': {
      const [inner] = (node as CompoundCondition).value.map((c) => translate(c, columns));
      return { sql: `not (${inner.sql})`, bindings: inner.bindings };
    }
    default:
      return translateField(node as FieldCondition, columns);
  }
}

function translateField(node: FieldCondition, columns: ColumnMap): SqlCondition {
  const col = column(columns, node.field);
  switch (node.operator) {
    case 'under':
      if (node.value === '') return SQL_TRUE; // the national path covers everything
      return { sql: `${col} <@ ?::ltree`, bindings: [node.value] };
    case 'below':
      return { sql: `(${col} <@ ?::ltree and ${col} <> ?::ltree)`, bindings: [node.value, node.value] };
    case 'over':
      return { sql: `${col} @> ?::ltree`, bindings: [node.value] };
    case 'allUnder':
      return { sql: `not exists (select 1 from unnest(${col}) as _all(path) where _all.path is null or not (_all.path <@ ?::ltree))`, bindings: [node.value] };
    case 'eq':
      return { sql: `${col} = ?`, bindings: [node.value] };
    case 'in': {
      const values = node.value as unknown[];
      if (values.length === 0) return SQL_FALSE;
      return { sql: `${col} in (${values.map(() => '?').join(', ')})`, bindings: values };
    }
    default:
      throw new Error(`abilityToSql: operator "${node.operator}" has no SQL translation`);
  }
}

function simplify(c: SqlCondition): SqlCondition {
  return c.sql === '(true)' ? SQL_TRUE : c;
}
