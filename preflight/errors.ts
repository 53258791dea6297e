/** One line for an SDK error: HTTP status and the service's error code and message, never a stack. */
export function describeError(err: unknown): string {
  const e = err as { statusCode?: number; status?: number; code?: string; message?: string; errors?: Array<{ code?: number; message?: string }> };
  const status = e?.statusCode ?? e?.status;
  const cf = Array.isArray(e?.errors) && e.errors.length > 0 ? e.errors.map((x) => `${x.code ?? ""} ${x.message ?? ""}`.trim()).join("; ") : undefined;
  const message = (cf ?? e?.message ?? String(err)).split("\n")[0].slice(0, 300);
  return [status ? `HTTP ${status}` : undefined, e?.code && !cf ? e.code : undefined, message].filter(Boolean).join(" ");
}

/** A read the rest of a check depends on: its value, or the one problem that ends the check. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly findings: { readonly problems: readonly string[] } };

/**
 * Runs `work`; on failure the check ends with one problem, written by `problem` from the error's one-line
 * description (HTTP status and the service's message), which names what to grant or fix.
 */
export async function readOrProblem<T>(work: () => Promise<T>, problem: (error: string) => string): Promise<Read<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, findings: { problems: [problem(describeError(err))] } };
  }
}
