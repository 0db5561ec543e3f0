import fs from 'node:fs';
import path from 'node:path';

/** The official unit lists live beside the project (../shared/data/vn-units); they are never copied into it. */
export function vnUnitsFile(name: string): string {
  const dir = process.env.VN_UNITS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'vn-units');
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) throw new Error(`Reference data ${file} is missing: set VN_UNITS_DIR to the folder holding units_2024.csv.`);
  return file;
}
