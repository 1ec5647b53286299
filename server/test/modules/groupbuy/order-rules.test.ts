import type { OrderStatus } from '@jizan/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/errors.js';
import { assertTransition, canTransition, isTerminal, ORDER_STATUSES, ORDER_TRANSITIONS } from '../../../src/modules/groupbuy/order-rules.js';

// The order life, written out independently of the table under test.
const LEGAL = new Set([
  'pending_payment→paid',
  'pending_payment→cancelled',
  'paid→grouped',
  'paid→refunding',
  'grouped→refunding',
  'refunding→refunded',
]);

const ALL: OrderStatus[] = ['pending_payment', 'paid', 'grouped', 'refunding', 'refunded', 'cancelled'];

describe('the order state machine', () => {
  it('knows exactly the six order states', () => {
    expect([...ORDER_STATUSES].sort()).toEqual([...ALL].sort());
  });

  for (const from of ALL) {
    for (const to of ALL) {
      const legal = LEGAL.has(`${from}→${to}`);
      it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(legal);
        if (legal) {
          expect(() => assertTransition(from, to)).not.toThrow();
        } else {
          let thrown: unknown;
          try {
            assertTransition(from, to);
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeInstanceOf(AppError);
          expect((thrown as AppError).code).toBe('ORDER_STATE_INVALID');
          expect((thrown as AppError).statusCode).toBe(409);
        }
      });
    }
  }

  it('ends only in refunded or cancelled', () => {
    expect(ALL.filter(isTerminal).sort()).toEqual(['cancelled', 'refunded']);
  });

  it('has no loop: any walk along legal moves reaches an end within four steps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), (start, picks) => {
        let state = start;
        let steps = 0;
        for (const pick of picks) {
          const next = ORDER_TRANSITIONS[state];
          if (next.length === 0) break;
          state = next[pick % next.length]!;
          steps += 1;
        }
        return isTerminal(state) && steps <= 4;
      }),
    );
  });
});
