const unchangedFields = new WeakMap<object, number>();

/**
 * A mutation field that found everything already as asked (an identical repeat) says so. When every root field of
 * the operation did, the data version is not advanced: cached answers stay valid and the repeat costs no extra
 * statement. Without these marks every mutation advances the version (the safe default).
 */
export function markNothingChanged(ctx: object): void {
  unchangedFields.set(ctx, (unchangedFields.get(ctx) ?? 0) + 1);
}

export function unchangedFieldCount(ctx: object): number {
  return unchangedFields.get(ctx) ?? 0;
}
