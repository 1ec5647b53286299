import { useCallback, useRef, useState } from 'react';

/**
 * Wraps an action that pays or joins so a second tap while the first is in flight does nothing.
 * The guard is a ref, not state: two taps in the same frame both see it before React re-renders.
 */
export function useInFlight<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const actionRef = useRef(action);
  actionRef.current = action;
  const run = useCallback(async (...args: A) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await actionRef.current(...args);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { run, busy };
}
