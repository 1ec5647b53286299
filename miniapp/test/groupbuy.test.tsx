import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import type { Group } from '@jizan/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupSeats } from '../src/components/group-seats';
import { useAction } from '../src/hooks/use-action';
import { countdown, ORDER_STATUS_TEXT, seatsMissing, seatsOf } from '../src/logic/groupbuy';
import { priceYuan } from '../src/logic/money';
import { S } from '../src/strings';

afterEach(cleanup);

const member = (id: string, over: Partial<Group['members'][number]> = {}): Group['members'][number] => ({
  id,
  nickname: id,
  avatarUrl: null,
  isOpener: false,
  virtual: false,
  paid: true,
  joinedAt: '2030-01-01T00:00:00Z',
  ...over,
});

describe('prices and countdowns', () => {
  it('shows fen as yuan without trailing zeros', () => {
    expect([priceYuan(5900), priceYuan(1990), priceYuan(1999), priceYuan(1), priceYuan(10)]).toEqual(['59', '19.9', '19.99', '0.01', '0.1']);
  });

  it('counts down to the second, hours past a day included, and stops at the end', () => {
    const end = '2030-01-02T00:00:00Z';
    const t = new Date(end).getTime();
    expect(countdown(end, t - (25 * 3600 + 61) * 1000)).toBe('25:01:01');
    expect(countdown(end, t - 1000)).toBe('00:00:01');
    expect(countdown(end, t)).toBeNull();
  });

  it('names every order state in Chinese', () => {
    expect(Object.values(ORDER_STATUS_TEXT).every((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true);
  });
});

describe('seats', () => {
  it('lists members then empty seats up to the group size, and counts what is missing', () => {
    const group = { status: 'open' as const, groupSize: 3, members: [member('a', { isOpener: true })] };
    expect(seatsOf(group).map((s) => s.kind)).toEqual(['member', 'empty', 'empty']);
    expect(seatsMissing(group)).toBe(2);
    expect(seatsMissing({ ...group, status: 'failed' })).toBe(0);
  });

  it('draws empty seats as + slots that invite when tapped', () => {
    let invited = 0;
    render(<GroupSeats group={{ groupSize: 3, members: [member('a', { isOpener: true })] }} onInvite={() => (invited += 1)} />);
    expect(screen.getAllByText('+')).toHaveLength(2);
    expect(screen.getByText(S.groupbuy.opener)).toBeTruthy();
    fireEvent.click(screen.getAllByText(S.groupbuy.inviteSeat)[0]!);
    expect(invited).toBe(1);
  });

  it('names virtual seats apart from real members', () => {
    render(<GroupSeats group={{ groupSize: 2, members: [member('a'), member('v', { id: null, virtual: true })] }} />);
    expect(screen.getByText(S.groupbuy.virtualMember)).toBeTruthy();
  });
});

describe('buttons that pay or join', () => {
  it('ignore a second tap while the first is in flight', async () => {
    let calls = 0;
    let finish: () => void = () => undefined;
    const { result } = renderHook(() =>
      useAction(async () => {
        calls += 1;
        await new Promise<void>((r) => (finish = r));
      }),
    );
    let first: Promise<unknown> = Promise.resolve();
    act(() => {
      first = result.current.run();
      void result.current.run();
    });
    expect(calls).toBe(1);
    expect(result.current.busy).toBe(true);
    await act(async () => {
      finish();
      await first;
    });
    expect(result.current.busy).toBe(false);
    act(() => void result.current.run());
    expect(calls).toBe(2);
  });
});
