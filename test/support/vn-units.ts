import fs from 'node:fs';
import path from 'node:path';

/**
 * The official unit lists live beside the project (../shared/data/vn-units, or VN_UNITS_DIR); they
 * are never copied into it. Returns the folder, or null (with one clear line) when it is absent, so
 * tests that need the lists are skipped in a clone without them.
 */
export function vnUnitsDir(): string | null {
  const dir = process.env.VN_UNITS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'vn-units');
  if (fs.existsSync(path.join(dir, 'units_2024.csv'))) return dir;
  console.warn(`Skipping tests that need the official unit lists: ${dir}/units_2024.csv is absent (set VN_UNITS_DIR to the folder holding it).`);
  return null;
}
