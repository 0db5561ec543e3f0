import type { Scope } from '../common/scoped';
import { BadUserInputError, type InputProblem } from '../common/errors';
import * as bulk from './progress-bulk.repo';
import type { RowProblem, Sql } from './progress-bulk.repo';
import { ChunkRefused, FileRefused, SharedImport } from './import-sessions';

/*
 * The bulk path of progress writes (importProgress, npm run import:progress, the demo seed): rows are staged by
 * the caller (progress_import_raw), then checked and applied set-based here, chunk by chunk. Every rule of a
 * single report holds; a row already stored with the same value changes nothing, so re-running an interrupted
 * import finishes it without counting anything twice.
 */

export interface BulkOptions {
  principalId: number | null;
  requestId: string | null;
  /** Units the caller may report for, as a condition on `u` (admin_unit); others read as unknown codes. */
  unitScope: Scope;
  today: string;
  /** "Row" (the mutation: 1-based positions) or "Line" (a CSV file: header = line 1). */
  label: 'Row' | 'Line';
  /** About this many rows per chunk (each unit's rows stay in one chunk). */
  chunkRows: number;
  /** How a problem maps to field paths in the error. */
  pathOf(p: RowProblem): (string | number)[];
}

export interface BulkResult {
  rows: number;
  changed: number;
  unchanged: number;
}

export interface ChunkDone {
  chunk: number;
  chunks: number;
  rows: number;
  changed: number;
}

/** How many problems an error carries at most (the CLI prints the first ones; the mutation has ≤ 10,000 rows). */
const MAX_PROBLEMS = 10_000;

/**
 * Checks and writes the staged rows inside the caller's transaction: all or nothing. Every problem (static or
 * against stored data) is reported with its row. `dryRun` stops after the checks and writes nothing.
 */
export async function writeStagedAtomically(sql: Sql, opts: BulkOptions, dryRun: boolean): Promise<BulkResult> {
  const staged = await bulk.resolveStaged(sql, { ...opts, transactionOnly: true });
  const writing = !dryRun && staged.problems === 0;
  const problems: RowProblem[] = [];
  let changed = 0;
  for (let chunk = 0; chunk < staged.chunks && problems.length < MAX_PROBLEMS; chunk++) {
    // Writing: lock first, so the checks read what the writes will build on.
    if (writing) await bulk.lockChunkUnits(sql, chunk);
    await bulk.chunkPoints(sql, chunk);
    problems.push(...(await bulk.chunkRuleProblems(sql, opts.label)));
    if (writing && problems.length === 0) changed += await writeChunk(sql, opts, chunk);
    else if (dryRun) changed += await bulk.chunkChangedRows(sql);
  }
  if (staged.problems > 0 || problems.length > 0) throw await problemError(sql, opts, problems, 'nothing was written');
  return { rows: staged.rows, changed, unchanged: staged.rows - changed };
}

/** This session's place among those importing one file (import-sessions.ts). */
export interface ChunkShare {
  worker: number;
  workers: number;
  state: SharedImport;
}

/**
 * Checks the staged rows (with a `share` of several sessions: those of this session's units), waits until every
 * session has checked its own (nothing is written when any row is bad: each session then throws FileRefused with
 * its problems, rule checks included), then writes them one chunk per transaction (`begin`/`commit` on the
 * session that staged them), calling `onChunk` after each commit. Sessions write disjoint reporting units, and
 * every chunk takes its locks in the same order, so they only wait on the shared ancestors' rows at the end.
 * Interrupted, the committed chunks stay; running the same rows again completes the rest.
 */
