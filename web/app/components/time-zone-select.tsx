import { SelectField } from "~/components/ui";
import { TIME_ZONES } from "~/lib/format";

export function TimeZoneSelect({ label = "Time zone", name = "timeZone", defaultValue, hint }: { label?: string; name?: string; defaultValue: string; hint?: string }) {
  const zones = TIME_ZONES.includes(defaultValue) ? TIME_ZONES : [defaultValue, ...TIME_ZONES];
  return (
    <SelectField label={label} name={name} defaultValue={defaultValue} hint={hint}>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replace(/_/g, " ")}
        </option>
      ))}
    </SelectField>
  );
}
