/** The GraphQL-over-HTTP error body for answers given before GraphQL runs (limits, refusals, drain). */
export function graphqlError(message: string, code: string, extensions: Record<string, unknown> = {}): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}
