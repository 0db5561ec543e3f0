import { readCsvRecords } from '../common/csv';
import { ProblemList } from '../common/errors';
import { cleanText } from '../common/text';
import { Role } from '../auth/roles';

export const MAX_IMPORT_ROWS = 1000;
const COLUMNS = ['username', 'display_name', 'email', 'phone', 'home_unit_code', 'password', 'grants'] as const;
const REQUIRED = ['username', 'display_name', 'home_unit_code', 'password', 'grants'];

export interface CsvGrant {
  role: Role;
  /** Null for a national grant (SYSTEM_ADMIN, national VIEWER). */
  unitCode: string | null;
}

/** One account read from the CSV; `row` is 1-based with the header as row 1 (what a spreadsheet shows). */
export interface CsvPrincipal {
  row: number;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  homeUnitCode: string;
  password: string;
  grants: CsvGrant[];
}

const ROLES = new Set<string>(Object.values(Role));

/** "OFFICER@20974; VIEWER@517" → grants; every malformed part is a problem of that row. */
function parseGrants(text: string, row: number, problems: ProblemList): CsvGrant[] {
  const grants: CsvGrant[] = [];
  const seen = new Set<string>();
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Z_]+)(?:@(\S+))?$/.exec(part);
    if (!m || !ROLES.has(m[1])) {
      problems.add(['input', 'csv'], `Row ${row}: "${part}" is not ROLE@unit_code (roles: ${[...ROLES].join(', ')}).`, row);
      continue;
    }
    const role = m[1] as Role;
    const unitCode = m[2] ?? null;
    if (role === Role.TEAM_LEADER) problems.add(['input', 'csv'], `Row ${row}: TEAM_LEADER grants need a team; give them with grantRole after the import.`, row);
    else if (role === Role.SYSTEM_ADMIN && unitCode) problems.add(['input', 'csv'], `Row ${row}: SYSTEM_ADMIN is national: write it without @unit.`, row);
    else if (role !== Role.SYSTEM_ADMIN && role !== Role.VIEWER && !unitCode) problems.add(['input', 'csv'], `Row ${row}: ${role} needs a unit: ${role}@unit_code.`, row);
    else if (seen.has(part)) problems.add(['input', 'csv'], `Row ${row}: ${part} is listed twice.`, row);
    else grants.push({ role, unitCode });
    seen.add(part);
  }
  return grants;
}

/** Parses the accounts CSV (header-driven, any column order); reports every malformed row. */
export function parsePrincipalsCsv(csv: string, problems: ProblemList): CsvPrincipal[] {
  const records = readCsvRecords(csv, problems);
  if (records === null) return [];
  if (records.length < 2) {
    problems.add(['input', 'csv'], 'The CSV has no account rows (a header row, then one row per account).');
    return [];
  }
  const header = records[0].map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    problems.add(['input', 'csv'], `Header: ${[missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')} (columns: ${COLUMNS.join(', ')}).`, 1);
    return [];
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    problems.add(['input', 'csv'], `At most ${MAX_IMPORT_ROWS} accounts per import (found ${records.length - 1}); split the file.`);
    return [];
  }
  const col = (rec: string[], name: (typeof COLUMNS)[number]) => {
    const i = header.indexOf(name);
    return i < 0 ? '' : (rec[i] ?? '');
  };
  const out: CsvPrincipal[] = [];
  for (let i = 1; i < records.length; i++) {
    const row = i + 1;
    const rec = records[i];
    if (rec.length !== header.length) {
      problems.add(['input', 'csv'], `Row ${row}: expected ${header.length} columns, found ${rec.length}.`, row);
      continue;
    }
    const email = cleanText(col(rec, 'email'));
    const phone = cleanText(col(rec, 'phone'));
    out.push({
      row,
      username: col(rec, 'username').normalize('NFC').toLowerCase(),
      displayName: cleanText(col(rec, 'display_name')),
      email: email || null,
      phone: phone || null,
      homeUnitCode: col(rec, 'home_unit_code'),
      password: col(rec, 'password'),
      grants: parseGrants(col(rec, 'grants'), row, problems),
    });
  }
  return out;
}
