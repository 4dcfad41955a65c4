import {
  forwardRef,
  useId,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import type { CombinedError } from "@urql/core";
import { errorMessages } from "~/lib/urql";
import { useHydrated } from "~/lib/use-hydrated";

export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}

type Variant = "primary" | "secondary" | "danger" | "ghost";
const VARIANTS: Record<Variant, string> = {
  primary: "bg-indigo-600 text-white shadow-sm hover:bg-indigo-700",
  secondary: "bg-white text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  danger: "bg-white text-red-700 shadow-sm ring-1 ring-inset ring-red-300 hover:bg-red-50",
  ghost: "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
};
const DISABLED_LOOK: Record<Variant, string> = {
  primary: "disabled:cursor-not-allowed disabled:bg-indigo-300",
  secondary: "disabled:cursor-not-allowed disabled:text-slate-500",
  danger: "disabled:cursor-not-allowed disabled:text-red-400",
  ghost: "disabled:cursor-not-allowed",
};

export function buttonClass(variant: Variant = "secondary", size: "sm" | "md" = "md", disabledLook = true): string {
  return cx(
    "inline-flex items-center justify-center gap-1.5 rounded-md font-medium",
    size === "sm" ? "px-2.5 py-1.5 text-sm" : "px-3.5 py-2 text-sm",
    VARIANTS[variant],
    disabledLook && DISABLED_LOOK[variant],
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: "sm" | "md";
  /** False while a button is disabled only because the page is not hydrated yet: it should not flash faded. */
  disabledLook?: boolean;
};

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "md", className, type = "button", disabledLook = true, ...props },
  ref,
) {
  return <button ref={ref} type={type} className={cx(buttonClass(variant, size, disabledLook), className)} {...props} />;
});

/** A submit button that waits for hydration (its form's handler) and shows progress while the request runs. */
export function SubmitButton({
  pending,
  pendingLabel,
  children,
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { pending?: boolean; pendingLabel?: string; variant?: Variant; size?: "sm" | "md" }) {
  const hydrated = useHydrated();
  return (
    <Button
      type="submit"
      variant="primary"
      disabled={!hydrated || pending || disabled}
      disabledLook={hydrated}
      aria-busy={pending || undefined}
      {...props}
    >
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid=true]:ring-red-600 read-only:bg-slate-50";

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null | undefined;
  className?: string;
}

function FieldFrame({ id, label, hint, error, className, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1.5">{children}</div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function TextField({ label, hint, error, className, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = input.id ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <input
        {...input}
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export function TextAreaField({ label, hint, error, className, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const id = textarea.id ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea
        {...textarea}
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  className,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const id = select.id ?? generated;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select
        {...select}
        id={id}
        className={cx(inputClass, "pr-8")}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({
  label,
  hint,
  ...input
}: { label: ReactNode; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const generated = useId();
  const id = input.id ?? generated;
  return (
    <div className="flex gap-3">
      <input
        {...input}
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-slate-400 text-indigo-600 accent-indigo-600"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-slate-800">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-slate-600">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

type Tone = "error" | "success" | "info" | "warning";
const TONES: Record<Tone, string> = {
  error: "bg-red-50 text-red-800 ring-red-200",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  info: "bg-sky-50 text-sky-900 ring-sky-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
};

export function Alert({ tone = "info", title, children, className }: { tone?: Tone; title?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-md p-3 text-sm ring-1 ring-inset", TONES[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}

/** The API's own messages for a failed mutation, announced to screen readers. */
export function FormErrors({ error, className }: { error: CombinedError | undefined | null; className?: string }) {
  const messages = errorMessages(error);
  if (!messages.length) return null;
  return (
    <Alert tone="error" className={className}>
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul className="list-disc pl-4">
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

export function Card({
  title,
  description,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section aria-labelledby={title ? id : undefined} className={cx("rounded-xl bg-white shadow-sm ring-1 ring-slate-200", className)}>
      {title || actions ? (
        <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
          <div>
            {title ? (
              <h2 id={id} className="text-base font-semibold text-slate-900">
                {title}
              </h2>
            ) : null}
            {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
          </div>
          {actions}
        </div>
      ) : null}
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

export function PageHeader({
  eyebrow,
  title,
  description,
  actions,
}: {
  eyebrow?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {eyebrow ? <p className="text-sm font-medium text-indigo-700">{eyebrow}</p> : null}
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </header>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: "neutral" | "indigo" | "green" | "amber" | "red"; children: ReactNode }) {
  const tones = {
    neutral: "bg-slate-100 text-slate-700 ring-slate-200",
    indigo: "bg-indigo-50 text-indigo-700 ring-indigo-200",
    green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    amber: "bg-amber-50 text-amber-900 ring-amber-200",
    red: "bg-red-50 text-red-800 ring-red-200",
  };
  return <span className={cx("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone])}>{children}</span>;
}

/** Copies `value`; the result is announced through a polite live region next to the button. */
export function CopyButton({
  value,
  label = "Copy",
  size = "sm",
  accessibleName,
}: {
  value: string;
  label?: string;
  size?: "sm" | "md";
  /** When several copy buttons share a page: names what this one copies, e.g. "Copy the address of collect". */
  accessibleName?: string;
}) {
  const [copied, setCopied] = useState<null | "ok" | "failed">(null);
  const hydrated = useHydrated();
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size={size}
        disabled={!hydrated}
        disabledLook={false}
        aria-label={accessibleName}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setCopied("ok");
          } catch {
            setCopied("failed");
          }
        }}
      >
        <CopyIcon />
        {label}
      </Button>
      <span role="status" className="text-sm text-slate-600">
        {copied === "ok" ? "Copied" : copied === "failed" ? "Copy failed: select the text and copy it yourself" : ""}
      </span>
    </span>
  );
}

function CopyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
      <path d="M7 3.5A1.5 1.5 0 0 1 8.5 2h6A1.5 1.5 0 0 1 16 3.5v9a1.5 1.5 0 0 1-1.5 1.5h-6A1.5 1.5 0 0 1 7 12.5v-9Z" />
      <path d="M4.5 6A1.5 1.5 0 0 0 3 7.5v9A1.5 1.5 0 0 0 4.5 18h6a1.5 1.5 0 0 0 1.5-1.5V15H8.5A2.5 2.5 0 0 1 6 12.5V6H4.5Z" />
    </svg>
  );
}

export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-xl border-2 border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      {icon ? <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-700">{icon}</div> : null}
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      {children ? <div className="mx-auto mt-2 max-w-xl text-sm text-slate-600">{children}</div> : null}
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}

/** A horizontally scrollable table region that keyboard users can scroll too (it takes focus). */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="-mx-5 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">{children}</table>
    </div>
  );
}

export const th = "px-5 py-2.5 text-xs font-semibold uppercase tracking-wide text-slate-600";
export const td = "px-5 py-3 align-top text-slate-800";
/** Cells of tables with many columns (the agency console, a channel's patients), which must fit 1280 px beside the sidebar. */
export const thCompact = "px-2 py-2.5 text-xs font-semibold uppercase tracking-wide text-slate-600 first:pl-5 last:pr-5";
export const tdCompact = "px-2 py-3 align-top text-slate-800 first:pl-5 last:pr-5";
