import { Text } from '@tarojs/components';
import type { CursorList } from '../hooks/use-cursor-list';
import { S } from '../strings';

/** The last row of an infinite list: load more, loading, the end, or the error with a retry. */
export function ListFoot({ list }: { list: Pick<CursorList<unknown>, 'error' | 'loadingMore' | 'done' | 'loadMore'> }) {
  return list.error ? (
    <Text className='list-foot list-foot--error' onClick={() => void list.loadMore()}>
      {list.error.message} · {S.common.retry}
    </Text>
  ) : (
    <Text className='list-foot' onClick={() => void list.loadMore()}>
      {list.loadingMore ? S.common.loading : list.done ? S.common.noMore : S.common.loadMore}
    </Text>
  );
}
