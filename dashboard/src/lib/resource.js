// Loading data for a page: useResource(path) GETs it on mount and whenever
// `path` changes, and gives {data, error, loading, reload, setData}. A reload
// keeps the old data on screen until the new answer arrives; an answer that
// arrives after a newer request started is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from './api.js';

/**
 * @param {string | null} path null: load nothing
 * @returns {{data: any, error: ApiError | null, loading: boolean, reload: () => Promise<void>, setData: (d: any) => void}}
 */
export function useResource(path) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(path !== null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    if (path === null) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await get(path);
      if (mine !== seq.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e?.message || e)));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    reload();
    return () => {
      seq.current++;
    };
  }, [reload]);

  return { data, error, loading, reload, setData };
}

/**
 * True while the document is visible (pollers pause in a hidden tab).
 * @returns {boolean}
 */
export function useVisible() {
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/**
 * Calls `fn` every `ms` while `active`; the next call waits for the previous.
 * @param {() => Promise<void> | void} fn
 * @param {number} ms
 * @param {boolean} active
 */
export function useInterval(fn, ms, active) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    let stopped = false;
    let timer;
    const tick = async () => {
      try {
        await saved.current();
      } finally {
        if (!stopped) timer = setTimeout(tick, ms);
      }
    };
    timer = setTimeout(tick, ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, active]);
}
