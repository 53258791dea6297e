/** One line for an SDK error: HTTP status and the service's error code and message, never a stack. */
export function describeError(err: unknown): string {
  const e = err as { statusCode?: number; status?: number; code?: string; message?: string; errors?: Array<{ code?: number; message?: string }> };
  const status = e?.statusCode ?? e?.status;
  const cf = Array.isArray(e?.errors) && e.errors.length > 0 ? e.errors.map((x) => `${x.code ?? ""} ${x.message ?? ""}`.trim()).join("; ") : undefined;
  const message = (cf ?? e?.message ?? String(err)).split("\n")[0].slice(0, 300);
  return [status ? `HTTP ${status}` : undefined, e?.code && !cf ? e.code : undefined, message].filter(Boolean).join(" ");
}
