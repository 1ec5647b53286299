import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Builds the mini-program's H5 bundle only when its inputs changed since the last build, so
 * `pnpm start` and the browser test start in seconds on a warm checkout and rebuild (~15–50 s)
 * after a pull. Staleness is a content hash, not mtimes: a fresh clone has fresh mtimes everywhere.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MINIAPP = path.join(REPO_ROOT, 'miniapp');
const H5_DIR = path.join(MINIAPP, 'dist', 'h5');
const STAMP = path.join(H5_DIR, '.build-stamp');

/** Everything that changes the bundle; node_modules by package.json and the catalog that pins its versions. */
const INPUTS = [
  path.join(MINIAPP, 'src'),
  path.join(MINIAPP, 'config'),
  path.join(REPO_ROOT, 'shared', 'src'),
  path.join(MINIAPP, 'package.json'),
  path.join(REPO_ROOT, 'pnpm-workspace.yaml'),
  path.join(MINIAPP, 'babel.config.js'),
];

function listFiles(p: string): string[] {
  if (!existsSync(p)) return [];
  const st = statSync(p);
  if (st.isFile()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => listFiles(path.join(p, e.name)));
}

export function h5InputsHash(): string {
  const h = createHash('sha256');
  // The API base is baked into the bundle, so it is part of what was built.
  h.update('api-base:same-origin\n');
  for (const file of INPUTS.flatMap(listFiles)) {
    h.update(path.relative(REPO_ROOT, file));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

function runBuild(log: (s: string) => void): Promise<void> {
  const taroBin = [path.join(MINIAPP, 'node_modules', '.bin', 'taro'), path.join(REPO_ROOT, 'node_modules', '.bin', 'taro')].find(
    (p) => existsSync(p),
  );
  if (!taroBin) throw new Error('taro CLI not found: run `npx -y pnpm@10.34.8 install` at the repo root first');
  return new Promise((resolve, reject) => {
    const child = spawn(taroBin, ['build', '--type', 'h5'], {
      cwd: MINIAPP,
      // Same origin: the API server that serves this bundle also answers its requests.
      env: { ...process.env, TARO_APP_API_BASE: '', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (b: Buffer) => {
      output += b.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && existsSync(path.join(H5_DIR, 'index.html'))) resolve();
      else {
        log(output.slice(-4000));
        reject(new Error(`taro build --type h5 failed (exit ${code})`));
      }
    });
  });
}

export async function ensureH5Build(opts: { log?: (s: string) => void } = {}): Promise<string> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const hash = h5InputsHash();
  const current = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
  if (current === hash && existsSync(path.join(H5_DIR, 'index.html'))) {
    log(`H5 build is up to date (${path.relative(REPO_ROOT, H5_DIR)})`);
    return H5_DIR;
  }
  log(current ? 'H5 build is stale; rebuilding (about 15–50 s)…' : 'No H5 build yet; building it (about 15–50 s)…');
  const started = Date.now();
  await runBuild(log);
  writeFileSync(STAMP, `${hash}\n`);
  log(`H5 build ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return H5_DIR;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  ensureH5Build().then(
    (dir) => console.log(dir),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
