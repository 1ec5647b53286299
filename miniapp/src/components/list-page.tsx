import { View } from '@tarojs/components';
import { useReachBottom } from '@tarojs/taro';
import type { ReactNode } from 'react';
import { isPaged, type ListState } from '../hooks/use-cursor-list';
import { usePageRefresh } from '../hooks/use-page-refresh';
import type { Failure } from '../services/error-message';
import { ListFoot } from './list-foot';
import { PageShell } from './page-shell';
import { ErrorState, Loading } from './state-view';

/** What a campaign's list waits on first: until the page knows its campaign there is nothing to ask for. */
export interface ListCampaign {
  id: string | null;
  error: Failure | null;
  reload: () => Promise<void>;
}

interface ListPageProps<T> {
  /** The page's class beside `page`. */
  name: string;
  /** Above the list in every state: the total, the heading. */
  head?: ReactNode;
  campaign?: ListCampaign;
  list: ListState<T>;
  /** Shown for an empty list: says why, and offers the tap that fills it. */
  empty: ReactNode;
  /** `rows` of one card (the ledger), or one card per item (products). */
  layout: 'rows' | 'cards';
  /** One item, with its key. */
  item: (item: T) => ReactNode;
}

/**
 * A page that is one list: loading, the campaign's or the list's failure with a retry, the empty
 * state, then the items, and for a paged list the foot that loads more (or says why it cannot).
 * A failure after items arrived stays in the foot, so what was read stays on screen.
 */
export function ListPage<T>({ name, head, campaign, list, empty, layout, item }: ListPageProps<T>) {
  const body = () => {
    if (campaign?.error) return <ErrorState failure={campaign.error} onRetry={campaign.reload} />;
    if (list.loading || (campaign && !campaign.id)) return <Loading />;
    if (list.error && list.items.length === 0) return <ErrorState failure={list.error} onRetry={list.refresh} />;
    if (list.items.length === 0) return empty;
    const foot = isPaged(list) ? <ListFoot list={list} /> : null;
    if (layout === 'rows') {
      return (
        <View className='card'>
          {list.items.map(item)}
          {foot}
        </View>
      );
    }
    return (
      <>
        {list.items.map(item)}
        {foot}
      </>
    );
  };
  return (
    <PageShell name={name}>
      {head}
      {body()}
    </PageShell>
  );
}

/**
 * A list page's reloads, called from the page itself (the chat app sends pull-down and reach-bottom
 * to the page, not to components inside it): pull-down and coming back reload, the bottom loads
 * the next page when there is one.
 */
export function useListPageEvents(list: ListState<unknown>, reload: () => Promise<unknown>) {
  usePageRefresh(reload);
  useReachBottom(() => {
    if (isPaged(list)) void list.loadMore();
  });
}
