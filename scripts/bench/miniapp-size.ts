import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Prints the weapp main-package size: the chat platform refuses a main package over 2 MB, and
 * Taro's runtime alone is most of a 500 KB budget, so growth must be seen on every change.
 * Files under a subpackage root (app.json `subPackages`) are fetched on their first visit and do
 * not count; each subpackage is printed beside it (the platform allows 2 MB each too).
 * Run `pnpm build:weapp` first. Exits 1 over budget, 2 when there is no build.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(REPO_ROOT, 'miniapp', 'dist', 'weapp');
const PLATFORM_LIMIT = 2 * 1024 * 1024;
const BUDGET = 500 * 1024;
// Not uploaded by the developer tools: project settings and licence notes.
const NOT_SHIPPED = [/^project(\.private)?\.config\.json$/, /\.LICENSE\.txt$/, /\.map$/, /^\.build-stamp$/];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

if (!existsSync(path.join(DIST, 'app.json'))) {
  console.error(`No weapp build at ${path.relative(REPO_ROOT, DIST)}; run \`pnpm build:weapp\` first.`);
  process.exit(2);
}

const appJson = JSON.parse(readFileSync(path.join(DIST, 'app.json'), 'utf8')) as { subPackages?: { root: string }[] };
const roots = (appJson.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''));
const rootOf = (file: string) => roots.find((r) => file.startsWith(`${r}/`)) ?? null;

const all = files(DIST)
  .filter((f) => !NOT_SHIPPED.some((re) => re.test(path.basename(f))))
  .map((f) => ({ file: path.relative(DIST, f).split(path.sep).join('/'), size: statSync(f).size }))
  .sort((a, b) => b.size - a.size);
const shipped = all.filter((f) => rootOf(f.file) === null);
const total = shipped.reduce((s, f) => s + f.size, 0);

console.log('Largest files:');
for (const f of shipped.slice(0, 8)) console.log(`  ${kb(f.size).padStart(10)}  ${f.file}`);
console.log(`weapp main package: ${kb(total)} (${shipped.length} files)`);
console.log(`  vs platform limit 2048 KB: ${((total / PLATFORM_LIMIT) * 100).toFixed(1)}%`);
console.log(`  vs budget 500 KB:          ${((total / BUDGET) * 100).toFixed(1)}%`);
for (const root of roots) {
  const inRoot = all.filter((f) => rootOf(f.file) === root);
  const size = inRoot.reduce((s, f) => s + f.size, 0);
  console.log(`subpackage ${root}: ${kb(size)} (${inRoot.length} files)`);
  if (size > PLATFORM_LIMIT) {
    console.error(`Subpackage ${root} is over the platform's 2048 KB limit.`);
    process.exit(1);
  }
}
if (total > BUDGET) {
  console.error(`Over the 500 KB budget by ${kb(total - BUDGET)}.`);
  process.exit(1);
}
