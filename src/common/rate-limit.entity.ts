import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Shared request counters (see rate-limit.ts): one row per key and time window. */
@Entity({ tableName: 'rate_limit_counter' })
export class RateLimitCounter {
  @PrimaryKey({ columnType: 'text' })
  key!: string;

  @PrimaryKey({ columnType: 'bigint', type: 'number' })
  window!: number;

  @Property({ columnType: 'integer' })
  count!: number;
}
