import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListState } from './use-cursor-list';
import { failureOf, UNKNOWN_FAILURE, type Failure } from '../services/error-message';

export interface Resource<T> {
  data: T | null;
  /** The last failure (message and whether a retry can help), or null. */
  error: Failure | null;
  /** True only while there is nothing to show yet; a refresh keeps the old data on screen. */
  loading: boolean;
  reload: () => Promise<void>;
}

/** Loads once per `key`, keeps the last good data across refreshes, and drops answers that arrive after a newer load. */
export function useResource<T>(load: (() => Promise<T>) | null, key: string): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Failure | null>(null);
  const [loading, setLoading] = useState<boolean>(load !== null);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const fn = loadRef.current;
    if (!fn) return;
    const mine = ++seq.current;
    setError(null);
    try {
      const value = await fn();
      if (mine === seq.current) setData(value);
    } catch (e) {
      if (mine === seq.current) setError(failureOf(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!load) return;
    setLoading(true);
    setData(null);
    void reload();
    // Only the key decides when to start over; `load` is a fresh closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, load === null]);

  return { data, error, loading, reload };
}

/**
 * A list read in one request (products, orders) in the shape a list page shows. Its failure
 * counts only while there is no list: a failed refresh keeps the last good list on screen.
 */
export function useResourceList<R, T>(load: (() => Promise<R>) | null, key: string, pick: (data: R) => T[]): ListState<T> {
  const r = useResource(load, key);
  return {
    items: r.data ? pick(r.data) : [],
    loading: r.loading,
    error: r.data ? null : (r.error ?? UNKNOWN_FAILURE),
    refresh: r.reload,
  };
}
