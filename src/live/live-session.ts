import type { MikroORM } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import type { KeySet } from '../auth/keys';
import type { Config } from '../config';
import { authenticate } from '../auth/authenticate';
import { abilityFor } from '../auth/ability';
import { allowed } from '../common/scoped';
import { BadUserInputError, UnauthenticatedError } from '../common/errors';
import { Coalescer, EventQueue } from './coalesce';
import type { FigureChange, FiguresHub } from './figures-hub';

export interface LiveDeps {
  hub: FiguresHub;
  orm: MikroORM;
  keys: KeySet;
  config: Config;
}

/**
 * The credentials a subscription was opened with, so that each event is checked against the principal's
 * grants as they are now (not as they were at connect), and the stream ends when the session, key or
 * account stops working.
 */
export class LiveSession {
  constructor(readonly deps: LiveDeps, private readonly authorization: string) {}

  /** Re-reads principal and grants (one statement) and gives the context a fresh EntityManager and loaders. */
  async refresh(ctx: Context): Promise<void> {
    const em = this.deps.orm.em.fork() as Context['em'];
    const principal = await authenticate(em, this.deps.keys, this.deps.config, this.authorization);
    if (!principal) throw new UnauthenticatedError();
    // Context is read-only for resolvers; a live subscription is the one owner that renews it between events.
    Object.assign(ctx, { em, principal, ability: abilityFor(principal.grants), loaderSets: new Map() });
  }
}

const sessions = new WeakMap<Context, LiveSession>();

export function attachLiveSession(ctx: Context, session: LiveSession): void {
  sessions.set(ctx, session);
}

export function liveSessionOf(ctx: Context): LiveSession {
  const session = sessions.get(ctx);
  if (!session) throw new BadUserInputError('Subscriptions are served as Server-Sent Events at /graphql/stream (GraphQL over SSE).');
  return session;
}

export interface LiveStreamSpec<K, V, T> {
  /** The key a change counts under (null: not for this subscription). */
  keyOf(change: FigureChange): K | null;
  /** What a change adds to its key's pending value. */
  merge(previous: V | undefined, change: FigureChange): V;
  /** The events of one coalesced batch, built with the refreshed context; keys the caller may no longer see are dropped. */
  events(ctx: Context, batch: Map<K, V>): Promise<T[]>;
}

/** Ends every live stream of this process, e.g. when the server closes (see closeLiveStreams). */
const openQueues = new Set<EventQueue<unknown>>();

export function closeLiveStreams(filter: (ctx: Context) => boolean = () => true): void {
  for (const q of [...openQueues]) if (filter((q as EventQueue<unknown> & { ctx: Context }).ctx)) q.end();
}

/**
 * An AsyncIterator of events for one subscription: hub changes → filter → coalesce (≤ 1 batch per window)
 * → re-check credentials and jurisdiction → events. Ends on return (client gone), or, when the credentials
 * stop working, after one last item: the error, which the subscription's resolver throws so the client is told why.
 */
export function liveStream<K, V, T>(ctx: Context, spec: LiveStreamSpec<K, V, T>): AsyncIterableIterator<T | Error> {
  const session = liveSessionOf(ctx);
  const { hub, config } = session.deps;
  let chain = Promise.resolve();
  const coalescer = new Coalescer<K, FigureChange, V>(config.live.coalesceMs, spec.merge, (batch) => {
    chain = chain.then(async () => {
      try {
        await session.refresh(ctx);
        for (const e of await spec.events(ctx, batch)) queue.push(e);
      } catch (err) {
        fail(err);
      }
    });
  });
  const fail = (err: unknown) => {
    queue.push(err instanceof Error ? err : new Error(String(err)));
    queue.end();
  };
  const unsubscribe = hub.subscribe((changes) => {
    for (const c of changes) {
      const key = spec.keyOf(c);
      if (key !== null) coalescer.add(key, c);
    }
  });
  const recheck = setInterval(() => {
    chain = chain.then(() => session.refresh(ctx)).catch(fail);
  }, config.live.recheckMs);
  recheck.unref();
  const queue: EventQueue<T | Error> = new EventQueue<T | Error>(() => {
    unsubscribe();
    coalescer.stop();
    clearInterval(recheck);
    openQueues.delete(queue as EventQueue<unknown>);
  });
  Object.assign(queue, { ctx });
  openQueues.add(queue as EventQueue<unknown>);
  return queue;
}

/** Whether the (refreshed) caller may read a unit at `path`. */
export const canReadUnitAt = (ctx: Context, path: string): boolean => allowed(ctx, 'read', 'Unit', { path });
