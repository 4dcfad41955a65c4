import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useRevalidator } from "@remix-run/react";
import type { CombinedError } from "@urql/core";
import { useMutation } from "urql";
import type { Connector } from "~/components/connections";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { Alert, SelectField, SubmitButton, TextAreaField, TextField, cx } from "~/components/ui";
import { connectorForm, readTypedSettings, type ConnectorForm, type SettingsField } from "~/lib/connector-forms";
import { MASKED_SECRET, safeJson, settingsProblems } from "~/lib/integrations";
import { CreateConnectionMutation, UpdateConnectionMutation } from "~/lib/integrations-documents";
import { errorMessages } from "~/lib/urql";

/** The generic form's fields: the JSON text, and one password input per secret. */
const JSON_FIELD = "settingsJson";
const secretInput = (name: string) => `secret.${name}`;

type Problems = Record<string, string>;

export interface CreatedConnection {
  id: string;
  displayName: string;
  webhooks: Array<{ name: string; description: string; url?: string | null }>;
}

export interface ExistingConnection {
  id: string;
  displayName: string;
  /** As the API returns it: secrets masked. */
  settings: Record<string, unknown>;
}

/**
 * Connect a source system, or change a connection's settings. Open Dental (and any connector with a typed definition in
 * `lib/connector-forms.ts`) gets labelled fields; any other connector a JSON editor plus one password field per secret
 * the API lists. Secrets are never prefilled: on edit a blank secret keeps the stored one. The API's complaints about
 * settings are shown at the fields they name.
 */
