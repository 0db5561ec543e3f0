type Queryable = { query: (...args: never[]) => unknown };

/**
 * Diagnostics for the bulk CLIs (IMPORT_TIMINGS=1): wraps pg clients' `query` to add up the time of each
 * statement by its first words (summed over the sessions), and returns a function that prints the table
 * (slowest first) to stderr. COPY streams and other non-text queries pass through untimed.
 */
export function timeStatements(clients: Queryable | readonly Queryable[]): () => void {
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const client of Array.isArray(clients) ? clients : [clients]) timeClient(client as Queryable, totals);
  return () => {
    const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
    const all = rows.reduce((s, [, t]) => s + t.ms, 0);
    console.error(`statement time ${Math.round(all)} ms:`);
    for (const [label, t] of rows) console.error(`${String(Math.round(t.ms)).padStart(8)} ms ${String(t.calls).padStart(5)}×  ${label}`);
  };
}

function timeClient(client: Queryable, totals: Map<string, { ms: number; calls: number }>): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : null;
    const result = original(...args);
    if (text === null || !(result instanceof Promise)) return result;
    const started = performance.now();
    const label = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    return result.finally(() => {
      const t = totals.get(label) ?? { ms: 0, calls: 0 };
      t.ms += performance.now() - started;
      t.calls++;
      totals.set(label, t);
    });
  };
}
