/**
 * Computations of shared answers under way, by key and data version. After a write every dashboard misses at
 * once; callers asking the same answer meanwhile wait for the one computing it instead of repeating its work.
 */
export class InFlight {
  private readonly flights = new Map<string, { version: string; done: Promise<void> }>();

  /** The computation of `key` at `version` under way, if any. */
  running(key: string, version: string): Promise<void> | undefined {
    const f = this.flights.get(key);
    return f && f.version === version ? f.done : undefined;
  }

  /** Records that the caller computes `key` at `version`; call the returned function when it is done (or failed). */
  start(key: string, version: string): () => void {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const flight = { version, done };
    this.flights.set(key, flight);
    return () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
      finish();
    };
  }
}
