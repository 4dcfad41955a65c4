import { useEffect, useState } from "react";

let hydratedOnce = false;

/**
 * False during server rendering and the first client render, true once React owns the page. Submit buttons stay
 * disabled until then: their handlers (urql mutations) only exist after hydration.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(hydratedOnce);
  useEffect(() => {
    hydratedOnce = true;
    setHydrated(true);
  }, []);
  return hydrated;
}
