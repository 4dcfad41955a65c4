import { useEffect, useRef, useState } from "react";

/**
 * The current time for relative labels ("3 minutes ago"). The first render uses `initialIso` (the loader's clock), so
 * the browser's hydration agrees with the server's HTML; afterwards it follows the browser's clock every `everyMs`.
 */
export function useNow(initialIso: string, everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.parse(initialIso));
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Loader data that keeps itself fresh while `isActive(data)` holds: every `intervalMs` after the previous answer,
 * `fetchLatest` is asked again (never two requests at once). New loader data (a revalidation after a mutation)
 * replaces whatever polling had fetched. Polling stops by itself once `isActive` is false, and skips its turns while
 * the tab is hidden.
 */
export function useLive<T>(initial: T, fetchLatest: () => Promise<T | null>, isActive: (data: T) => boolean, intervalMs = 2_000) {
  const [data, setData] = useState(initial);
  const [round, setRound] = useState(0);
  const fetchRef = useRef(fetchLatest);
  fetchRef.current = fetchLatest;
  useEffect(() => setData(initial), [initial]);
  const active = isActive(data);
  useEffect(() => {
    if (!active) return;
    let current = true;
    const timer = setTimeout(async () => {
      // A tab nobody looks at asks nothing; it catches up on the first tick after it is shown again.
      const next = document.visibilityState === "hidden" ? null : await fetchRef.current().catch(() => null);
      if (!current) return;
      if (next) setData(next);
      setRound((r) => r + 1);
    }, intervalMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [active, round, intervalMs]);
  return { data, active, setData };
}
