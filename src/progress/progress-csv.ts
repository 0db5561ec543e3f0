import { Readable } from 'node:stream';
import type { ClientBase } from 'pg';
import { BadUserInputError } from '../common/errors';
import { todayInVietnam } from '../common/scalars';
import { unscoped } from '../common/scoped';
import { ChunkRefused, FileRefused, SessionGaveUp, SharedImport } from './import-sessions';
import { copyCsvIntoStaging, createRawStaging, pgSql } from './progress-bulk.repo';
import { refusedFile, writeStagedInChunks, type BulkOptions, type BulkResult, type ChunkDone } from './progress-bulk.service';

export const CSV_CHUNK_ROWS = 50_000;
const HEADER = ['unit_code', 'metric', 'as_of', 'value'];
const MAX_HEADER_BYTES = 64 * 1024;

export interface FileImportOptions {
  /** Audit request id of the job. */
  requestId: string;
  chunkRows?: number;
  onChunk?: (c: ChunkDone) => void | Promise<void>;
}

/**
 * Imports a CSV of progress rows (header unit_code,metric,as_of,value) as the system, on `sessions` (connections
 * of its own, one or more): the file (`open()` gives its bytes, once per session) streams into a staging table
 * with COPY (memory stays flat whatever its size), every line is checked set-based (any bad line: nothing is
 * written, and every bad line is named), then the rows are written in chunks of about `chunkRows` rows (each
 * unit's rows in one chunk), one transaction each. With several sessions, each checks and writes the rows of its
 * share of the units (import-sessions.ts), so PostgreSQL works on several chunks at once. An interrupted import
 * keeps the chunks it committed; running the file again writes the rest and counts nothing twice.
 */
export async function importProgressFile(sessions: readonly ClientBase[], open: () => Readable, opts: FileImportOptions): Promise<BulkResult> {
  const state = new SharedImport(sessions.length);
  const options = fileOptions(opts);
  const runs = sessions.map(async (client, worker) => {
    try {
      const sql = pgSql(client);
      // Chunks of 50,000 rows sort and hash more than the default 4 MB: without this they spill to disk.
      await sql.run(`set work_mem = '64MB'`);
      await createRawStaging(sql, 2, false);
      try {
        await copyCsvIntoStaging(client, Readable.from(afterHeader(open())));
      } catch (e) {
        throw copyProblem(e);
      }
      return await writeStagedInChunks(sql, options, opts.onChunk ?? (() => {}), { worker, workers: sessions.length, state });
    } catch (e) {
      if (!(e instanceof FileRefused)) state.fail(e);
      throw e;
    }
  });
  const settled = await Promise.allSettled(runs);
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const refusals = failures.filter((e): e is FileRefused | ChunkRefused => e instanceof FileRefused || e instanceof ChunkRefused);
  const other = failures.find((e) => !(e instanceof FileRefused || e instanceof ChunkRefused || e instanceof SessionGaveUp));
  if (other !== undefined) throw other;
  if (refusals.length > 0) throw refusedFile(options, refusals, state.committed, state.chunks);
  const done = settled.map((r) => (r as PromiseFulfilledResult<BulkResult>).value);
  const rows = done.reduce((n, r) => n + r.rows, 0);
  const changed = done.reduce((n, r) => n + r.changed, 0);
  return { rows, changed, unchanged: rows - changed };
}

function fileOptions(opts: FileImportOptions): BulkOptions {
  return {
    principalId: null,
    requestId: opts.requestId,
    unitScope: unscoped('the progress CSV import runs as the system (npm run import:progress): every unit'),
    today: todayInVietnam(),
    label: 'Line',
    chunkRows: opts.chunkRows ?? CSV_CHUNK_ROWS,
    pathOf: () => ['csv'],
  };
}

/** The file's bytes after its header line, once the header is checked. */
async function* afterHeader(input: Readable): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let checked = false;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (checked) {
      yield bytes;
      continue;
    }
    head = Buffer.concat([head, bytes]);
    const nl = head.indexOf(10);
    if (nl < 0) {
      if (head.length > MAX_HEADER_BYTES) checkHeader(head.subarray(0, 200).toString('utf8'));
      continue;
    }
    checkHeader(head.subarray(0, nl).toString('utf8'));
    checked = true;
    if (nl + 1 < head.length) yield head.subarray(nl + 1);
  }
  if (!checked) checkHeader(head.toString('utf8'));
}

function checkHeader(line: string): void {
  const got = line.replace(/^\uFEFF/, '').replace(/\r$/, '').split(',').map((h) => h.trim().toLowerCase());
  if (got.join(',') !== HEADER.join(',')) throw BadUserInputError.field(['csv'], `The header must be ${HEADER.join(',')}; got ${line.slice(0, 200)}.`);
}

/** A COPY refusal (bad CSV shape) names the file line; anything else passes through. */
function copyProblem(e: unknown): unknown {
  if (e instanceof BadUserInputError) return e;
  const err = e as { code?: string; message?: string; where?: string };
  if (!err?.code?.startsWith('22')) return e;
  const dataLine = /line (\d+)/.exec(err.where ?? '')?.[1];
  const line = dataLine ? Number(dataLine) + 1 : undefined;
  const message = `${line ? `Line ${line}: ` : ''}${err.message ?? 'malformed CSV'} (expected 4 columns: ${HEADER.join(',')}); nothing was written.`;
  return new BadUserInputError(message, [{ path: ['csv'], message, ...(line ? { row: line } : {}) }]);
}
