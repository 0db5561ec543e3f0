/** A minimal GraphQL-over-SSE client (distinct connections mode) for tests: collects `next` events as they arrive. */
export interface SseStream {
  status: number;
  headers: Headers;
  events: { data?: any; errors?: any[] }[];
  /** Resolves when `n` events have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
  /** The body, when the server answered with JSON instead of a stream. */
  json?: any;
}

export async function subscribe(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const events: SseStream['events'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const stream: SseStream = {
    status: res.status,
    headers: res.headers,
    events,
    waitFor(n, ms = 15_000) {
      if (events.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} events, got ${events.length}: ${JSON.stringify(events)}`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    stream.json = await res.json();
    return stream;
  }
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (\w+)/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'next' && data) {
            events.push(JSON.parse(data));
            for (const w of waiters.filter((x) => events.length >= x.n)) w.resolve();
          }
          if (event === 'complete') return;
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return stream;
}
