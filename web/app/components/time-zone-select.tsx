import type { SelectHTMLAttributes } from "react";
import { SelectField } from "~/components/ui";
import { TIME_ZONES } from "~/lib/format";
import { ALL_TIME_ZONES } from "~/lib/time-zones";

const label = (zone: string) => zone.replace(/_/g, " ");

/**
 * A time zone picker. By default the short list practices pick from; `all` adds every IANA zone below it (for settings
 * that must name a server's exact zone).
 */
export function TimeZoneSelect({
  label: fieldLabel = "Time zone",
  name = "timeZone",
  defaultValue,
  hint,
  all = false,
  error,
  ...select
}: {
  label?: string;
  name?: string;
  defaultValue: string;
  hint?: string;
  all?: boolean;
  error?: string | null;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "defaultValue" | "name">) {
  const zones = TIME_ZONES.includes(defaultValue) ? TIME_ZONES : [defaultValue, ...TIME_ZONES];
  return (
    <SelectField label={fieldLabel} name={name} defaultValue={defaultValue} hint={hint} error={error} {...select}>
      {all ? (
        <>
          <optgroup label="Common">
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {label(zone)}
              </option>
            ))}
          </optgroup>
          <optgroup label="All time zones">
            {ALL_TIME_ZONES.filter((zone) => !zones.includes(zone)).map((zone) => (
              <option key={zone} value={zone}>
                {label(zone)}
              </option>
            ))}
          </optgroup>
        </>
      ) : (
        zones.map((zone) => (
          <option key={zone} value={zone}>
            {label(zone)}
          </option>
        ))
      )}
    </SelectField>
  );
}
