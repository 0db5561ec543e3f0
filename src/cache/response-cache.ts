import { LRUCache } from 'lru-cache';

interface Entry {
  version: string;
  data: Record<string, unknown>;
}

/**
 * Answers of dashboard queries, in this process's memory, bounded by size and age. Each answer is kept with the
 * data version it was computed under and served only while that version is still the current one.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(maxBytes: number, ttlSeconds: number) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      ttl: ttlSeconds * 1000,
      ttlAutopurge: false,
    });
  }

  get(key: string, version: string): Record<string, unknown> | undefined {
    const e = this.entries.get(key);
    return e && e.version === version ? e.data : undefined;
  }

  set(key: string, version: string, data: Record<string, unknown>): void {
    const size = 2 * JSON.stringify(data).length + key.length * 2 + 200;
    this.entries.set(key, { version, data }, { size });
  }
}