export async function writeStagedInChunks(
  sql: Sql,
  opts: BulkOptions,
  onChunk: (c: ChunkDone) => void | Promise<void>,
  share: ChunkShare = { worker: 0, workers: 1, state: new SharedImport(1) },
): Promise<BulkResult> {
  const part = share.workers > 1 ? { index: share.worker, of: share.workers } : undefined;
  const staged = await bulk.resolveStaged(sql, { ...opts, transactionOnly: false, part });
  const file = await share.state.arrive(staged);
  if (file.problems > 0) {
    const problems = await bulk.stagedProblems(sql, MAX_PROBLEMS);
    await sql.run('begin');
    try {
      for (let chunk = 0; chunk < staged.chunks && problems.length < MAX_PROBLEMS; chunk++) {
        await bulk.chunkPoints(sql, chunk);
        problems.push(...(await bulk.chunkRuleProblems(sql, opts.label)));
      }
    } finally {
      await sql.run('rollback');
    }
    throw new FileRefused(problems);
  }
  let changed = 0;
  for (let chunk = 0; chunk < staged.chunks && !share.state.stop; chunk++) {
    await sql.run('begin');
    let n: number;
    try {
      await bulk.lockChunkUnits(sql, chunk);
      await bulk.chunkPoints(sql, chunk);
      // Checked under the locks: stored data may have moved since the file was read.
      const problems = await bulk.chunkRuleProblems(sql, opts.label);
      if (problems.length > 0) throw new ChunkRefused(problems);
      n = await writeChunk(sql, opts, chunk);
      await sql.run('commit');
    } catch (e) {
      await sql.run('rollback').catch(() => {});
      throw e;
    }
    const done = ++share.state.committed;
    changed += n;
    if (n > 0) await bulk.bumpDataVersion(sql);
    await onChunk({ chunk: done, chunks: file.chunks, rows: await bulk.chunkRows(sql, chunk), changed: n });
  }
  return { rows: staged.rows, changed, unchanged: staged.rows - changed };
}

/**
 * The error for a file refused by its sessions (every FileRefused or ChunkRefused they threw), worded once all
 * have stopped: how many chunks were written before.
 */
export function refusedFile(opts: BulkOptions, refusals: (FileRefused | ChunkRefused)[], committed: number, chunks: number): BadUserInputError {
  const outcome = committed === 0 ? 'nothing was written' : `${committed} of ${chunks} chunks were written (running the file again writes the rest)`;
  return problemsError(opts, refusals.flatMap((r) => r.problems), outcome);
}

/** Writes a checked chunk (progress_import_point): reports, history, rollups, one audit entry. Returns rows changed. */
async function writeChunk(sql: Sql, opts: BulkOptions, chunk: number): Promise<number> {
  const changed = await bulk.upsertChunkReports(sql, opts.principalId, opts.requestId);
  if (changed === 0) return 0;
  await bulk.applyChunkRollups(sql);
  const { lo, hi } = await bulk.chunkPathBounds(sql);
  const rows = await bulk.chunkRows(sql, chunk);
  await bulk.insertImportAudit(sql, {
    principalId: opts.principalId, requestId: opts.requestId, unitPath: commonPath(lo, hi), after: { rows, changed, unchanged: rows - changed, dryRun: false },
  });
  return changed;
}

async function problemError(sql: Sql, opts: BulkOptions, ruleProblems: RowProblem[], outcome: string): Promise<BadUserInputError> {
  return problemsError(opts, [...(await bulk.stagedProblems(sql, MAX_PROBLEMS)), ...ruleProblems], outcome);
}

function problemsError(opts: BulkOptions, found: RowProblem[], outcome: string): BadUserInputError {
  const all = [...found].sort((a, b) => a.line - b.line).slice(0, MAX_PROBLEMS);
  const problems: InputProblem[] = all.map((p) => ({ path: opts.pathOf(p), message: p.message, row: p.line }));
  const rows = new Set(all.map((p) => p.line)).size;
  return new BadUserInputError(`${rows} ${opts.label.toLowerCase()}${rows === 1 ? '' : 's'} cannot be imported; ${outcome}. ${all.slice(0, 3).map((p) => p.message).join(' ')}`, problems);
}

/** The deepest path containing both (ltree order puts every path between these two): the audit entry's unit. */
function commonPath(lo: string | null, hi: string | null): string | null {
  if (!lo || !hi) return null;
  const a = lo.split('.');
  const b = hi.split('.');
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n ? a.slice(0, n).join('.') : null;
}
