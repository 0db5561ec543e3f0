import { parse } from 'csv-parse/sync';
import type { ProblemList } from './errors';

/**
 * Reads CSV text given in an `input.csv` argument into records (BOM dropped, cells trimmed, blank lines skipped);
 * null, with the problem recorded, when it cannot be read.
 */
export function readCsvRecords(csv: string, problems: ProblemList): string[][] | null {
  try {
    return parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    problems.add(['input', 'csv'], `The CSV could not be read: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}
