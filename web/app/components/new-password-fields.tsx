import { useState } from "react";
import { TextField } from "~/components/ui";

export const MIN_PASSWORD_LENGTH = 12;

/** "New password" + "Confirm", checked in the browser for a match; the API enforces the policy itself. */
export function NewPasswordFields({ name = "password", label = "New password", apiError }: { name?: string; label?: string; apiError?: string }) {
  const [mismatch, setMismatch] = useState(false);
  return (
    <>
      <TextField
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good one.`}
        error={apiError}
      />
      <TextField
        label="Confirm password"
        name={`${name}Confirm`}
        type="password"
        autoComplete="new-password"
        required
        error={mismatch ? "The two passwords do not match." : undefined}
        onBlur={(e) => {
          const first = e.currentTarget.form?.elements.namedItem(name) as HTMLInputElement | null;
          setMismatch(!!e.currentTarget.value && first?.value !== e.currentTarget.value);
        }}
        onInput={() => setMismatch(false)}
      />
    </>
  );
}

/** Returns an error message when the two fields differ, for the submit handler to show before calling the API. */
export function passwordsDiffer(form: FormData, name = "password"): boolean {
  return form.get(name) !== form.get(`${name}Confirm`);
}
