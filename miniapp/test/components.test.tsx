import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Avatar } from '../src/components/avatar';
import { CountedInput } from '../src/components/counted-input';
import { ProgressBar } from '../src/components/progress-bar';
import { EmptyState, ErrorState, Loading } from '../src/components/state-view';
import { useCursorList, type Page } from '../src/hooks/use-cursor-list';
import { useResource } from '../src/hooks/use-resource';
import { failureOf } from '../src/services/error-message';
import { ApiError } from '../src/services/http';
import { navigations, resetTaroStub } from './stubs/taro';
import { ERROR_MESSAGES, S } from '../src/strings';

afterEach(cleanup);

describe('state views', () => {
  it('shows the page in grey while it loads', () => {
    const { container } = render(<Loading />);
    expect(screen.getByText(S.common.loading)).toBeTruthy();
    expect(container.querySelectorAll('.nut-skeleton').length).toBeGreaterThan(0);
  });

  it('offers a retry when one may pass, and the way home beside it', () => {
    const retry = vi.fn();
    render(<ErrorState failure={failureOf(new ApiError('NETWORK', 'offline', 0))} onRetry={retry} />);
    fireEvent.click(screen.getByText(S.common.retry));
    expect(retry).toHaveBeenCalledOnce();
    expect(screen.getByText(S.common.backHome)).toBeTruthy();
  });

  it('a dead end (404) offers only the way home, never a retry that cannot pass', () => {
    resetTaroStub();
    render(<ErrorState failure={failureOf(new ApiError('SHARE_NOT_FOUND', 'gone', 404))} onRetry={vi.fn()} />);
    expect(screen.queryByText(S.common.retry)).toBeNull();
    fireEvent.click(screen.getByText(S.common.backHome));
    expect(navigations).toEqual(['/pages/home/index']);
  });

  it('shows the empty text', () => {
    render(<EmptyState text={S.ledger.empty} />);
    expect(screen.getByText(S.ledger.empty)).toBeTruthy();
  });
});

describe('energy progress bar', () => {
  it('shows the energy, how much is left to the next milestone, and fills the bar', () => {
    const { container } = render(<ProgressBar label={S.home.myEnergy} energy={40} />);
    expect(screen.getByText(S.common.energyValue(40))).toBeTruthy();
    expect(screen.getByText(S.home.nextMilestone(60, 100))).toBeTruthy();
    expect((container.querySelector('.progress__fill') as HTMLElement).style.width).toBe('40%');
  });
});

describe('avatar', () => {
  it("shows the nickname's first character when there is no avatar", () => {
    render(<Avatar url={null} name='小明' />);
    expect(screen.getByText('小')).toBeTruthy();
  });
});

describe('useResource', () => {
  it('keeps showing the last data when a refresh fails, with the friendly error', async () => {
    let fail = false;
    const load = async () => {
      if (fail) throw new ApiError('RATE_LIMITED', 'slow down', 429);
      return 7;
    };
    const { result } = renderHook(() => useResource(load, 'k'));
    await waitFor(() => expect(result.current.data).toBe(7));
    fail = true;
    await act(() => result.current.reload());
    expect(result.current.data).toBe(7);
    expect(result.current.error).toEqual({ message: ERROR_MESSAGES.RATE_LIMITED, code: 'RATE_LIMITED', retryable: true });
  });
});

describe('useCursorList (ledger infinite scroll)', () => {
  const pages: Record<string, Page<number>> = {
    start: { items: [1, 2], nextCursor: 'p2' },
    p2: { items: [3, 4], nextCursor: 'p3' },
    p3: { items: [5], nextCursor: null },
  };

  it('appends pages as the user scrolls and stops at the last one', async () => {
    const load = vi.fn(async (cursor: string | null) => pages[cursor ?? 'start']!);
    const { result } = renderHook(() => useCursorList(load, 'c1'));
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    await act(() => result.current.loadMore());
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual([1, 2, 3, 4, 5]);
    expect(result.current.done).toBe(true);
    await act(() => result.current.loadMore());
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('never appends a page that arrives after a pull-to-refresh', async () => {
    let release: (p: Page<number>) => void = () => undefined;
    let slowNext = false;
    const load = async (cursor: string | null) => {
      if (cursor && slowNext) return new Promise<Page<number>>((r) => (release = r));
      return cursor ? pages[cursor]! : { items: [10, 11], nextCursor: 'p2' };
    };
    const { result } = renderHook(() => useCursorList(load, 'c1'));
    await waitFor(() => expect(result.current.items).toEqual([10, 11]));
    slowNext = true;
    let more!: Promise<void>;
    act(() => {
      more = result.current.loadMore();
    });
    await act(() => result.current.refresh());
    await act(async () => {
      release({ items: [99], nextCursor: null });
      await more;
    });
    expect(result.current.items).toEqual([10, 11]);
  });

  it('keeps loaded rows and shows the error when a later page fails', async () => {
    const load = async (cursor: string | null) => {
      if (cursor) throw new ApiError('NETWORK', 'offline', 0);
      return pages.start!;
    };
    const { result } = renderHook(() => useCursorList(load, 'c1'));
    await waitFor(() => expect(result.current.items).toEqual([1, 2]));
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual([1, 2]);
    expect(result.current.error?.message).toBe(S.common.networkError);
    expect(result.current.done).toBe(false);
  });
});

describe('a name field', () => {
  const field = (value: string) =>
    render(<CountedInput value={value} onChange={() => {}} max={8} placeholder='队名' tooLong={S.home.teamNameTooLong(8)} />);

  it('says in Chinese what the server would refuse, before anything is sent', () => {
    field('星河\u200B战队');
    expect(screen.getByText(S.common.nameHidden)).toBeTruthy();
    cleanup();
    field('\u0301\u0301');
    expect(screen.getByText(S.common.nameBlank)).toBeTruthy();
    cleanup();
    field('星河战队星河战队星');
    expect(screen.getByText(S.home.teamNameTooLong(8))).toBeTruthy();
    expect(screen.getByText('9/8')).toBeTruthy();
  });

  it('stays quiet while the name is fine or not typed yet', () => {
    const { container } = field('👨‍👩‍👧 一家');
    expect(container.querySelector('.counted__error')).toBeNull();
    cleanup();
    expect(field('').container.querySelector('.counted__error')).toBeNull();
  });
});
