/**
 * Minimal scanner for Terraform template strings as cdktf writes them ("${…}" / "%{…}").
 * It does not parse HCL; it only finds traversal chains such as `azurerm_lb.main[0].id` so
 * static references can be checked. Quoted strings inside expressions are skipped except for
 * their own interpolations, so literals like "a.b" are never mistaken for references.
 */

export type RefStep = { kind: "attr"; name: string } | { kind: "index" } | { kind: "splat" };

export interface RefChain {
  /** First identifier: a resource type, `data`, `var`, `local`, `module`, `each`, … */
  root: string;
  steps: RefStep[];
  /** The chain as written, for messages. */
  text: string;
}

const IDENT_START = /[A-Za-z_]/;
// HCL identifiers may contain '-' (so `a-1` is one identifier, exactly as Terraform lexes it).
const IDENT_PART = /[A-Za-z0-9_-]/;

/** True when the string holds an unescaped interpolation or directive ("$${" is a literal). */
export function hasExpression(s: string): boolean {
  if (!s.includes("${") && !s.includes("%{")) return false;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i];
    if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") i += 2;
    else if ((c === "$" || c === "%") && s[i + 1] === "{") return true;
  }
  return false;
}

/** All traversal chains with at least one step found in the template's expressions. */
export function scanExpressions(s: string): RefChain[] {
  const out: RefChain[] = [];
  scanTemplate(s, 0, false, out);
  return out;
}

/** Template text; `quoted` means we are inside "…" within an expression and stop at the closing quote. */
function scanTemplate(s: string, i: number, quoted: boolean, out: RefChain[]): number {
  while (i < s.length) {
    const c = s[i];
    if (quoted && c === "\\") i += 2;
    else if (quoted && c === '"') return i + 1;
    else if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") i += 3;
    else if ((c === "$" || c === "%") && s[i + 1] === "{") i = scanExpr(s, i + 2, "}", out);
    else i++;
  }
  return i;
}

/** Expression text up to the unmatched `close` bracket; returns the index after it. */
function scanExpr(s: string, i: number, close: "}" | "]", out: RefChain[]): number {
  const open = close === "}" ? "{" : "[";
  let depth = 0;
  let prev = "";
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = scanTemplate(s, i + 1, true, out);
      prev = '"';
      continue;
    }
    if (c === open) depth++;
    else if (c === close && depth-- === 0) return i + 1;
    if (/[0-9]/.test(c)) {
      // Skip numeric literals so "1e5" is not read as the identifier "e5".
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(i, i + 40))!;
      i += m[0].length;
      prev = "0";
      continue;
    }
    if (IDENT_START.test(c)) {
      const start = i;
      const { end, chain } = readChain(s, i, out);
      i = end;
      // After '.', the chain hangs off a call result or literal: not a reference root.
      // A bare identifier followed by '(' is a function call.
      if (prev !== "." && chain.steps.length > 0) out.push({ ...chain, text: s.slice(start, end) });
      prev = "a";
      continue;
    }
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return i;
}

function readIdent(s: string, i: number): number {
  while (i < s.length && IDENT_PART.test(s[i])) i++;
  return i;
}

function readChain(s: string, i: number, out: RefChain[]): { end: number; chain: Omit<RefChain, "text"> } {
  let j = readIdent(s, i);
  const root = s.slice(i, j);
  const steps: RefStep[] = [];
  for (;;) {
    if (s[j] === "." && s[j + 1] === "*") {
      steps.push({ kind: "splat" });
      j += 2;
    } else if (s[j] === "." && IDENT_START.test(s[j + 1] ?? "")) {
      const end = readIdent(s, j + 1);
      steps.push({ kind: "attr", name: s.slice(j + 1, end) });
      j = end;
    } else if (s[j] === "." && /[0-9]/.test(s[j + 1] ?? "")) {
      j = /^\.[0-9]+/.exec(s.slice(j))![0].length + j; // legacy `.0` index
      steps.push({ kind: "index" });
    } else if (s[j] === "[" && s[j + 1] === "*" && s[j + 2] === "]") {
      steps.push({ kind: "splat" });
      j += 3;
    } else if (s[j] === "[") {
      j = scanExpr(s, j + 1, "]", out); // the index expression may hold references itself
      steps.push({ kind: "index" });
    } else break;
  }
  return { end: j, chain: { root, steps } };
}
