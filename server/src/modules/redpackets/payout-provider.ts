import { randomUUID } from 'node:crypto';

/**
 * The port every money transfer goes through (the chat platform's merchant transfer to a user's
 * wallet, or a coupon issuer). What a real integration must honour:
 *
 * - `payoutId` is the idempotency key (the transfer's out-bill number): asking twice for the same
 *   payout id moves money once and answers the first transfer's reference again. This is what makes
 *   a delivery run that was killed after paying but before recording safe to run again.
 * - A known refusal answers `{ok: false}`; `retryable: false` when trying again cannot help (the
 *   account cannot receive, the id was used for another amount), which leaves the red packet stuck
 *   for an operator. Anything thrown is taken as "outcome unknown" and retried later under the
 *   same payout id.
 */
export interface PayoutRequest {
  /** 32 hex characters, unique per red packet: fits the chat platform's out-bill number. */
  payoutId: string;
  userId: string;
  campaignId: string;
  /** Integer fen, > 0. */
  amount: number;
  /** What the user's wallet shows, e.g. "红包 · 双11集能量". */
  memo: string;
}

export type PayoutResult = { ok: true; reference: string } | { ok: false; retryable: boolean; reason: string };

export interface PayoutProvider {
  /** Recorded with each attempt, so operators know where to look the transfer up. */
  readonly name: string;
  pay(request: PayoutRequest): Promise<PayoutResult>;
}

export interface DevTransfer {
  payoutId: string;
  userId: string;
  amount: number;
  reference: string;
}

/**
 * A stand-in that "transfers" instantly and keeps its transfers in memory, keyed by payout id the
 * way a real provider keeps them: a repeated payout id moves nothing and answers the same
 * reference; the same id with another amount is refused for good.
 */
export function devPayoutProvider(): PayoutProvider & { transfers(): DevTransfer[] } {
  const byId = new Map<string, DevTransfer>();
  return {
    name: 'dev',
    async pay(req) {
      const prior = byId.get(req.payoutId);
      if (prior) {
        return prior.amount === req.amount && prior.userId === req.userId
          ? { ok: true, reference: prior.reference }
          : { ok: false, retryable: false, reason: 'payout id already used for another transfer' };
      }
      const transfer = { payoutId: req.payoutId, userId: req.userId, amount: req.amount, reference: `dev-${randomUUID()}` };
      byId.set(req.payoutId, transfer);
      return { ok: true, reference: transfer.reference };
    },
    transfers: () => [...byId.values()],
  };
}

/**
 * The provider this deployment pays through. Only the dev one exists so far, and production
 * refuses it: it would record red packets as delivered while paying nobody.
 */
export function payoutProviderFor(env: 'development' | 'test' | 'production'): PayoutProvider {
  if (env === 'production') {
    throw new Error('No real payout provider is configured, and the dev one would mark red packets paid without paying anyone');
  }
  return devPayoutProvider();
}
