import { LRUCache } from 'lru-cache';

interface Entry {
  version: string;
  /** The answer's `data`, serialized once: hits are written to the socket as they are. */
  json: Buffer;
}

/**
 * Answers of dashboard queries, in this process's memory, bounded by size and age. Each answer is kept with the
 * data version it was computed under and served only while that version is still the current one.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  // Bounded by the texts' size too: a caller may send many large distinct documents.
  private readonly verdicts = new LRUCache<string, boolean>({ max: 2_000, maxSize: 8 << 20, sizeCalculation: (_v, text) => text.length + 32 });

  constructor(maxBytes: number, ttlSeconds: number) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      ttl: ttlSeconds * 1000,
      ttlAutopurge: false,
    });
  }

  /** The serialized `data` of the answer stored under `key` at `version`, if that is still the version. */
  get(key: string, version: string): Buffer | undefined {
    const e = this.entries.get(key);
    return e && e.version === version ? e.json : undefined;
  }

  /** Whether answers to this document's text may be shared, once Apollo has decided it (cacheable.ts). */
  shareable(query: string): boolean | undefined {
    return this.verdicts.get(query);
  }

  rememberShareable(query: string, verdict: boolean): void {
    if (this.verdicts.get(query) !== verdict) this.verdicts.set(query, verdict);
  }

  set(key: string, version: string, data: Record<string, unknown>): void {
    const json = Buffer.from(JSON.stringify(data));
    this.entries.set(key, { version, json }, { size: json.length + key.length * 2 + 200 });
  }
}
