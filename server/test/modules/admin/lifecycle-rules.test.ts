import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleOf, NEXT_STATE, planTransition, type LifecycleFacts } from '../../../src/modules/admin/lifecycle-rules.js';

const now = new Date('2026-11-11T04:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3600_000);
const facts = (o: Partial<LifecycleFacts> = {}): LifecycleFacts => ({ publishedAt: h(-48), startsAt: h(1), endsAt: h(24), settled: false, ...o });
const STATES = ['draft', 'scheduled', 'live', 'ended', 'settled'] as const;

describe('campaign lifecycle', () => {
  it('reads draft, scheduled, live, ended and settled from the stored facts and the window', () => {
    expect(lifecycleOf(facts({ publishedAt: null, startsAt: h(-1) }), now)).toBe('draft');
    expect(lifecycleOf(facts(), now)).toBe('scheduled');
    expect(lifecycleOf(facts({ startsAt: now }), now)).toBe('live');
    expect(lifecycleOf(facts({ startsAt: h(-2), endsAt: now }), now)).toBe('ended');
    expect(lifecycleOf(facts({ startsAt: h(-2), endsAt: h(-1), settled: true }), now)).toBe('settled');
  });

  it('publishes a draft into scheduled, starts, ends and settles: each move changes the right fact', () => {
    expect(planTransition(facts({ publishedAt: null }), 'scheduled', now)).toEqual({ kind: 'publish', publishedAt: now });
    expect(planTransition(facts(), 'live', now)).toEqual({ kind: 'start', startsAt: now });
    expect(planTransition(facts({ startsAt: h(-1) }), 'ended', now)).toEqual({ kind: 'end', endsAt: now });
    expect(planTransition(facts({ startsAt: h(-2), endsAt: h(-1) }), 'settled', now)).toEqual({ kind: 'settle' });
  });

  it('refuses to publish a draft whose start has passed', () => {
    expect(() => planTransition(facts({ publishedAt: null, startsAt: h(-1) }), 'scheduled', now)).toThrow(
      expect.objectContaining({ code: 'CAMPAIGN_TRANSITION_INVALID' }),
    );
  });

  it('refuses every move but the next one, including skipping ahead and going back', () => {
    const at = {
      draft: facts({ publishedAt: null }),
      scheduled: facts(),
      live: facts({ startsAt: h(-1) }),
      ended: facts({ startsAt: h(-2), endsAt: h(-1) }),
      settled: facts({ startsAt: h(-2), endsAt: h(-1), settled: true }),
    };
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.constantFrom(...STATES), (from, to) => {
        expect(lifecycleOf(at[from], now)).toBe(from);
        if (NEXT_STATE[from] === to) expect(() => planTransition(at[from], to, now)).not.toThrow();
        else expect(() => planTransition(at[from], to, now)).toThrow(expect.objectContaining({ code: 'CAMPAIGN_TRANSITION_INVALID', details: { from, to } }));
      }),
    );
  });
});
