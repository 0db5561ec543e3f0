import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request bookkeeping that follows async calls: how many SQL statements the request ran. */
export interface RequestScope {
  requestId: string;
  sqlStatements: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
