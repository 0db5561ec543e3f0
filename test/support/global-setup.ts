// Starts one PostgreSQL for the whole run (embedded unless TEST_DATABASE_URL is set), with the same
// launcher as `npm start` (src/db/embedded.ts), so a root user's private (0700) folder works here too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { freePort } from '../../src/db/free-port';

declare global {
  // eslint-disable-next-line no-var
  var __TEST_PG__: { pg: EmbeddedDatabase; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-test-pg-'));
  fs.chmodSync(dir, 0o755); // the unprivileged postgres account (when we are root) must reach the cluster
  const port = await freePort();
  const pg = await startEmbeddedPostgres(path.join(dir, 'data'), port, (m) => process.stderr.write(`[test postgres] ${m}\n`), {
    database: '',
    ownProcessGroup: false,
    settings: { max_connections: 300, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  globalThis.__TEST_PG__ = { pg, dir };
  process.env.TEST_PG_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
