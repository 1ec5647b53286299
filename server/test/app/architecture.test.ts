import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The layering rules of ARCHITECTURE.md, checked on the source so a new module cannot drift from them. */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sources(folder: string, module: string) {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ module, name: f, text: readFileSync(path.join(folder, f), 'utf8') }));
}

// The seed writes through the services like any module would, so it is held to the same rules.
const files = [
  ...readdirSync(path.join(SRC, 'modules')).flatMap((m) => sources(path.join(SRC, 'modules', m), m)),
  ...sources(path.join(SRC, 'seed'), 'seed'),
];

/** Imports of other modules' files, as `{ module, file }`. */
function crossModuleImports(text: string): { module: string; file: string }[] {
  return [...text.matchAll(/from '(?:\.\.\/)+(?:modules\/)?([a-z-]+)\/([a-z.-]+)\.js'/g)].map((m) => ({ module: m[1]!, file: m[2]! }));
}

describe('module boundaries', () => {
  it('routes hold no transaction and no idempotency: their services own both', () => {
    const offenders = files.filter((f) => f.name.endsWith('.routes.ts') && /runOnce|\.transaction\(/.test(f.text));
    expect(offenders.map((f) => `${f.module}/${f.name}`)).toEqual([]);
  });

  it('only repositories know SQL and the tables', () => {
    const offenders = files.filter((f) => !f.name.endsWith('.repository.ts') && /from '(drizzle-orm[^']*|[./]+db\/schema[^']*)'/.test(f.text));
    expect(offenders.map((f) => `${f.module}/${f.name}`)).toEqual([]);
  });

  it('a module reaches another module through its service, never its repository', () => {
    const offenders = files.flatMap((f) =>
      crossModuleImports(f.text)
        .filter((i) => i.file.endsWith('.repository'))
        .map((i) => `${f.module}/${f.name} → ${i.module}/${i.file}`),
    );
    expect(offenders).toEqual([]);
  });

  it('modules depend on each other without a cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const f of files) {
      for (const i of crossModuleImports(f.text)) {
        if (i.module !== f.module) edges.set(f.module, (edges.get(f.module) ?? new Set()).add(i.module));
      }
    }
    const cycles: string[] = [];
    const visit = (module: string, trail: string[]) => {
      if (trail.includes(module)) {
        cycles.push([...trail.slice(trail.indexOf(module)), module].join(' → '));
        return;
      }
      for (const next of edges.get(module) ?? []) visit(next, [...trail, module]);
    };
    for (const module of edges.keys()) visit(module, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
