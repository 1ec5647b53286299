import { cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Text } from '@tarojs/components';
import { ListPage } from '../src/components/list-page';
import { EmptyState } from '../src/components/state-view';
import type { CursorList, ListState } from '../src/hooks/use-cursor-list';
import { useResourceList } from '../src/hooks/use-resource';
import { failureOf } from '../src/services/error-message';
import { ApiError } from '../src/services/http';
import { S } from '../src/strings';

afterEach(cleanup);

const offline = failureOf(new ApiError('NETWORK', 'offline', 0));

function whole(over: Partial<ListState<string>> = {}): ListState<string> {
  return { items: [], loading: false, error: null, refresh: vi.fn(async () => undefined), ...over };
}

function paged(over: Partial<CursorList<string>> = {}): CursorList<string> {
  return { ...whole(), loadingMore: false, done: false, loadMore: vi.fn(async () => undefined), ...over };
}

function page(list: ListState<string>, extra: Partial<Parameters<typeof ListPage<string>>[0]> = {}) {
  return render(
    <ListPage
      name='test'
      head={<Text>总额</Text>}
      list={list}
      layout='rows'
      empty={<EmptyState text='空空如也' />}
      item={(s) => <Text key={s}>{s}</Text>}
      {...extra}
    />,
  );
}

describe('a list page', () => {
  it('shows its head and the grey page while the first page loads', () => {
    page(paged({ loading: true }));
    expect(screen.getByText('总额')).toBeTruthy();
    expect(screen.getByText(S.common.loading)).toBeTruthy();
  });

  it('waits for its campaign, and a campaign that failed is the page’s failure, retried there', () => {
    const reload = vi.fn(async () => undefined);
    const { unmount } = page(paged(), { campaign: { id: null, error: null, reload } });
    expect(screen.getByText(S.common.loading)).toBeTruthy();
    unmount();
    page(paged(), { campaign: { id: null, error: offline, reload } });
    fireEvent.click(screen.getByText(S.common.retry));
    expect(reload).toHaveBeenCalledOnce();
  });

  it('a list that could not load takes the page, with a retry of the list', () => {
    const list = paged({ error: offline });
    page(list);
    fireEvent.click(screen.getByText(S.common.retry));
    expect(list.refresh).toHaveBeenCalledOnce();
  });

  it('an empty list says why', () => {
    page(whole());
    expect(screen.getByText('空空如也')).toBeTruthy();
  });

  it('a paged list ends in its foot; a failure after rows keeps the rows and retries in the foot', () => {
    const list = paged({ items: ['a', 'b'], error: offline });
    const { container } = page(list);
    expect(container.querySelectorAll('.card').length).toBe(1);
    expect(screen.getByText('a')).toBeTruthy();
    fireEvent.click(screen.getByText(`${offline.message} · ${S.common.retry}`));
    expect(list.loadMore).toHaveBeenCalledOnce();
  });

  it('a list read whole has no foot, and its items can be cards of their own', () => {
    const { container } = page(whole({ items: ['a'] }), { layout: 'cards' });
    expect(screen.getByText('a')).toBeTruthy();
    expect(container.querySelector('.list-foot')).toBeNull();
    expect(container.querySelector('.card')).toBeNull();
  });
});

describe('useResourceList', () => {
  it('has a failure only while there is no list: a failed refresh keeps the last good one', async () => {
    let fail = false;
    const load = vi.fn(async () => {
      if (fail) throw new ApiError('NETWORK', 'offline', 0);
      return { rows: ['x'] };
    });
    const { result } = renderHook(() => useResourceList(load, 'k', (d: { rows: string[] }) => d.rows));
    await waitFor(() => expect(result.current.items).toEqual(['x']));
    fail = true;
    await result.current.refresh();
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    expect(result.current.items).toEqual(['x']);
    expect(result.current.error).toBeNull();
  });

  it('a first load that failed is the list’s failure', async () => {
    const { result } = renderHook(() =>
      useResourceList(async () => Promise.reject(new ApiError('NETWORK', 'offline', 0)), 'k', (d: { rows: string[] }) => d.rows),
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.items).toEqual([]);
    expect(result.current.error?.retryable).toBe(true);
  });
});
