import { useEffect, useRef, useState } from "react";
import { Button } from "~/components/ui";
import { useHydrated } from "~/lib/use-hydrated";

/**
 * A destructive action in two steps, inline: the first press asks, the second does it. No modal to trap focus in,
 * and focus moves to the confirming button so keyboard users land where the decision is.
 */
export function ConfirmButton({
  label,
  prompt,
  confirmLabel,
  pending,
  onConfirm,
  accessibleName,
}: {
  label: string;
  prompt: string;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void | Promise<unknown>;
  /** Names the target for screen readers, e.g. "Revoke token CI deploy". */
  accessibleName?: string;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const hydrated = useHydrated();
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button size="sm" variant="danger" disabled={!hydrated} disabledLook={false} aria-label={accessibleName} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="text-sm text-slate-700">{prompt}</span>
      <Button
        ref={confirmRef}
        size="sm"
        variant="danger"
        disabled={pending}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
      >
        {pending ? "Working…" : confirmLabel}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
