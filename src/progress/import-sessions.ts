import type { RowProblem } from './progress-bulk.repo';

/*
 * Several sessions importing one file together (npm run import:progress --workers): each stages the whole file
 * but checks and writes only its share of the reporting units (by a hash of the unit code), so every row is
 * checked once and the sessions write at the same time. A file is refused as a whole, so before writing anything
 * the sessions wait for each other's checks (`arrive`).
 */

export interface ShareCounts {
  rows: number;
  problems: number;
  chunks: number;
}

/** What the sessions of one import share. */
export class SharedImport {
  /** Set when a session fails: the others start no further chunk. */
  stop = false;
  /** Chunks committed by every session so far. */
  committed = 0;
  private readonly counts: ShareCounts = { rows: 0, problems: 0, chunks: 0 };
  private arrived = 0;
  private failure: unknown = null;
  private readonly waiting: { resolve(c: ShareCounts): void; reject(e: unknown): void }[] = [];

  constructor(readonly sessions: number) {}

  /** The whole file's chunks (known once every session has arrived). */
  get chunks(): number {
    return this.counts.chunks;
  }

  /** A session's checked share; resolves with the whole file's counts once every session has arrived. */
  arrive(share: ShareCounts): Promise<ShareCounts> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.counts.rows += share.rows;
    this.counts.problems += share.problems;
    this.counts.chunks += share.chunks;
    this.arrived++;
    const all = new Promise<ShareCounts>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (this.arrived === this.sessions) for (const w of this.waiting.splice(0)) w.resolve({ ...this.counts });
    return all;
  }

  /** A session failed: nobody waits for it, and no further chunk starts. */
  fail(e: unknown): void {
    this.stop = true;
    if (this.failure === null) this.failure = e;
    for (const w of this.waiting.splice(0)) w.reject(new SessionGaveUp());
  }
}

/** Another session of the import failed first (its error is the one reported). */
export class SessionGaveUp extends Error {
  constructor() {
    super('another session of the import failed');
  }
}

/** The file has bad rows (some session's share): this session's problems, checked without writing. */
export class FileRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('the file has rows that cannot be imported');
  }
}

/**
 * A chunk's rows break a rule against stored data (checked under its locks, so only once earlier chunks, or the
 * other sessions' chunks, may have committed).
 */
export class ChunkRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('a chunk of the import breaks a rule');
  }
}
