import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('migrations', () => {
  it('bring the database exactly to what the entities describe (no migration is missing)', async () => {
    const diff = await t.app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    expect(diff.trim()).toBe('');
  });

  it('are all recorded as applied, and a second run applies nothing', async () => {
    const migrator = t.app.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    expect(await migrator.up()).toHaveLength(0);
  });
});
