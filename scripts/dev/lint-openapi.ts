import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@jizan/server/app';
import { loadConfig } from '@jizan/server/config';
import { openDatabase } from '@jizan/server/db';

/**
 * Operators generate API clients from the OpenAPI document, so it must pass Redocly's
 * `recommended` rules with no error and no warning. The app is built (never listened) on a
 * throwaway in-memory database: the document comes from the route schemas alone.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

async function openApiDocument(dataDir: string): Promise<unknown> {
  const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'openapi-lint-only-secret-that-never-signs-a-real-token',
    JIZAN_H5_DIR: 'none',
    JIZAN_DATA_DIR: dataDir,
  });
  const app = await buildApp({ config, database, logger: false });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}

function lint(file: string): LintReport {
  const run = spawnSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'redocly'),
    ['lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'],
    {
      cwd: path.dirname(file),
      encoding: 'utf8',
      // Offline and quiet: no usage report, no update check.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    },
  );
  const json = run.stdout.slice(run.stdout.indexOf('{'));
  try {
    return JSON.parse(json) as LintReport;
  } catch {
    throw new Error(`redocly did not answer with a report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'jizan-openapi-'));
try {
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(await openApiDocument(dir), null, 2));
  const report = lint(file);
  // Redocly exits 0 on warnings; here a warning fails as much as an error.
  for (const p of report.problems) {
    console.log(`${p.severity.padEnd(7)} ${p.ruleId.padEnd(28)} ${p.location[0]?.pointer ?? ''}  ${p.message}`);
  }
  const { errors, warnings } = report.totals;
  if (errors + warnings > 0) {
    console.error(`OpenAPI lint: ${errors} errors, ${warnings} warnings against Redocly recommended; fix them in the route schemas.`);
    process.exitCode = 1;
  } else {
    console.log('OpenAPI lint: 0 errors, 0 warnings (Redocly recommended).');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
