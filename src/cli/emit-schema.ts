import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../schema';

/** npm run schema: writes schema/schema.graphql from the code (a test fails when it drifts). */
async function main(): Promise<void> {
  const sdl = printSortedSchema(await createSchema());
  const file = path.resolve('schema', 'schema.graphql');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sdl);
  console.log(`Wrote ${file} (${sdl.split('\n').length} lines).`);
}

void main();
