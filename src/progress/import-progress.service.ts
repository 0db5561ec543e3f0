import type { Context } from '../context';
import { BadUserInputError } from '../common/errors';
import { scope } from '../common/scoped';
import { todayInVietnam } from '../common/scalars';
import { writeTransaction } from '../common/transaction';
import { createRawStaging, emSql, stageRows } from './progress-bulk.repo';
import { writeStagedAtomically } from './progress-bulk.service';
import type { ImportProgressInput, ImportProgressPayload } from './progress.inputs';

export const MAX_IMPORT_ROWS = 10_000;

/**
 * Imports report rows: atomic (every row or none), set-based (the same statements whatever the number of rows,
 * progress-bulk.service.ts), idempotent (rows already stored with the same value change nothing). Every rejected
 * row is reported with its 1-based row number. Rows never lower a cumulative total (corrections go through
 * reportProgress with a reason).
 */
export async function importProgress(ctx: Context, input: ImportProgressInput): Promise<ImportProgressPayload> {
  const rows = input.rows;
  const dryRun = input.dryRun ?? false;
  if (rows.length > MAX_IMPORT_ROWS) throw BadUserInputError.field(['input', 'rows'], `At most ${MAX_IMPORT_ROWS} rows per import (got ${rows.length}); split the file.`);
  return writeTransaction(ctx, async (em) => {
    const sql = emSql(em);
    await createRawStaging(sql, 1, true);
    await stageRows(sql, rows.map((r, i) => ({ line: i + 1, unitCode: r.unitCode, metric: r.metric, asOf: r.asOf, value: r.value })));
    const result = await writeStagedAtomically(
      sql,
      {
        principalId: ctx.principal?.id ?? null,
        requestId: ctx.requestId ?? null,
        // Units the caller may report for; any other code reads as unknown (never "forbidden").
        unitScope: scope(ctx, 'report', 'Progress', { path: 'u.path' }),
        today: todayInVietnam(),
        label: 'Row',
        chunkRows: MAX_IMPORT_ROWS,
        pathOf: (p) => ['input', 'rows', p.line - 1, p.field],
      },
      dryRun,
    );
    return { ...result, rows: rows.length, unchanged: rows.length - result.changed, dryRun };
  });
}
