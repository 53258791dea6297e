#!/usr/bin/env node
// Writes docs/config-reference.md from the compiled schema (run `npm run build` first; `npm run docs:config` does both).
const fs = require("fs");
const path = require("path");
const { renderConfigReference } = require("../dist/config/reference");

const target = path.join(__dirname, "..", "docs", "config-reference.md");
fs.writeFileSync(target, renderConfigReference());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
