/**
 * Every relative link in every Markdown file of the repository points to a
 * file or directory that exists and, when it names a `#fragment` in a Markdown
 * file, to a heading that exists (GitHub's anchor rules). Code blocks and code
 * spans are not links. External links (http, mailto, ...) are not fetched.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, markdownFiles } from "./support";

/** Markdown with fenced code blocks, HTML comments and code spans blanked (line numbers kept). */
export function stripCode(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  const kept = lines.map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = undefined;
      return "";
    }
    if (m) {
      fence = m[1];
      return "";
    }
    return line;
  });
  return kept
    .join("\n")
    .replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(`+)[^`]*?\1/g, (c) => " ".repeat(c.length));
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target "title")`, and reference definitions `[id]: target`. */
export function linksIn(markdown: string): Link[] {
  const text = stripCode(markdown);
  const links: Link[] = [];
  const lineAt = (index: number) => text.slice(0, index).split("\n").length;
  for (const m of text.matchAll(/!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+["'(][^)]*)?\)/g)) {
    links.push({ line: lineAt(m.index ?? 0), target: m[1].replace(/^<|>$/g, "") });
  }
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) {
    links.push({ line: lineAt(m.index ?? 0), target: m[1].replace(/^<|>$/g, "") });
  }
  return links;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = stripCode(markdown.replace(/`([^`]*)`/g, "$1"));
  const lines = markdown.split("\n");
  const headings: string[] = [];
  text.split("\n").forEach((line, i) => {
    const atx = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) headings.push(atx[1]);
    else if (line.trim() && /^\s{0,3}(=+|-+)\s*$/.test(lines[i + 1] ?? "") && !/^\s*([-*_]\s*){3,}$/.test(line) && !line.startsWith("|"))
      headings.push(line.trim());
  });
  for (const h of headings) {
    const plain = h
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .replace(/[*~]/g, "");
    const base = plain
      .toLowerCase()
      .trim()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    anchors.add(n === 0 ? base : `${base}-${n}`);
    seen.set(base, n + 1);
  }
  for (const m of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

/** Problems with one file's relative links, as `file:line target: why`. */
export function brokenLinks(file: string): string[] {
  const abs = path.join(REPO_ROOT, file);
  const markdown = fs.readFileSync(abs, "utf8");
  const problems: string[] = [];
  for (const { line, target } of linksIn(markdown)) {
    if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // external or empty
    const [rawPath, fragment] = target.split("#", 2) as [string, string | undefined];
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath.split("?")[0]);
    } catch {
      problems.push(`${file}:${line} ${target}: malformed URL encoding`);
      continue;
    }
    const resolved = decoded === "" ? abs : decoded.startsWith("/") ? path.join(REPO_ROOT, decoded) : path.resolve(path.dirname(abs), decoded);
    if (!resolved.startsWith(REPO_ROOT)) {
      problems.push(`${file}:${line} ${target}: points outside the repository`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${file}:${line} ${target}: ${path.relative(REPO_ROOT, resolved)} does not exist`);
      continue;
    }
    if (fragment && resolved.toLowerCase().endsWith(".md") && fs.statSync(resolved).isFile()) {
      const anchors = anchorsOf(fs.readFileSync(resolved, "utf8"));
      if (!anchors.has(decodeURIComponent(fragment).toLowerCase())) {
        problems.push(`${file}:${line} ${target}: no heading '#${fragment}' in ${path.relative(REPO_ROOT, resolved)}`);
      }
    }
  }
  return problems;
}

describe("the link checker itself", () => {
  test("ignores code, keeps links, finds GitHub anchors", () => {
    const md = [
      "# Title: `code` & more",
      'See [a](docs/a.md#b-c) and ![i](img.png "t") and `[not](a link)`.',
      "```",
      "[also not](x.md)",
      "```",
      "[ref]: other.md",
      "## B c",
      "## B c",
    ].join("\n");
    expect(linksIn(md).map((l) => l.target)).toEqual(["docs/a.md#b-c", "img.png", "other.md"]);
    expect([...anchorsOf(md)]).toEqual(["title-code--more", "b-c", "b-c-1"]);
  });
});

const files = markdownFiles();

test("finds the repository's Markdown files", () => {
  expect(files).toEqual(expect.arrayContaining(["README.md", "docs/ci-cd.md", "docs/runbooks/bootstrap-state.md"]));
});

test.each(files.map((f) => [f]))("%s: relative links resolve", (file) => {
  expect(brokenLinks(file)).toEqual([]);
});
