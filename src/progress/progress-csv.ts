import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Context } from '../context';
import { BadUserInputError } from '../common/errors';
import { isIsoDate } from '../common/scalars';
import { importProgress } from './import-progress.service';
import { MAX_VALUE } from './progress-rules';
import type { ImportProgressRowInput } from './progress.inputs';

export const CSV_CHUNK_ROWS = 5_000;
const HEADER = ['unit_code', 'metric', 'as_of', 'value'];

export interface ChunkResult {
  /** File lines (header = line 1) of this chunk. */
  firstLine: number;
  lastLine: number;
  changed: number;
  unchanged: number;
}

/**
 * Streams a CSV (header unit_code,metric,as_of,value) through importProgress in chunks of 5,000 rows.
 * Each chunk is atomic; chunks already written stay written, and since re-importing rows changes nothing,
 * re-running the whole file after an interruption is safe. Problems name file line numbers.
 */
export async function importProgressCsv(ctx: Context, input: Readable, onChunk: (r: ChunkResult) => void, chunkRows = CSV_CHUNK_ROWS): Promise<{ changed: number; unchanged: number }> {
  const parser = input.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }));
  let line = 0;
  let chunk: { line: number; row: ImportProgressRowInput }[] = [];
  const totals = { changed: 0, unchanged: 0 };
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk.map((c) => c.row);
    try {
      const r = await importProgress({ ...ctx, loaderSets: new Map() }, { rows, dryRun: false });
      totals.changed += r.changed;
      totals.unchanged += r.unchanged;
      onChunk({ firstLine: chunk[0].line, lastLine: chunk[chunk.length - 1].line, changed: r.changed, unchanged: r.unchanged });
    } catch (e) {
      if (e instanceof BadUserInputError) {
        const lines = chunk.map((c) => c.line);
        throw new BadUserInputError(
          `Lines ${lines[0]}–${lines[lines.length - 1]} were not imported (earlier lines were).`,
          e.problems.map((p) => (p.row ? { ...p, row: lines[p.row - 1], message: p.message.replace(/^Row \d+:/, `Line ${lines[p.row - 1]}:`) } : p)),
        );
      }
      throw e;
    }
    chunk = [];
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    line++;
    if (line === 1) {
      if (record.map((h) => h.toLowerCase()).join(',') !== HEADER.join(',')) {
        throw BadUserInputError.field(['csv'], `The header must be ${HEADER.join(',')}; got ${record.join(',')}.`);
      }
      continue;
    }
    const [unitCode, metric, asOf, raw] = record;
    const value = Number(raw);
    const problems: string[] = [];
    if (record.length !== 4) problems.push(`expected 4 columns, found ${record.length}`);
    if (!isIsoDate(asOf)) problems.push(`as_of must be YYYY-MM-DD, got "${asOf}"`);
    if (!/^\d+$/.test(raw ?? '') || value > MAX_VALUE) problems.push(`value must be a whole number from 0 to ${MAX_VALUE}, got "${raw}"`);
    if (problems.length) {
      throw new BadUserInputError(`Line ${line}: ${problems.join('; ')}. Lines before this chunk were imported.`, [{ path: ['csv'], message: problems.join('; '), row: line }]);
    }
    chunk.push({ line, row: { unitCode, metric, asOf, value } });
    if (chunk.length >= chunkRows) await flush();
  }
  await flush();
  return totals;
}
