/** What bench/peer/peer.ts (our Node) and bench/peer/peer-server.ts (the peer's Node 22) tell each other. */

/** Units per parent below the 63 provinces: the same shape as our national seed at the bench's scale. */
export interface PeerShape {
  districts: number;
  communes: number;
  hamlets: number;
}

/** argv[2] of peer-server.js, as JSON. */
export interface PeerStartRequest {
  /** The scratch copy of shared/peers/postgraphile, with its node_modules installed. */
  dir: string;
  shape: PeerShape;
  /** The province its S2 drills into (e.g. "P07"). */
  province: string;
}

export interface PeerDocument {
  /** Bearer token (HS256 JWT with the jurisdiction claim the peer's RLS reads). */
  token: string;
  /** The GraphQL request body. */
  body: string;
  /** Short, for the table. */
  name: string;
  description: string;
}

/** Sent over IPC once the peer answers its S1 and S2 exactly as its own SQL floor documents. */
export interface PeerReady {
  url: string;
  serverPid: number;
  postgresPid: number | null;
  node: string;
  postgresql: string;
  postgraphile: string;
  /** Row counts from the peer's seed (units per level, rollup and quota rows, national totals). */
  data: Record<string, unknown>;
  s1: PeerDocument;
  s2: PeerDocument;
}

export type PeerMessage = { ready: PeerReady } | { error: string };