export function ConnectionSettingsForm({
  connector,
  practiceGid,
  practiceTimeZone,
  locations = [],
  existing,
  onCreated,
}: {
  connector: Connector;
  /** Relay id of the practice a new connection joins. */
  practiceGid: string;
  practiceTimeZone: string;
  /** Offered on create only (a connection's location cannot be changed). */
  locations?: Array<{ gid: string; name: string }>;
  existing?: ExistingConnection;
  /** With the webhook addresses the API returns only in this answer (each contains a secret). */
  onCreated?: (created: CreatedConnection) => void;
}) {
  const typed = connectorForm(connector.id);
  const [create, runCreate] = useMutation(CreateConnectionMutation);
  const [update, runUpdate] = useMutation(UpdateConnectionMutation);
  const [problems, setProblems] = useState<Problems>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const revalidator = useRevalidator();
  const pending = create.fetching || update.fetching;

  // After a failed submit, focus goes to the first field in trouble (or the summary), where the reason is.
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (!focusTick) return;
    const target = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? formRef.current?.querySelector<HTMLElement>("[data-form-summary]");
    target?.focus();
  }, [focusTick]);

  function fail(byField: Problems, messages: string[]) {
    setProblems(byField);
    setGeneral(messages);
    setFocusTick((t) => t + 1);
  }

  function reportServerError(error: CombinedError) {
    const byField: Problems = {};
    const messages: string[] = [];
    const add = (field: string, message: string) => {
      byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
    };
    const typedNames = new Set(typed ? [...typed.fields, ...typed.advanced].map((f) => f.name) : []);
    const secrets = new Set(connector.secretFields);
    for (const e of error.graphQLErrors) {
      const field = typeof e.extensions?.field === "string" ? e.extensions.field : undefined;
      if (field === "settings") {
        const parsed = settingsProblems(e.message);
        for (const [name, list] of Object.entries(parsed.byField)) {
          const text = `${list.join("; ")}.`;
          if (typed && typedNames.has(name)) add(name, capitalize(text));
          else if (!typed && secrets.has(name)) add(secretInput(name), capitalize(text));
          else if (!typed) add(JSON_FIELD, `${name}: ${text}`);
          else messages.push(`${name}: ${text}`);
        }
        for (const text of parsed.general) {
          if (typed) messages.push(text);
          else add(JSON_FIELD, text);
        }
        if (!messages.length) messages.push(`The ${connector.displayName} settings are not valid: see the highlighted fields.`);
      } else if (field === "displayName" || field === "locationId") {
        add(field, e.message);
      } else {
        messages.push(e.message);
      }
    }
    if (!error.graphQLErrors.length) messages.push(...errorMessages(error));
    fail(byField, messages);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const data = new FormData(event.currentTarget);
    const displayName = String(data.get("displayName") ?? "").trim();
    const stored = existing?.settings ?? null;
    const read = typed ? readTypedSettings(typed, data, stored) : readGenericSettings(connector, data, stored);
    if (Object.keys(read.problems).length) return fail(read.problems, ["Check the highlighted fields."]);
    setProblems({});
    setGeneral([]);

    if (!existing) {
      const locationId = String(data.get("locationId") ?? "");
      const result = await runCreate({
        practiceId: practiceGid,
        connectorId: connector.id,
        displayName: displayName || null,
        settings: JSON.stringify(read.settings),
        locationId: locationId || null,
      });
      if (result.error) return reportServerError(result.error);
      if (result.data) onCreated?.(result.data.createConnection);
      return;
    }

    const nameChanged = displayName !== existing.displayName;
    const changedSettings = Object.keys(read.settings).length > 0;
    if (!nameChanged && !changedSettings) {
      setNotice("Nothing to save: the settings are as stored.");
      return;
    }
    const result = await runUpdate({
      id: existing.id,
      displayName: nameChanged ? displayName : null,
      settings: changedSettings ? JSON.stringify(read.settings) : null,
    });
    if (result.error) return reportServerError(result.error);
    setNotice(
      changedSettings
        ? "Saved. The new settings are used from the next sync on; test the connection to check them now."
        : "Saved.",
    );
    setFormKey((k) => k + 1);
    revalidator.revalidate();
  }

  return (
    <form ref={formRef} method="post" onSubmit={onSubmit} className="space-y-6">
      {general.length ? (
        <div data-form-summary="" tabIndex={-1}>
          <Alert tone="error">
            {general.length === 1 ? (
              general[0]
            ) : (
              <ul className="list-disc pl-4">
                {general.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
          </Alert>
        </div>
      ) : null}
      {notice ? <Alert tone={notice.startsWith("Nothing") ? "info" : "success"}>{notice}</Alert> : null}
      {typed ? <p className="max-w-3xl text-sm text-slate-700">{typed.intro}</p> : null}

      {/* Remounted after a save and when the stored values change: secrets empty again, defaults current. */}
      <div key={`${formKey}|${existing?.displayName}|${JSON.stringify(existing?.settings)}`} className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            name="displayName"
            defaultValue={existing?.displayName ?? connector.displayName}
            hint="How this connection appears in Sourceline."
            error={problems.displayName}
            maxLength={120}
          />
          {!existing && locations.length ? (
            <SelectField label="Location" name="locationId" defaultValue="" hint="Only if this system serves one office of the practice." error={problems.locationId}>
              <option value="">Whole practice (all locations)</option>
              {locations.map((l) => (
                <option key={l.gid} value={l.gid}>
                  {l.name}
                </option>
              ))}
            </SelectField>
          ) : null}
        </div>

        {typed ? (
          <TypedFields form={typed} stored={existing?.settings ?? null} problems={problems} practiceTimeZone={practiceTimeZone} />
        ) : (
          <GenericFields connector={connector} stored={existing?.settings ?? null} problems={problems} />
        )}
      </div>

      <SubmitButton pending={pending} pendingLabel={existing ? "Saving…" : "Connecting…"}>
        {existing ? "Save settings" : `Connect ${connector.displayName}`}
      </SubmitButton>
    </form>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function TypedFields({
  form,
  stored,
  problems,
  practiceTimeZone,
}: {
  form: ConnectorForm;
  stored: Record<string, unknown> | null;
  problems: Problems;
  practiceTimeZone: string;
}) {
  const linked = form.linked;
  const initialChoice = linked ? String(stored?.[linked.field] ?? fieldDefault(form, linked.field) ?? "") : "";
  const [choice, setChoice] = useState(initialChoice);
  const [linkedValue, setLinkedValue] = useState(() =>
    linked ? String(stored?.[linked.target] ?? linked.suggestions[initialChoice] ?? fieldDefault(form, linked.target) ?? "") : "",
  );
  const advancedInTrouble = form.advanced.some((f) => problems[f.name]);

  const render = (field: SettingsField) => {
    const common = { field, stored, error: problems[field.name], practiceTimeZone };
    if (linked && field.name === linked.field) {
      return (
        <Field
          key={field.name}
          {...common}
          choice={choice}
          onChoice={(value) => {
            setChoice(value);
            // The address follows the mode while it is still one of the suggested addresses (or empty).
            if (!linkedValue || Object.values(linked.suggestions).includes(linkedValue)) setLinkedValue(linked.suggestions[value] ?? linkedValue);
          }}
        />
      );
    }
    if (linked && field.name === linked.target) {
      return <Field key={field.name} {...common} value={linkedValue} onValue={setLinkedValue} />;
    }
    return <Field key={field.name} {...common} />;
  };

  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">{form.fields.map(render)}</div>
      {form.advanced.length ? (
        <details open={advancedInTrouble || undefined} className="rounded-lg ring-1 ring-inset ring-slate-200">
          <summary className="cursor-pointer rounded-lg px-4 py-3 text-sm font-medium text-slate-800 hover:bg-slate-50">Advanced</summary>
          <div className="grid gap-4 border-t border-slate-200 px-4 py-4 sm:grid-cols-3">{form.advanced.map(render)}</div>
        </details>
      ) : null}
    </>
  );
}

function fieldDefault(form: ConnectorForm, name: string): string | number | undefined {
  const field = [...form.fields, ...form.advanced].find((f) => f.name === name);
  return field && "defaultValue" in field ? field.defaultValue : undefined;
}

function Field({
  field,
  stored,
  error,
  practiceTimeZone,
  choice,
  onChoice,
  value,
  onValue,
}: {
  field: SettingsField;
  stored: Record<string, unknown> | null;
  error: string | undefined;
  practiceTimeZone: string;
  choice?: string;
  onChoice?: (value: string) => void;
  value?: string;
  onValue?: (value: string) => void;
}) {
  const storedValue = stored?.[field.name];
  const editing = stored !== null;
  switch (field.type) {
    case "choice":
      return <ChoiceField field={field} value={choice ?? String(storedValue ?? field.defaultValue)} onChange={onChoice} error={error} />;
    case "url":
      return (
        <TextField
          label={field.label}
          name={field.name}
          type="url"
          required={field.required}
          hint={field.hint}
          error={error}
          spellCheck={false}
          autoComplete="off"
          placeholder={field.placeholder}
          className="sm:col-span-2"
          {...(onValue ? { value: value ?? "", onChange: (e) => onValue(e.currentTarget.value) } : { defaultValue: String(storedValue ?? field.defaultValue ?? "") })}
        />
      );
    case "secret":
      return (
        <TextField
          label={field.label}
          name={field.name}
          type="password"
          // Never the browser's saved password for Sourceline, and never prefilled.
          autoComplete="new-password"
          spellCheck={false}
          required={!editing && field.required}
          placeholder={editing && storedValue != null ? "Stored — leave blank to keep it" : undefined}
          hint={editing && storedValue != null ? `Leave blank to keep the stored key. ${field.hint ?? ""}`.trim() : field.hint}
          error={error}
        />
      );
    case "timeZone":
      return (
        <TimeZoneSelect
          label={field.label}
          name={field.name}
          all
          defaultValue={typeof storedValue === "string" ? storedValue : practiceTimeZone}
          hint={field.hint}
          error={error}
        />
      );
    case "number":
      return (
        <TextField
          label={field.unit ? `${field.label} (${field.unit})` : field.label}
          name={field.name}
          type="number"
          inputMode={field.step === 1 ? "numeric" : "decimal"}
          min={field.min}
          max={field.max}
          step={field.step ?? 1}
          placeholder={field.placeholder}
          defaultValue={storedValue != null ? String(storedValue) : field.defaultValue !== undefined ? String(field.defaultValue) : ""}
          hint={field.hint}
          error={error}
        />
      );
  }
}

function ChoiceField({
  field,
  value,
  onChange,
  error,
}: {
  field: Extract<SettingsField, { type: "choice" }>;
  value: string;
  onChange?: (value: string) => void;
  error: string | undefined;
}) {
  const id = useId();
  // Linked to another field, the parent holds the choice; otherwise the field does.
  const [own, setOwn] = useState(value);
  const current = onChange ? value : own;
  return (
    <fieldset className="sm:col-span-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{field.label}</legend>
      <div className="mt-1.5 grid gap-2 sm:grid-cols-3">
        {field.options.map((option) => (
          // The whole card is the label, so any of it picks the option; the name is the title, the rest describes it.
          <label
            key={option.value}
            className={cx(
              "flex cursor-pointer gap-3 rounded-lg bg-white p-3 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
              "has-[input:checked]:bg-indigo-50 has-[input:checked]:ring-2 has-[input:checked]:ring-indigo-600",
            )}
          >
            <input
              type="radio"
              name={field.name}
              value={option.value}
              checked={current === option.value}
              onChange={() => (onChange ? onChange(option.value) : setOwn(option.value))}
              aria-labelledby={`${id}-${option.value}`}
              aria-describedby={`${id}-${option.value}-hint`}
              aria-invalid={error ? true : undefined}
              className="mt-0.5 size-4 shrink-0 accent-indigo-600"
            />
            <span className="min-w-0 text-sm">
              <span id={`${id}-${option.value}`} className="block font-medium text-slate-900">
                {option.label}
              </span>
              <span id={`${id}-${option.value}-hint`} className="block text-slate-600">
                {option.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function GenericFields({ connector, stored, problems }: { connector: Connector; stored: Record<string, unknown> | null; problems: Problems }) {
  const secrets = new Set(connector.secretFields);
  const plain = stored ? Object.fromEntries(Object.entries(stored).filter(([k, v]) => !secrets.has(k) && v !== MASKED_SECRET)) : {};
  return (
    <div className="space-y-4">
      <TextAreaField
        label="Settings (JSON)"
        name={JSON_FIELD}
        rows={8}
        spellCheck={false}
        defaultValue={JSON.stringify(plain, null, 2)}
        className="font-mono"
        hint={
          stored
            ? "Change the values you need; a setting left out keeps its stored value."
            : `A JSON object with the ${connector.displayName} settings.${secrets.size ? " Secrets go in the fields below, not here." : ""}`
        }
        error={problems[JSON_FIELD]}
      />
      {connector.secretFields.length ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {connector.secretFields.map((name) => (
            <TextField
              key={name}
              label={name}
              name={secretInput(name)}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              hint={stored && stored[name] != null ? "Stored. Leave blank to keep it." : "Stored encrypted; never shown again."}
              error={problems[secretInput(name)]}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function readGenericSettings(
  connector: Connector,
  data: FormData,
  stored: Record<string, unknown> | null,
): { settings: Record<string, unknown>; problems: Problems } {
  const problems: Problems = {};
  const parsed = safeJson(String(data.get(JSON_FIELD) ?? "").trim() || "{}");
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    problems[JSON_FIELD] = 'Enter a JSON object, e.g. { "timeZone": "America/New_York" }.';
    return { settings: {}, problems };
  }
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === MASKED_SECRET) continue;
    if (stored && JSON.stringify(stored[key]) === JSON.stringify(value)) continue;
    settings[key] = value;
  }
  for (const name of connector.secretFields) {
    const value = String(data.get(secretInput(name)) ?? "").trim();
    if (value) settings[name] = value;
  }
  return { settings, problems };
}
