import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * Whether a navigation has been pending longer than `delayMs`. Changing a range, model, sort or page keeps the old
 * figures on screen until the new ones arrive; past a moment's wait the reader must see that they are about to change.
 * Quick navigations show nothing, so the bar never flickers.
 */
export function useNavigationPending(delayMs = 150): boolean {
  const busy = useNavigation().state !== "idle";
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!busy) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [busy, delayMs]);
  return shown;
}

/** A thin bar across the top of the window while the next page loads. */
export function NavigationProgress({ pending }: { pending: boolean }) {
  if (!pending) return null;
  return (
    <div role="progressbar" aria-label="Loading the page" className="fixed inset-x-0 top-0 z-50 h-1 overflow-hidden bg-indigo-100">
      <div className="h-full w-1/3 bg-indigo-600 motion-safe:animate-indeterminate" />
    </div>
  );
}
