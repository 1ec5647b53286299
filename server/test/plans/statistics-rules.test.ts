import { describe, expect, it } from 'vitest';
import { maintenanceDue, type TableFacts } from '../../src/db/statistics.js';

const facts = (table: string, f: Partial<TableFacts>): TableFacts => ({ table, reltuples: 0, live: 0, dead: 0, modifiedSinceAnalyze: 0, ...f });

describe('when the server refreshes planner statistics', () => {
  it('analyzes a table holding rows that was never analyzed, and leaves an empty one alone', () => {
    const due = maintenanceDue([facts('participants', { reltuples: -1, live: 1_000_000 }), facts('likes', { reltuples: -1 })]);
    expect(due).toEqual({ analyze: ['participants'], vacuum: [] });
  });

  it('analyzes again only once a table grew past the floor plus a fifth of its rows', () => {
    expect(maintenanceDue([facts('participants', { reltuples: 1_000_000, modifiedSinceAnalyze: 200_000 })]).analyze).toEqual([]);
    expect(maintenanceDue([facts('participants', { reltuples: 1_000_000, modifiedSinceAnalyze: 201_001 })]).analyze).toEqual(['participants']);
  });

  it('vacuums the drained histogram moves once their dead rows pile up, and never merely analyzes them', () => {
    expect(maintenanceDue([facts('energy_histogram_moves', { reltuples: -1, dead: 1_350_000, modifiedSinceAnalyze: 2_700_000 })])).toEqual({
      analyze: [],
      vacuum: ['energy_histogram_moves'],
    });
    expect(maintenanceDue([facts('energy_histogram_moves', { dead: 9_999 })]).vacuum).toEqual([]);
  });
});
