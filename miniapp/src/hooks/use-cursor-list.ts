import { useCallback, useEffect, useRef, useState } from 'react';
import { failureOf, type Failure } from '../services/error-message';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What a list page shows, paged or read whole. */
export interface ListState<T> {
  items: T[];
  /** First page not loaded yet. */
  loading: boolean;
  /** The last failure; with no items it takes the list's place. */
  error: Failure | null;
  refresh: () => Promise<void>;
}

export interface CursorList<T> extends ListState<T> {
  loadingMore: boolean;
  /** No further page exists. */
  done: boolean;
  loadMore: () => Promise<void>;
}

export function isPaged<T>(list: ListState<T>): list is CursorList<T> {
  return 'loadMore' in list;
}

/**
 * Cursor paging for infinite scroll. A refresh starts a new generation so a slow page from
 * before the refresh can never be appended to the fresh list.
 */
export function useCursorList<T>(loadPage: ((cursor: string | null) => Promise<Page<T>>) | null, key: string): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(loadPage !== null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const generation = useRef(0);
  const busy = useRef(false);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;

  /** One page request; a newer refresh (higher generation) makes older answers void. */
  const fetchPage = useCallback(async (from: string | null, gen: number, settle: (v: boolean) => void) => {
    const fn = loadRef.current;
    if (!fn) return;
    busy.current = true;
    setError(null);
    try {
      const page = await fn(from);
      if (gen !== generation.current) return;
      setItems((prev) => (from === null ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
    } catch (e) {
      if (gen === generation.current) setError(failureOf(e));
    } finally {
      if (gen === generation.current) {
        busy.current = false;
        settle(false);
      }
    }
  }, []);

  const refresh = useCallback(() => fetchPage(null, ++generation.current, setLoading), [fetchPage]);

  const loadMore = useCallback(async () => {
    // Scroll events fire in bursts; one page request at a time.
    if (!loadRef.current || busy.current || done || cursor === null) return;
    setLoadingMore(true);
    await fetchPage(cursor, generation.current, setLoadingMore);
  }, [cursor, done, fetchPage]);

  useEffect(() => {
    if (!loadPage) return;
    setLoading(true);
    setItems([]);
    setCursor(null);
    setDone(false);
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, loadPage === null]);

  return { items, loading, loadingMore, error, done, loadMore, refresh };
}
