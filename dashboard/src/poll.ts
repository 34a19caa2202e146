// Data that keeps itself fresh: loaded at once, then again every `intervalMs` (after the previous load
// finished, so a slow API never piles up requests). It says when it last succeeded and whether it is stale.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  updatedAt: number | null;
  loading: boolean;
  /** The last load failed, or the last success is older than two intervals. */
  stale: boolean;
  reload: () => Promise<void>;
}

export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: unknown[] = []): Polled<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; updatedAt: number | null; loading: boolean }>({
    error: null,
    updatedAt: null,
    loading: true,
  });
  const [now, setNow] = useState(Date.now());
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback(async () => {
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loader.current();
      if (mine === generation.current) setState({ data, error: null, updatedAt: Date.now(), loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    generation.current++;
    setState({ error: null, updatedAt: null, loading: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const loop = async () => {
      await run();
      if (live && intervalMs > 0) timer = setTimeout(loop, intervalMs);
    };
    void loop();
    const clock = intervalMs > 0 ? setInterval(() => setNow(Date.now()), 1000) : undefined;
    return () => {
      live = false;
      clearTimeout(timer);
      clearInterval(clock);
    };
  }, deps);

  const stale = state.error !== null || (intervalMs > 0 && state.updatedAt !== null && now - state.updatedAt > 2 * intervalMs);
  return { ...state, data: state.data, stale, reload: run };
}
