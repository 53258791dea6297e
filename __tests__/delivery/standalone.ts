/**
 * Finds mentions of paths outside this repository (a sibling `shared` folder,
 * the design and reference files kept beside it) in docs, code and printed
 * output: a fork has only the repository, so facts cite public URLs instead.
 */

/** Ways a text points outside the repository, each with the fix. */
const OUTSIDE: readonly { readonly pattern: RegExp; readonly fix: string }[] = [
  { pattern: /\.\.[\\/]+shared\b/, fix: "a sibling `shared` directory is not in a fork; cite the public source URL" },
  { pattern: /["']\.\.["']\s*,\s*["']shared["']/, fix: "a sibling `shared` directory is not in a fork; take the source as an argument" },
  { pattern: /\bshared[\\/]+(reference|provider-schemas|DESIGN)\b/, fix: "cite the public source URL of the fact instead" },
  {
    pattern: /(?<![\w./-])(toolchain|matomo|reliability-security|peers-and-style|DESIGN)\.md\b/,
    fix: "a reference file outside the repository; cite the public source URL",
  },
  { pattern: /\b(reliability-security|peers-and-style)\b/, fix: "a reference file outside the repository; cite the public source URL" },
  { pattern: /\b(toolchain|matomo|DESIGN)(\.md)? §/, fix: "a section of a file outside the repository; cite the public source URL" },
];

export interface OutsideReference {
  readonly line: number;
  readonly text: string;
  readonly fix: string;
}

/** Every mention of a path outside the repository in `text`, by line. */
export function outsideReferences(text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { pattern, fix } of OUTSIDE) {
      const m = pattern.exec(line);
      if (m) found.push({ line: i + 1, text: m[0], fix });
    }
  });
  return found;
}
