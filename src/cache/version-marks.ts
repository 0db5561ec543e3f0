const unchangedFields = new WeakMap<object, number>();
const advancedFields = new WeakMap<object, number>();

/*
 * Every mutation advances the data version after it commits (the safe default, response-cache.plugin.ts), unless
 * each of its root fields says it need not: it changed nothing, or it advanced the version itself after its own
 * commit (in a statement it had to send anyway).
 */

/** An identical repeat that found everything already as asked: cached answers stay valid. */
export function markNothingChanged(ctx: object): void {
  unchangedFields.set(ctx, (unchangedFields.get(ctx) ?? 0) + 1);
}

/** A field that advanced the data version after its write committed. */
export function markVersionAdvanced(ctx: object): void {
  advancedFields.set(ctx, (advancedFields.get(ctx) ?? 0) + 1);
}

/** How many root fields need no advance from the plugin. */
export function settledFieldCount(ctx: object): number {
  return (unchangedFields.get(ctx) ?? 0) + (advancedFields.get(ctx) ?? 0);
}
