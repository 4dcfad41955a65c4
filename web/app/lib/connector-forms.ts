// Typed settings forms for connectors. The API does not describe connector settings yet (it lists only which fields
// are secret), so the web app carries a definition for the connectors it knows; any other connector gets the generic
// JSON form. Each definition mirrors the connector's zod schema (for Open Dental: connectors/open-dental/src/settings.ts).

interface BaseField {
  name: string;
  label: string;
  hint?: string;
}

export type SettingsField =
  | (BaseField & { type: "url"; required?: boolean; defaultValue?: string; placeholder?: string })
  | (BaseField & { type: "secret"; required?: boolean })
  | (BaseField & { type: "choice"; options: Array<{ value: string; label: string; hint: string }>; defaultValue: string })
  | (BaseField & { type: "timeZone" })
  | (BaseField & {
      type: "number";
      min: number;
      max: number;
      /** "any" for fractions. */
      step?: number | "any";
      /** The connector's default: a blank field means this. Absent for settings that have none (they are omitted). */
      defaultValue?: number;
      placeholder?: string;
      unit?: string;
    });

export interface ConnectorForm {
  connectorId: string;
  /** Shown above the fields: where the values come from. */
  intro: string;
  fields: SettingsField[];
  /** Behind an "Advanced" disclosure; all optional. */
  advanced: SettingsField[];
  /** When `field` changes, `target` follows it if it still holds one of these suggestions (or is empty). */
  linked?: { field: string; target: string; suggestions: Record<string, string> };
}

const OPEN_DENTAL_URLS = {
  remote: "https://api.opendental.com/api/v1",
  service: "http://office-server:30223/api/v1",
  local: "http://localhost:30222/api/v1",
};

export const openDentalForm: ConnectorForm = {
  connectorId: "open-dental",
  intro:
    "Sourceline reads Open Dental through its API. You need Sourceline's developer key and a customer key the office generates in the Open Dental Developer Portal and enables under Setup → Advanced Setup → API.",
  fields: [
    {
      type: "choice",
      name: "mode",
      label: "How Sourceline reaches the office",
      defaultValue: "remote",
      options: [
        { value: "remote", label: "Remote", hint: "Through Open Dental's cloud. Pages of 100 rows." },
        { value: "service", label: "API Service", hint: "Straight to the office server's API Service. Pages of 1000 rows." },
        { value: "local", label: "Local", hint: "The Local API on the same computer. Pages of 1000 rows." },
      ],
    },
    {
      type: "url",
      name: "baseUrl",
      label: "API address",
      required: true,
      defaultValue: OPEN_DENTAL_URLS.remote,
      hint: "Remote: https://api.opendental.com/api/v1. API Service: http://<office server>:30223/api/v1. Local: http://localhost:30222/api/v1.",
    },
    { type: "secret", name: "developerKey", label: "Developer key", required: true, hint: "Identifies Sourceline as the vendor." },
    { type: "secret", name: "customerKey", label: "Customer key", required: true, hint: "Generated for this office; the office must enable it." },
    { type: "timeZone", name: "timeZone", label: "Office server's time zone", hint: "Open Dental's times carry no offset: they are read in this zone." },
  ],
  advanced: [
    {
      type: "number",
      name: "pageSize",
      label: "Page size (optional)",
      min: 1,
      max: 10_000,
      step: 1,
      placeholder: "100 on Remote, 1000 otherwise",
      hint: "Only for Enterprise keys: up to 1000 on Remote, 10,000 on API Service.",
    },
    {
      type: "number",
      name: "overlapSeconds",
      label: "Overlap",
      unit: "seconds",
      min: 0,
      max: 86_400,
      step: 1,
      defaultValue: 120,
      hint: "Each sync re-reads this far behind the previous one, so no edit is missed. Default 120.",
    },
    {
      type: "number",
      name: "reconcileEveryHours",
      label: "Check for deletions every",
      unit: "hours",
      min: 0,
      max: 720,
      step: "any",
      defaultValue: 24,
      hint: "Appointments and referrals are listed in full this often to notice deletions (0 = every sync). Default 24.",
    },
  ],
  linked: { field: "mode", target: "baseUrl", suggestions: OPEN_DENTAL_URLS },
};

const FORMS: Record<string, ConnectorForm> = { [openDentalForm.connectorId]: openDentalForm };

/** The typed form for a connector, or undefined when it gets the generic JSON form. */
export function connectorForm(connectorId: string): ConnectorForm | undefined {
  return FORMS[connectorId];
}

export function formFields(form: ConnectorForm): SettingsField[] {
  return [...form.fields, ...form.advanced];
}

/**
 * Reads a typed form into the settings object the API takes. On create every field is sent (blank optional ones are
 * left out for the connector's defaults); on edit only what changed is sent, secrets only when a new value was typed
 * (blank keeps the stored one). Returns problems by field for what the browser cannot check itself.
 */
export function readTypedSettings(
  form: ConnectorForm,
  data: FormData,
  stored: Record<string, unknown> | null,
): { settings: Record<string, unknown>; problems: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const field of formFields(form)) {
    const raw = String(data.get(field.name) ?? "").trim();
    let value: unknown;
    if (field.type === "secret") {
      if (!raw) {
        if (!stored && field.required) problems[field.name] = "Enter the key.";
        continue;
      }
      value = raw;
    } else if (field.type === "number") {
      if (!raw) {
        if (field.defaultValue !== undefined) value = field.defaultValue;
        else if (stored && stored[field.name] != null) {
          problems[field.name] = "A stored value can't be cleared yet: enter the value you want instead.";
          continue;
        } else continue;
      } else {
        value = Number(raw);
        if (!Number.isFinite(value as number)) {
          problems[field.name] = "Enter a number.";
          continue;
        }
      }
    } else {
      if (!raw) {
        if (field.type === "url" && field.required) problems[field.name] = "Enter the address.";
        continue;
      }
      value = raw;
    }
    if (stored && stored[field.name] === value) continue;
    settings[field.name] = value;
  }
  return { settings, problems };
}
