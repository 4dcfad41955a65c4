import { Form, useSubmit } from "@remix-run/react";
import { useId, useState } from "react";
import type { AttributionModel } from "~/gql/graphql";
import { ATTRIBUTION_MODELS, RANGE_PRESETS, describeRange, type ReportRange } from "~/lib/report-range";
import { buttonClass } from "./ui";

const control = "rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600";

/**
 * The range and model of a report, as a GET form: it works without JavaScript (Apply), and with it each change
 * applies at once. Custom ranges take two dates in the practice's time zone. Without a `model` (left out, not null)
 * it picks the range alone, for lists that no attribution model changes (spend).
 */
export function ReportControls({
  range,
  model,
  eachPracticeDefault = false,
}: {
  range: ReportRange;
  model?: AttributionModel | null;
  /** Across practices: "no model" means each practice's own default, and is offered as a choice. */
  eachPracticeDefault?: boolean;
}) {
  const submit = useSubmit();
  const [preset, setPreset] = useState(range.preset);
  const [reversed, setReversed] = useState(false);
  const id = useId();
  /** Whether the custom dates run backwards: said at the field, instead of asking the server for an impossible range. */
  const datesReversed = (form: HTMLFormElement) => {
    const [from, to] = ["from", "to"].map((name) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "");
    const backwards = Boolean(from && to && from > to);
    setReversed(backwards);
    return backwards;
  };
  return (
    <Form
      method="get"
      replace
      preventScrollReset
      aria-label={model === undefined ? "Report range" : "Report range and model"}
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        if (datesReversed(event.currentTarget)) event.preventDefault();
      }}
      onChange={(event) => {
        const form = event.currentTarget;
        const chosen = (form.elements.namedItem("range") as HTMLSelectElement).value as ReportRange["preset"];
        setPreset(chosen);
        // A custom range waits for both of its dates.
        const dates = ["from", "to"].map((name) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value);
        if (chosen === "custom" && datesReversed(form)) return;
        if (chosen !== "custom" || dates.every(Boolean)) submit(form, { replace: true, preventScrollReset: true });
      }}
    >
      <div>
        <label htmlFor={`${id}-range`} className="block text-xs font-medium text-slate-600">
          Date range
        </label>
        <select id={`${id}-range`} name="range" defaultValue={range.preset} className={control}>
          {RANGE_PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </div>
      {preset === "custom" ? (
        <>
          <div>
            <label htmlFor={`${id}-from`} className="block text-xs font-medium text-slate-600">
              From
            </label>
            <input id={`${id}-from`} type="date" name="from" defaultValue={range.from} required className={control.replace("pr-8", "pr-2")} />
          </div>
          <div>
            <label htmlFor={`${id}-to`} className="block text-xs font-medium text-slate-600">
              To
            </label>
            <input
              id={`${id}-to`}
              type="date"
              name="to"
              defaultValue={range.to}
              required
              aria-invalid={reversed || undefined}
              aria-describedby={reversed ? `${id}-to-error` : undefined}
              className={control.replace("pr-8", "pr-2")}
            />
          </div>
        </>
      ) : null}
      {model === undefined ? null : (
        <div>
          <label htmlFor={`${id}-model`} className="block text-xs font-medium text-slate-600">
            Attribution model
          </label>
          <select id={`${id}-model`} name="model" defaultValue={model ?? ""} className={control}>
            {eachPracticeDefault ? <option value="">Each practice's default</option> : null}
            {ATTRIBUTION_MODELS.map((m) => (
              <option key={m.value} value={m.value} title={m.hint}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className={buttonClass("secondary", "sm")}>
        Apply
      </button>
      {preset === "custom" && reversed ? (
        <p id={`${id}-to-error`} className="w-full text-sm text-red-700" role="alert">
          “To” is before “From”: choose an end date on or after the start.
        </p>
      ) : (
        <p className="w-full text-xs text-slate-600" aria-live="polite">
          {describeRange(range.from, range.to)}
        </p>
      )}
    </Form>
  );
}
