import { Client } from 'pg';
import type { Logger } from 'pino';

/** One (unit, metric) whose figures changed in a committed transaction, with the unit's path for jurisdiction checks. */
export interface FigureChange {
  unitId: number;
  metric: string;
  path: string;
}

export const FIGURES_CHANNEL = 'vneid_unit_figures';

/** "12:eid.activated:1.5.12,13:…" (migration 20261130005000) → changes; malformed items are skipped. */
export function parseFigurePayload(payload: string): FigureChange[] {
  return payload.split(',').flatMap((item) => {
    const m = /^(\d+):([^:]+):([\d.]+)$/.exec(item);
    return m ? [{ unitId: Number(m[1]), metric: m[2], path: m[3] }] : [];
  });
}

type Listener = (changes: FigureChange[]) => void;

/**
 * Named infrastructure: one PostgreSQL connection per API instance LISTENs on the figures channel and fans
 * the changes out to this instance's subscriptions, so a write on any instance reaches subscribers on all.
 * The connection is re-opened with backoff when it drops (changes committed meanwhile are not replayed:
 * clients re-read their figures on reconnect).
 */
export class FiguresHub {
  private client: Client | null = null;
  private readonly listeners = new Set<Listener>();
  private closed = false;
  private retryMs = 250;

  constructor(private readonly databaseUrl: string, private readonly log: Logger) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'vneid-live' });
    client.on('notification', (n) => {
      // Without subscriptions on this instance (the usual case) there is nobody to parse the notice for.
      if (n.channel !== FIGURES_CHANNEL || !n.payload || this.listeners.size === 0) return;
      const changes = parseFigurePayload(n.payload);
      for (const l of this.listeners) l(changes);
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'live updates: LISTEN connection lost; reconnecting');
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${FIGURES_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
  }

  private reconnect(): void {
    if (this.closed) return;
    setTimeout(() => {
      this.start().catch((err: unknown) => {
        this.log.warn({ err }, 'live updates: reconnect failed');
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        this.reconnect();
      });
    }, this.retryMs).unref();
  }

  /** Calls `listener` with every batch of changes until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
