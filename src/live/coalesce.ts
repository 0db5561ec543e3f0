/**
 * Turns a stream of keyed changes into batches, at most one batch per `windowMs`: the first change after a
 * quiet window is sent at once, later ones are merged (per key) and sent when the window ends. So a burst of
 * reports on a unit yields one event per unit per window, and memory is bounded by the number of keys.
 */
export class Coalescer<K, I, V> {
  private pending = new Map<K, V>();
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(
    private readonly windowMs: number,
    private readonly merge: (previous: V | undefined, next: I) => V,
    private readonly flush: (batch: Map<K, V>) => void,
  ) {}

  add(key: K, input: I): void {
    this.pending.set(key, this.merge(this.pending.get(key), input));
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.windowMs - Date.now());
    this.timer = setTimeout(() => this.emit(), wait);
  }

  private emit(): void {
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.lastFlush = Date.now();
    this.flush(batch);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}

/** A push-to-pull queue: producers `push`, GraphQL's subscription loop pulls; `end` finishes (or fails) the stream. */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((e: unknown) => void) | null = null;
  private done = false;
  private error: unknown = null;

  constructor(private readonly onReturn: () => void, private readonly maxItems = 100) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failWaiting = null;
      w({ value: item, done: false });
    } else if (this.items.length < this.maxItems) {
      this.items.push(item);
    }
    // Beyond maxItems the client is not reading: later batches are dropped (coalescing keeps them few).
  }

  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = error ?? null;
    this.onReturn();
    if (this.waiting && !(error && this.failWaiting)) this.waiting({ value: undefined, done: true });
    else if (error && this.failWaiting) this.failWaiting(error);
    this.waiting = this.failWaiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.done) return this.error ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.end(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
