import { useCallback, useRef, useState } from 'react';
import { failureOf, type Failure } from '../services/error-message';

export type ActionOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface Action<A extends unknown[], T> {
  /** True while the request is in flight: the button shows it and ignores taps. */
  busy: boolean;
  /** The arguments of the try in flight (e.g. which tier is being claimed), for the button's label. */
  pending: A | null;
  /** Why the last try failed; cleared the moment the user tries again. */
  failure: Failure | null;
  /** Runs the action; null when a try was already in flight (the tap is ignored, nothing is sent). */
  run: (...args: A) => Promise<ActionOutcome<T> | null>;
  clear: () => void;
}

/**
 * A button that writes. The in-flight guard is a ref, not state: a double tap lands twice before
 * React re-renders the disabled button, and the second tap must send nothing. The failure belongs
 * to this action alone, so a page never shows one action's error under another.
 */
export function useAction<A extends unknown[], T>(call: (...args: A) => Promise<T>): Action<A, T> {
  const inFlight = useRef(false);
  const callRef = useRef(call);
  callRef.current = call;
  const [pending, setPending] = useState<A | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const run = useCallback(async (...args: A): Promise<ActionOutcome<T> | null> => {
    if (inFlight.current) return null;
    inFlight.current = true;
    setPending(args);
    setFailure(null);
    try {
      return { ok: true, value: await callRef.current(...args) };
    } catch (e) {
      const f = failureOf(e);
      setFailure(f);
      return { ok: false, failure: f };
    } finally {
      inFlight.current = false;
      setPending(null);
    }
  }, []);

  const clear = useCallback(() => setFailure(null), []);
  return { busy: pending !== null, pending, failure, run, clear };
}
