import { describe, expect, it } from 'vitest';
import { appPages, PAGES, SUBPACKAGES } from '../src/page-paths';

describe('page registration', () => {
  it('registers every page exactly once, home first, in the main package or in one subpackage', () => {
    const { pages, subPackages } = appPages();
    const registered = [...pages, ...subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
    expect(pages[0]).toBe(PAGES.home);
    expect([...registered].sort()).toEqual([...Object.values(PAGES)].sort());
    expect(new Set(registered).size).toBe(registered.length);
  });

  it('keeps what a friend opening a card needs in the main package', () => {
    expect(appPages().pages).toEqual(
      expect.arrayContaining([PAGES.home, PAGES.share, PAGES.team, PAGES.leaderboard, PAGES.energy]),
    );
  });

  it('preloads only subpackages that exist, from pages in the main package', () => {
    const { pages, preloadRule } = appPages();
    const roots: string[] = Object.values(SUBPACKAGES);
    for (const [page, rule] of Object.entries(preloadRule)) {
      expect(pages).toContain(page);
      for (const p of rule.packages) expect(roots).toContain(p);
    }
    expect(preloadRule[PAGES.share]?.packages).toContain(SUBPACKAGES.groupBuy);
  });
});
