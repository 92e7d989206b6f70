/** The context Nest passes a logger last (after a stack, for an error); undefined when there is none. */
export function nestContextOf(params: unknown[]): string | undefined {
  const last = params[params.length - 1];
  return typeof last === 'string' && !last.includes('\n') ? last : undefined;
}
