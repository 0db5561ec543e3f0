import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { SqlCondition } from '../auth/ability-to-sql';

export interface FiguresQuery {
  level: string;
  asOf: string;
  /** Metric codes, checked against the catalogue by the caller. */
  metrics: string[];
  format: 'csv' | 'ndjson';
}

const literal = (v: unknown): string => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && !v.includes('\u0000')) return `'${v.replace(/'/g, "''")}'`;
  throw new Error(`figures export: cannot inline ${typeof v}`);
};
const identifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** COPY takes no parameters: the `?` of a statement are replaced by quoted literals (standard_conforming_strings). */
function inline(sql: string, bindings: readonly unknown[]): string {
  let i = 0;
  const out = sql.replace(/\?/g, () => literal(bindings[i++]));
  if (i !== bindings.length) throw new Error('figures export: placeholder count mismatch');
  return out;
}

/** The unit's global id, as toGlobalId('Unit', id) writes it (base64url of "Unit:<id>", unpadded). */
const GLOBAL_ID = `rtrim(translate(encode(convert_to('Unit:' || u.id, 'UTF8'), 'base64'), '+/', '-_'), '=')`;

/**
 * Every unit of `level` in the caller's jurisdiction (`scope` over alias `u`) that exists on `asOf`, by code,
 * with its figure of each metric as of that day: one join of the units with their rollup rows up to the day,
 * summed per metric. PostgreSQL formats the rows itself (COPY … TO STDOUT, CSV or one JSON object per line).
 */
function exportSql(q: FiguresQuery, scope: SqlCondition): string {
  const sums = q.metrics.map((m) => `coalesce(sum(c.change) filter (where c.metric = ${literal(m)}), 0)::bigint`);
  const select =
    q.format === 'csv'
      ? `${GLOBAL_ID} as unit_id, u.code as unit_code, u.name as unit_name, p.code as parent_code, u.level, ${literal(q.asOf)} as as_of, ${sums.map((s, i) => `${s} as ${identifier(q.metrics[i])}`).join(', ')}`
      : `json_build_object('unitId', ${GLOBAL_ID}, 'unitCode', u.code, 'unitName', u.name, 'parentCode', p.code, 'level', u.level, 'asOf', ${literal(q.asOf)},
           'figures', json_build_object(${q.metrics.map((m, i) => `${literal(m)}, ${sums[i]}`).join(', ')}))::text`;
  return inline(
    `select ${select}
       from admin_unit u left join admin_unit p on p.id = u.parent_id
       left join rollup_change c on c.unit_id = u.id and c.metric in (${q.metrics.map(() => '?').join(', ')}) and c.date <= ?::date
      where u.level = ? and u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date) and ${scope.sql}
      group by u.id, p.code
      order by u.code`,
    [...q.metrics, q.asOf, q.level, q.asOf, q.asOf, ...scope.bindings],
  );
}

/**
 * Streams the export into `out` on a connection of its own (one COPY: one snapshot), with backpressure end to end:
 * when the client stops reading, `out` stops draining, this stops reading the socket, and PostgreSQL waits.
 * `onRows` counts the rows as they pass. Ends `out`; on failure or abort, the connection is closed.
 */
export async function streamFigures(databaseUrl: string, q: FiguresQuery, scope: SqlCondition, out: Writable, onRows: (n: number) => void): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'vneid-export' });
  await client.connect();
  try {
    await client.query('set statement_timeout = 0');
    const options = q.format === 'csv' ? `format csv, header true` : `format csv, quote e'\\x01', delimiter e'\\x02'`;
    const copy = client.query(copyTo(`copy (${exportSql(q, scope)}) to stdout with (${options})`));
    let header = q.format === 'csv';
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        let n = 0;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
        if (header && n > 0) {
          n--;
          header = false;
        }
        if (n) onRows(n);
        done(null, chunk);
      },
    });
    await pipeline(copy, count, out);
  } finally {
    await client.end().catch(() => {});
  }
}
