import { parse } from 'csv-parse/sync';
import type { ProblemList } from '../common/errors';
import { cleanText } from '../common/text';

/** One row of an official conversion table (mapping_2025.csv shape). */
export interface MappingRow {
  row: number;
  /** The old unit: a commune code, or for a district without communes its district code. */
  oldCode: string;
  oldIsDistrict: boolean;
  newCode: string;
  newName: string;
  newType: string | null;
  newProvinceCode: string;
  newProvinceName: string;
}

export interface NewListUnit {
  code: string;
  name: string;
  type: string;
  provinceCode: string;
  provinceName: string;
}

function records(csv: string, problems: ProblemList, field: string): Record<string, string>[] {
  try {
    return parse(csv.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    problems.add(['input', field], `The CSV could not be read: ${(e as Error).message.split('\n')[0]}`);
    return [];
  }
}

/**
 * Reads the mapping. Rows naming no old unit at all (e.g. "coastal alluvial land managed by Kim Sơn district")
 * carry no unit and are skipped; a row with only an old district code names a district without communes.
 */
export function parseMappingCsv(csv: string, problems: ProblemList): { rows: MappingRow[]; skipped: number } {
  const recs = records(csv, problems, 'csv');
  const rows: MappingRow[] = [];
  let skipped = 0;
  const need = ['old_commune_code', 'new_commune_code', 'new_commune_name', 'new_province_code', 'new_province_name'];
  if (recs.length > 0) {
    const missing = need.filter((c) => !(c in recs[0]));
    if (missing.length) {
      problems.add(['input', 'csv'], `The header must name ${missing.join(', ')}.`, 1);
      return { rows, skipped };
    }
  }
  recs.forEach((r, i) => {
    const row = i + 2;
    const oldCommune = r.old_commune_code ?? '';
    const oldDistrict = r.old_district_code ?? '';
    if (!oldCommune && (r.old_commune_name ?? '') !== '') {
      skipped++;
      return;
    }
    const oldCode = oldCommune || oldDistrict;
    if (!/^\d{3}$|^\d{5}$/.test(oldCode)) return problems.add(['input', 'csv'], `Row ${row}: no valid old_commune_code (or old_district_code) "${oldCode}".`, row);
    if (!/^\d{5}$/.test(r.new_commune_code ?? '')) return problems.add(['input', 'csv'], `Row ${row}: new_commune_code must be 5 digits.`, row);
    if (!/^\d{2}$/.test(r.new_province_code ?? '')) return problems.add(['input', 'csv'], `Row ${row}: new_province_code must be 2 digits.`, row);
    const newName = cleanText(r.new_commune_name ?? '');
    if (!newName) return problems.add(['input', 'csv'], `Row ${row}: new_commune_name is empty.`, row);
    rows.push({
      row, oldCode, oldIsDistrict: !oldCommune, newCode: r.new_commune_code, newName, newType: r.new_commune_type ? cleanText(r.new_commune_type) : null,
      newProvinceCode: r.new_province_code, newProvinceName: cleanText(r.new_province_name ?? ''),
    });
  });
  return { rows, skipped };
}

/** The new unit list (units_2025.csv shape), for official names and types. */
export function parseNewListCsv(csv: string, problems: ProblemList): Map<string, NewListUnit> {
  const out = new Map<string, NewListUnit>();
  for (const r of records(csv, problems, 'unitsCsv')) {
    if (!r.commune_code) continue;
    out.set(r.commune_code, { code: r.commune_code, name: cleanText(r.commune_name ?? ''), type: cleanText(r.commune_type ?? ''), provinceCode: r.province_code, provinceName: cleanText(r.province_name ?? '') });
  }
  return out;
}
