import { parse } from 'csv-parse/sync';
import { ProblemList } from '../common/errors';
import { cleanText } from '../common/text';
import { UnitLevel } from './unit-level';

/** One unit read from the GSO list. */
export interface CsvUnit {
  code: string;
  name: string;
  kind: string;
  level: UnitLevel;
  parentCode: string | null;
  /** First row (1-based, header is row 1) naming this unit, for error reports. */
  row: number;
}

const CODE_DIGITS: Record<string, number> = { province: 2, district: 3, commune: 5 };
const LEVEL_OF: Record<string, UnitLevel> = { province: UnitLevel.PROVINCE, district: UnitLevel.DISTRICT, commune: UnitLevel.COMMUNE };

/** "Thành phố trực thuộc trung ương" → "thành phố", "Đặc khu tại hải đảo" → "đặc khu". */
export function kindFromType(type: string): string {
  return cleanText(type)
    .toLowerCase()
    .replace(/ (trực thuộc trung ương|thuộc tỉnh|thuộc thành phố trực thuộc trung ương|tại hải đảo)$/, '');
}

export function kindFromName(name: string): string {
  const m = /^(Thành phố|Tỉnh|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn|Đặc khu)(?=\s|$)/iu.exec(name);
  return m ? m[1].toLowerCase() : '';
}

/** A parsed list: its units, and whether it was read as 3 levels (province → district → commune) or 2. */
export interface CsvUnits {
  units: CsvUnit[];
  levels: 2 | 3;
}

/**
 * Parses the GSO CSV (header-driven: district columns may be absent, as in the 2025 two-level list,
 * and commune columns may be empty, as for the island districts). Every malformed row is reported.
 *
 * The file is read as ONE shape, decided once: 3 levels when any row names a district (then every row with a commune
 * must: a commune whose district is empty would otherwise land under its province; a province-only row is fine), 2 levels when no row does.
 */
export function parseUnitsCsv(csv: string, problems: ProblemList): CsvUnits {
  const rows = readRecords(csv, problems);
  if (!rows) return { units: [], levels: 3 };
  const { header, records } = rows;
  const col = (name: string) => header.indexOf(name);
  const districtCol = col('district_code');
  const communeCol = col('commune_code');
  const firstDistrictRow = districtCol < 0 ? -1 : records.findIndex((r, i) => i > 0 && r.length === header.length && !!r[districtCol]);
  const levels = firstDistrictRow > 0 ? 3 : 2;
  const units = new Map<string, CsvUnit>();
  for (let i = 1; i < records.length; i++) {
    const rowNo = i + 1;
    const rec = records[i];
    if (rec.length !== header.length) {
      problems.add(['input', 'csv'], `Row ${rowNo}: expected ${header.length} columns, found ${rec.length}.`, rowNo);
      continue;
    }
    if (levels === 3 && !rec[districtCol] && communeCol >= 0 && rec[communeCol]) {
      problems.add(['input', 'csv'], `Row ${rowNo}: district_code is empty, but this is a 3-level list (row ${firstDistrictRow + 1} names a district), so every commune row needs its district.`, rowNo);
      continue;
    }
    readRow(rec, rowNo, col, units, problems);
  }
  return { units: [...units.values()], levels };
}

function readRecords(csv: string, problems: ProblemList): { header: string[]; records: string[][] } | null {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    problems.add(['input', 'csv'], `The CSV could not be read: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
  if (records.length === 0) {
    problems.add(['input', 'csv'], 'The CSV is empty.');
    return null;
  }
  const header = records[0].map((h) => h.toLowerCase());
  if (!header.includes('province_code') || !header.includes('province_name')) {
    problems.add(['input', 'csv'], 'The header must name at least province_code and province_name.', 1);
    return null;
  }
  return { header, records };
}

/** Reads the province, district and commune of one row into `units` (the first problem of the row is reported). */
function readRow(rec: string[], rowNo: number, col: (name: string) => number, units: Map<string, CsvUnit>, problems: ProblemList): void {
  let parentCode: string | null = null;
  for (const level of ['province', 'district', 'commune']) {
    const ci = col(`${level}_code`);
    if (ci < 0) continue;
    const code = rec[ci];
    const name = cleanText(rec[col(`${level}_name`)] ?? '');
    const typeIdx = col(`${level}_type`);
    if (!code && level !== 'province') continue;
    if (!new RegExp(`^\\d{${CODE_DIGITS[level]}}$`).test(code)) {
      problems.add(['input', 'csv'], `Row ${rowNo}: ${level}_code must be ${CODE_DIGITS[level]} digits, got "${code}".`, rowNo);
      break;
    }
    if (!name) {
      problems.add(['input', 'csv'], `Row ${rowNo}: ${level}_name is empty.`, rowNo);
      break;
    }
    const kind = typeIdx >= 0 && rec[typeIdx] ? kindFromType(rec[typeIdx]) : kindFromName(name);
    if (!kind) {
      problems.add(['input', 'csv'], `Row ${rowNo}: ${level}_type is missing and cannot be read from the name.`, rowNo);
      break;
    }
    const unit: CsvUnit = { code, name, kind, level: LEVEL_OF[level], parentCode, row: rowNo };
    const seen = units.get(code);
    if (!seen) units.set(code, unit);
    else if (seen.name !== unit.name || seen.parentCode !== unit.parentCode || seen.level !== unit.level) {
      problems.add(['input', 'csv'], `Row ${rowNo}: code ${code} disagrees with row ${seen.row} (name, level or parent).`, rowNo);
      break;
    }
    parentCode = code;
  }
}
