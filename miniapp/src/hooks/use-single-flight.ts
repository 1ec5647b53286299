import { useCallback, useRef, useState } from 'react';

/**
 * Runs `action` at most once at a time: a second tap while the first request is in flight is
 * ignored. The guard is a ref, not state, because two taps can land before React re-renders the
 * disabled button. `busy` names what is running (e.g. the tier) for the button's label.
 */
export function useSingleFlight<K>(): { busy: K | null; run: (key: K, action: () => Promise<unknown>) => Promise<void> } {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState<K | null>(null);
  const run = useCallback(async (key: K, action: () => Promise<unknown>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(key);
    try {
      await action();
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  }, []);
  return { busy, run };
}
