import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenPacket } from '../src/components/open-packet';
import { ProgressBar } from '../src/components/progress-bar';
import { useAction } from '../src/hooks/use-action';
import { ladderFill, rungState } from '../src/logic/red-packets';
import { packetYuan } from '../src/logic/money';
import { RP, S } from '../src/strings';

afterEach(cleanup);

describe('red-packet money and ladder logic', () => {
  it('shows fen as yuan with two decimals, exactly', () => {
    expect([packetYuan(188), packetYuan(5), packetYuan(100), packetYuan(188_800), packetYuan(0)]).toEqual(['1.88', '0.05', '1.00', '1888.00', '0.00']);
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
});

describe('the claim button', () => {
  it('ignores a second tap while the first claim is in flight, then takes taps again', async () => {
    const { result } = renderHook(() => useAction((tier: number) => claim(tier)));
    let release!: () => void;
    const claim = vi.fn((_tier: number) => new Promise<void>((r) => (release = r)));
    let first!: Promise<unknown>;
    act(() => {
      first = result.current.run(1);
      void result.current.run(1);
      void result.current.run(2);
    });
    expect(claim).toHaveBeenCalledOnce();
    expect(result.current.pending).toEqual([1]);
    await act(async () => {
      release();
      await first;
    });
    expect(result.current.pending).toBeNull();
    await act(async () => {
      const second = result.current.run(2);
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
    render(<ProgressBar label='TA 的能量' energy={60} nextTier={{ tier: 1, energy: 100, amount: 188, energyMissing: 40 }} forFriend />);
    expect(screen.getByText(RP.sharer.next(40, '1.88'))).toBeTruthy();
  });

  it('counts a like made since the landing loaded toward the same tier', () => {
    render(<ProgressBar label='TA 的能量' energy={70} nextTier={{ tier: 1, energy: 100, amount: 188, energyMissing: 40 }} forFriend />);
    expect(screen.getByText(RP.sharer.next(30, '1.88'))).toBeTruthy();
  });

  it('falls back to the placeholder milestones when the campaign has no tier ahead', () => {
    render(<ProgressBar label='TA 的能量' energy={60} nextTier={null} forFriend />);
    expect(screen.getByText(S.home.nextMilestone(40, 100))).toBeTruthy();
  });
});
