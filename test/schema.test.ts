import fs from 'node:fs';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../src/schema';

describe('generated artifacts', () => {
  it('schema/schema.graphql matches the code (run `npm run schema` after changing the API)', async () => {
    const current = printSortedSchema(await createSchema());
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(current);
  });
});
