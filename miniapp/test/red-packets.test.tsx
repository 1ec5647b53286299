import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenPacket } from '../src/components/open-packet';
import { SharerProgress } from '../src/components/sharer-progress';
import { useSingleFlight } from '../src/hooks/use-single-flight';
import { ladderFill, remainingUntil, rungState, yuan } from '../src/logic/red-packets';
import { RP } from '../src/strings';

afterEach(cleanup);

describe('red-packet money and ladder logic', () => {
  it('shows fen as yuan with two decimals, exactly', () => {
    expect([yuan(188), yuan(5), yuan(100), yuan(188_800), yuan(0)]).toEqual(['1.88', '0.05', '1.00', '1888.00', '0.00']);
  });

  it('names each rung by what the user can do with it', () => {
    const t = { tier: 1, energy: 100, amount: 188 };
    expect(rungState({ ...t, reached: true, claimed: true, claimable: false })).toBe('claimed');
    expect(rungState({ ...t, reached: true, claimed: false, claimable: true })).toBe('claimable');
    expect(rungState({ ...t, reached: true, claimed: false, claimable: false })).toBe('reached');
    expect(rungState({ ...t, reached: false, claimed: false, claimable: false })).toBe('locked');
  });

  it('fills the ladder bar by energy over the top rung, capped at full', () => {
    const tiers = [{ energy: 100 }, { energy: 500 }, { energy: 2000 }];
    expect(ladderFill(500, tiers)).toBe(0.25);
    expect(ladderFill(5000, tiers)).toBe(1);
    expect(ladderFill(10, [])).toBe(0);
  });

  it('counts down in days, hours, minutes and seconds, and says when the moment passed', () => {
    const now = Date.parse('2026-11-11T00:00:00Z');
    expect(remainingUntil('2026-11-12T01:02:03Z', now)).toEqual({ days: 1, hours: 1, minutes: 2, seconds: 3, over: false });
    expect(remainingUntil('2026-11-10T00:00:00Z', now).over).toBe(true);
  });
});

describe('the claim button', () => {
  it('ignores a second tap while the first claim is in flight, then takes taps again', async () => {
    const { result } = renderHook(() => useSingleFlight<number>());
    let release!: () => void;
    const claim = vi.fn(() => new Promise<void>((r) => (release = r)));
    let first!: Promise<void>;
    act(() => {
      first = result.current.run(1, claim);
      void result.current.run(1, claim);
      void result.current.run(2, claim);
    });
    expect(claim).toHaveBeenCalledOnce();
    expect(result.current.busy).toBe(1);
    await act(async () => {
      release();
      await first;
    });
    expect(result.current.busy).toBeNull();
    await act(async () => {
      const second = result.current.run(2, claim);
      release();
      await second;
    });
    expect(claim).toHaveBeenCalledTimes(2);
  });
});

describe('the open-packet moment', () => {
  it('shows a sealed packet, opens on the amount when 開 is tapped, and closes', async () => {
    vi.useFakeTimers();
    const onClose = vi.fn();
    render(<OpenPacket packet={{ tier: 1, energy: 100, amount: 188 }} onClose={onClose} />);
    expect(screen.queryByText('1.88')).toBeNull();
    fireEvent.click(screen.getByText(RP.open.tap));
    await act(async () => {
      vi.advanceTimersByTime(800);
    });
    vi.useRealTimers();
    expect(screen.getByText('1.88')).toBeTruthy();
    expect(screen.getByText(RP.open.title)).toBeTruthy();
    fireEvent.click(screen.getByText(RP.open.done));
    expect(onClose).toHaveBeenCalledOnce();
  });
});

describe('the sharer’s progress on a share landing', () => {
  it('tells the friend how much energy the sharer misses for which red packet', () => {
    render(
      <SharerProgress
        landing={{ sharer: { id: 'a', nickname: '小明', avatarUrl: null }, sharerEnergy: 60, sharerNextTier: { tier: 1, energy: 100, amount: 188, energyMissing: 40 } }}
      />,
    );
    expect(screen.getByText(RP.sharer.progress('小明', 60))).toBeTruthy();
    expect(screen.getByText(RP.sharer.next(40, '1.88'))).toBeTruthy();
  });
});
