import { isUnderPath } from '../common/paths';
import { buildMongoQueryMatcher } from '@casl/ability';
import type { FieldCondition, JsInterpreter } from '@ucast/mongo2js';

/**
 * Two condition operators over ltree-like unit paths ("12.345.6789"), understood both by
 * CASL's in-memory matcher (here) and by the SQL translator (ability-to-sql.ts):
 *   { path: { $under: P } }  the unit P itself or anything in its subtree   (SQL: path <@ P)
 *   { path: { $below: P } }  strictly inside P's subtree, P excluded          (SQL: path <@ P and path <> P)
 *   { path: { $over: P } }   P itself or one of its ancestors                  (SQL: path @> P)
 *                            (a campaign scoped to a province covers a commune officer there)
 *   { grantPaths: { $allUnder: P } }  every path of a list lies in P's subtree; an empty list
 *                            qualifies, a null entry (a national grant) never does.
 *                            (SQL: not exists (select from unnest(list) where path is null or not path <@ P))
 *                            Principals: "all its grants lie inside my unit".
 */
const isUnder = (path: unknown, root: string): boolean => typeof path === 'string' && isUnderPath(path, root);

const validatePath = (instruction: { name: string }, value: unknown): void => {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)*)?$/.test(value)) {
    throw new Error(`"${instruction.name}" expects a unit path like "1.23", got ${JSON.stringify(value)}`);
  }
};

const $under = { type: 'field' as const, validate: validatePath };
const $below = { type: 'field' as const, validate: validatePath };
const $over = { type: 'field' as const, validate: validatePath };
const $allUnder = { type: 'field' as const, validate: validatePath };

const under: JsInterpreter<FieldCondition<string>> = (node, object, { get }) => isUnder(get(object, node.field), node.value);
const below: JsInterpreter<FieldCondition<string>> = (node, object, { get }) => {
  const path = get(object, node.field);
  return path !== node.value && isUnder(path, node.value);
};

const over: JsInterpreter<FieldCondition<string>> = (node, object, { get }) => {
  const path = get(object, node.field);
  return typeof path === 'string' && isUnder(node.value, path);
};

const allUnder: JsInterpreter<FieldCondition<string>> = (node, object, { get }) => {
  const paths = get(object, node.field);
  return Array.isArray(paths) && paths.every((p) => isUnder(p, node.value));
};

export const pathConditionsMatcher = buildMongoQueryMatcher({ $under, $below, $over, $allUnder }, { under, below, over, allUnder });
