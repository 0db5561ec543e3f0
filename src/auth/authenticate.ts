import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { UnauthenticatedError } from '../common/errors';
import type { KeySet } from './keys';
import { verifyAccessTokenOnce } from './verified-tokens';
import { DATA_VERSION_COLUMN } from '../cache/data-version.repo';
import { Role } from './roles';
import { queryPrepared } from '../db/prepared';
import type { GrantScope } from './ability';

export const API_KEY_PREFIX = 'p06_';

export interface CurrentGrant extends GrantScope {
  id: number;
  /** Null for a national SYSTEM_ADMIN grant. */
  unitId: number | null;
}

export interface CurrentPrincipal {
  id: number;
  kind: string;
  displayName: string;
  username: string | null;
  homePath: string | null;
  grants: CurrentGrant[];
  sessionId?: string;
  apiKeyId?: number;
  /** The shared data version, read in the same statement (src/cache/data-version.repo.ts). */
  dataVersion: string;
}

interface Row {
  id: number;
  kind: string;
  display_name: string;
  username: string | null;
  home_path: string | null;
  grant_id: number | null;
  role: Role | null;
  unit_id: number | null;
  unit_path: string | null;
  team_id: number | null;
  hamlet_paths: string[] | null;
  api_key_id?: number;
  last_used_at?: Date | null;
  data_version: string;
}

/*
 * A TEAM_LEADER grant carries the paths of the hamlets its team is assigned to (active team, assignment not
 * cancelled, hamlet inside the grant's unit): they are what the leader may read and report on (ability.ts).
 * A subquery per grant row, so authentication stays one statement.
 */
const HAMLET_PATHS = `case when g.role = 'TEAM_LEADER' then (
    select coalesce(array_agg(distinct h.path::text), '{}')
      from team_assignment a join team t on t.id = a.team_id and t.active join admin_unit h on h.id = a.hamlet_id
     where a.team_id = g.team_id and a.status <> 'CANCELLED' and h.path <@ u.path) end as hamlet_paths`;
const PRINCIPAL_COLUMNS = `p.id, p.kind, p.display_name, p.username, (select hu.path::text from admin_unit hu where hu.id = p.home_unit_id) as home_path, g.id as grant_id, g.role, g.unit_id, u.path::text as unit_path, g.team_id, ${HAMLET_PATHS}`;
// Read with the principal so a cached dashboard answer needs no statement of its own (src/cache).
const DATA_VERSION = `${DATA_VERSION_COLUMN} as data_version`;
const GRANT_JOINS = `left join "grant" g on g.principal_id = p.id left join admin_unit u on u.id = g.unit_id`;

// Every request with a token runs it: prepared once per connection (db/prepared.ts).
const SESSION_PRINCIPAL = `select ${PRINCIPAL_COLUMNS}, ${DATA_VERSION}
   from principal p
   join refresh_session s on s.id = $1 and s.principal_id = p.id and s.revoked_at is null and s.expires_at > now()
   ${GRANT_JOINS}
  where p.id = $2 and p.status = 'ACTIVE'`;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Resolves the Authorization header to the principal and its *current* grants, in one statement,
 * so a revoked grant, a disabled account or a revoked session stops working on the next request.
 * No header: null (anonymous). A header that does not check out: UNAUTHENTICATED.
 */
export async function authenticate(
  em: EntityManager,
  keys: KeySet,
  config: Config,
  authorization: string | undefined,
): Promise<CurrentPrincipal | null> {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw new UnauthenticatedError('The Authorization header must be "Bearer <token or API key>".', 'MALFORMED_HEADER');
  const credential = m[1];
  if (credential.startsWith(API_KEY_PREFIX)) return authenticateApiKey(em, credential);

  let expired = false;
  const claims = await verifyAccessTokenOnce(keys, config, credential, () => (expired = true));
  if (!claims) {
    throw expired
      ? new UnauthenticatedError('The access token has expired: get a new one with refreshSession.', 'EXPIRED')
      : new UnauthenticatedError('The access token is invalid.', 'INVALID');
  }
  const rows = await queryPrepared<Row>(em, 'authenticate_session', SESSION_PRINCIPAL, [claims.sessionId, claims.principalId]);
  if (rows.length === 0) throw new UnauthenticatedError('The session has ended or the account is disabled: sign in again.', 'SESSION_ENDED');
  return { ...toPrincipal(rows), sessionId: claims.sessionId };
}

async function authenticateApiKey(em: EntityManager, credential: string): Promise<CurrentPrincipal> {
  const parts = /^p06_([A-Za-z0-9]{8,32})_([A-Za-z0-9_-]{20,100})$/.exec(credential);
  if (!parts) throw new UnauthenticatedError('The API key is invalid, revoked or expired.', 'API_KEY_INVALID');
  const rows: Row[] = await em.execute(
    `select ${PRINCIPAL_COLUMNS}, ${DATA_VERSION}, k.id as api_key_id, k.last_used_at
       from api_key k
       join principal p on p.id = k.principal_id
       ${GRANT_JOINS}
      where k.key_id = ? and k.secret_hash = ? and k.revoked_at is null
        and (k.expires_at is null or k.expires_at > now()) and p.status = 'ACTIVE'`,
    [parts[1], sha256(parts[2])],
  );
  if (rows.length === 0) throw new UnauthenticatedError('The API key is invalid, revoked or expired.', 'API_KEY_INVALID');
  const apiKeyId = rows[0].api_key_id!;
  const lastUsed = rows[0].last_used_at;
  if (!lastUsed || Date.now() - new Date(lastUsed).getTime() > 60_000) {
    await em.execute('update api_key set last_used_at = now() where id = ?', [apiKeyId]);
  }
  return { ...toPrincipal(rows), apiKeyId };
}

function toPrincipal(rows: Row[]): CurrentPrincipal {
  const first = rows[0];
  return {
    id: first.id,
    kind: first.kind,
    displayName: first.display_name,
    username: first.username,
    homePath: first.home_path,
    dataVersion: first.data_version,
    grants: rows
      .filter((r) => r.grant_id !== null)
      .map((r) => ({
        id: r.grant_id!,
        role: r.role!,
        unitId: r.unit_id,
        unitPath: r.unit_path,
        teamId: r.team_id,
        ...(r.role === Role.TEAM_LEADER ? { hamletPaths: r.hamlet_paths ?? [] } : {}),
      })),
  };
}
