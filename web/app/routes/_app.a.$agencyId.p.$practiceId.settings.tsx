import { useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { RouteErrorBoundary } from "~/components/route-error";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { Alert, Button, Card, FormErrors, PageHeader, SelectField, SubmitButton, TextField } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { pageTitle } from "~/lib/meta";
import { useSavedNotices, type SavedNotice } from "~/lib/saved-notices";
import { loadPractice, type PracticePage } from "~/lib/practice.server";
import { ATTRIBUTION_MODELS, CHANNELS } from "~/lib/report-range";

const UpdatePracticeMutation = graphql(`
  mutation UpdatePractice($id: ID!, $name: String, $timeZone: String, $areaCode: String) {
    updatePractice(id: $id, name: $name, timeZone: $timeZone, areaCode: $areaCode) {
      id
      name
      timeZone
      areaCode
    }
  }
`);

const CreateLocationMutation = graphql(`
  mutation CreateLocation($practiceId: ID!, $name: String!, $timeZone: String) {
    createLocation(practiceId: $practiceId, name: $name, timeZone: $timeZone) {
      id
      name
    }
  }
`);

const UpdateLocationMutation = graphql(`
  mutation UpdateLocation($id: ID!, $name: String, $timeZone: String) {
    updateLocation(id: $id, name: $name, timeZone: $timeZone) {
      id
      name
      timeZone
    }
  }
`);

const AttributionSettingsQuery = graphql(`
  query AttributionSettings($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
        attributionSettings {
          defaultModel
          lookbackDays
          halfLifeDays
        }
        channelRules {
          id
          key
          position
          channel
          displayName
          description
          conditions {
            field
            operator
            value
          }
        }
      }
    }
  }
`);

const UpdateAttributionSettingsMutation = graphql(`
  mutation UpdateAttributionSettings($practiceId: ID!, $defaultModel: AttributionModel, $lookbackDays: Int, $halfLifeDays: Float) {
    updateAttributionSettings(practiceId: $practiceId, defaultModel: $defaultModel, lookbackDays: $lookbackDays, halfLifeDays: $halfLifeDays) {
      defaultModel
      lookbackDays
      halfLifeDays
    }
  }
`);

const CreateChannelRuleMutation = graphql(`
  mutation CreateChannelRule($practiceId: ID!, $rule: ChannelRuleInput!) {
    createChannelRule(practiceId: $practiceId, rule: $rule) {
      id
    }
  }
`);

const DeleteChannelRuleMutation = graphql(`
  mutation DeleteChannelRule($id: ID!) {
    deleteChannelRule(id: $id)
  }
`);

const ReorderChannelRulesMutation = graphql(`
  mutation ReorderChannelRules($practiceId: ID!, $ids: [ID!]!) {
    reorderChannelRules(practiceId: $practiceId, ids: $ids) {
      id
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const data = await loadQuery(args, AttributionSettingsQuery, { id: page.practice.gid });
  const attribution = data.node && "attributionSettings" in data.node ? data.node.attributionSettings : null;
  const channelRules = data.node && "channelRules" in data.node ? data.node.channelRules : [];
  return { ...page, attribution, channelRules };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Settings", data?.practice.name);

type Practice = PracticePage["practice"];

function PracticeDetailsForm({ practice, saved, setSaved }: { practice: Practice } & SavedNotice) {
  const [{ fetching, error }, update] = useMutation(UpdatePracticeMutation);
  const revalidator = useRevalidator();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const areaCode = String(form.get("areaCode") ?? "").trim();
    const result = await update({
      id: practice.gid,
      name: String(form.get("name")),
      timeZone: String(form.get("timeZone")),
      areaCode: areaCode || null,
    });
    if (result.data) {
      setSaved(true);
      revalidator.revalidate();
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      {saved ? <Alert tone="success">Saved.</Alert> : null}
      <FormErrors error={error} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Practice name" name="name" defaultValue={practice.name} required />
        <TimeZoneSelect defaultValue={practice.timeZone} hint="Day totals and month-end close use it." />
        <TextField
          label="Area code (optional)"
          name="areaCode"
          defaultValue={practice.areaCode ?? ""}
          inputMode="numeric"
          pattern="[0-9]{3}"
          maxLength={3}
          hint="Completes 7-digit phone numbers from intake forms."
        />
      </div>
      <SubmitButton pending={fetching} pendingLabel="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}

function LocationRow({ location }: { location: Practice["locations"][number] }) {
  const [editing, setEditing] = useState(false);
  const [{ fetching, error }, update] = useMutation(UpdateLocationMutation);
  const revalidator = useRevalidator();
  if (!editing) {
    return (
      <li className="flex flex-wrap items-center justify-between gap-3 py-3">
        <div>
          <p className="font-medium text-slate-900">{location.name}</p>
          <p className="text-sm text-slate-600">{location.timeZone}</p>
        </div>
        <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${location.name}`}>
          Edit
        </Button>
      </li>
    );
  }
  return (
    <li className="py-3">
      <form
        method="post"
        className="space-y-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const result = await update({ id: location.gid, name: String(form.get("name")), timeZone: String(form.get("timeZone")) });
          if (result.data) {
            setEditing(false);
            revalidator.revalidate();
          }
        }}
      >
        <FormErrors error={error} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label="Location name" name="name" defaultValue={location.name} required autoFocus />
          <TimeZoneSelect defaultValue={location.timeZone} />
        </div>
        <div className="flex gap-2">
          <SubmitButton size="sm" pending={fetching} pendingLabel="Saving…">
            Save location
          </SubmitButton>
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </form>
    </li>
  );
}

function AddLocationForm({ practice }: { practice: Practice }) {
  const [{ fetching, error }, create] = useMutation(CreateLocationMutation);
  const [added, setAdded] = useState<string | null>(null);
  const revalidator = useRevalidator();
  return (
    <form
      method="post"
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const result = await create({ practiceId: practice.gid, name: String(form.get("name")), timeZone: String(form.get("timeZone")) });
        if (result.data) {
          setAdded(result.data.createLocation.name);
          formElement.reset();
          revalidator.revalidate();
        }
      }}
    >
      <h3 className="text-sm font-semibold text-slate-900">Add a location</h3>
      {added ? <Alert tone="success">Added {added}.</Alert> : null}
      <FormErrors error={error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Location name" name="name" required onInput={() => setAdded(null)} hint="E.g. the neighbourhood or street of the office." />
        <TimeZoneSelect defaultValue={practice.timeZone} />
      </div>
      <SubmitButton pending={fetching} pendingLabel="Adding…">
        Add location
      </SubmitButton>
    </form>
  );
}

type AttributionSettings = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["attribution"]>;

function AttributionSettingsForm({ practice, settings, saved, setSaved }: { practice: Practice; settings: AttributionSettings } & SavedNotice) {
  const [{ fetching, error }, update] = useMutation(UpdateAttributionSettingsMutation);
  const revalidator = useRevalidator();
  return (
    <form
      method="post"
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const form = new FormData(event.currentTarget);
        const result = await update({
          practiceId: practice.gid,
          defaultModel: String(form.get("defaultModel")) as AttributionSettings["defaultModel"],
          lookbackDays: Number(form.get("lookbackDays")),
          halfLifeDays: Number(form.get("halfLifeDays")),
        });
        if (result.data) {
          setSaved(true);
          revalidator.revalidate();
        }
      }}
    >
      {saved ? <Alert tone="success">Saved. Every patient’s credit is being recomputed; dashboards follow within a minute.</Alert> : null}
      <FormErrors error={error} />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField label="Default model" name="defaultModel" defaultValue={settings.defaultModel} hint="What dashboards show unless someone picks another.">
          {ATTRIBUTION_MODELS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Lookback window (days)"
          name="lookbackDays"
          type="number"
          min={0}
          max={3650}
          required
          defaultValue={settings.lookbackDays}
          hint="Touches longer than this before the first visit earn no credit."
        />
        <TextField
          label="Time-decay half-life (days)"
          name="halfLifeDays"
          type="number"
          min={0.1}
          max={3650}
          step="any"
          required
          defaultValue={settings.halfLifeDays}
          hint="Under time decay, a touch this much older earns half the credit."
        />
      </div>
      <SubmitButton pending={fetching} pendingLabel="Saving…">
        Save attribution settings
      </SubmitButton>
    </form>
  );
}

type ChannelRules = ReturnType<typeof useLoaderData<typeof loader>>["channelRules"];

const FIELD_LABELS: Record<string, string> = { SOURCE: "Source", MEDIUM: "Medium", CAMPAIGN: "Campaign", REFERRER: "Referrer", LANDING_PAGE: "Landing page" };
const OPERATOR_LABELS: Record<string, string> = { EQUALS: "is", CONTAINS: "contains", REGEX: "matches" };

/** The practice's own channel rules, evaluated in order before the defaults; every change reclassifies its leads. */
function ChannelRulesEditor({ practice, rules }: { practice: Practice; rules: ChannelRules }) {
  const [created, create] = useMutation(CreateChannelRuleMutation);
  const [deleted, remove] = useMutation(DeleteChannelRuleMutation);
  const [reordered, reorder] = useMutation(ReorderChannelRulesMutation);
  const revalidator = useRevalidator();
  const done = (result: { error?: unknown }) => {
    if (!result.error) revalidator.revalidate();
  };
  const move = (index: number, step: number) => {
    const ids = rules.map((r) => r.id);
    [ids[index], ids[index + step]] = [ids[index + step]!, ids[index]!];
    void reorder({ practiceId: practice.gid, ids }).then(done);
  };
  return (
    <div className="space-y-5">
      {rules.length ? (
        <ol className="divide-y divide-slate-100 text-sm">
          {rules.map((rule, index) => (
            <li key={rule.id} className="flex flex-wrap items-center justify-between gap-3 py-2">
              <span>
                <span className="font-medium text-slate-900">{index + 1}. {rule.key}</span>:{" "}
                {rule.conditions.map((c) => `${FIELD_LABELS[c.field] ?? c.field} ${OPERATOR_LABELS[c.operator] ?? c.operator} “${c.value}”`).join(" and ")} →{" "}
                <span className="font-medium">{rule.displayName ?? CHANNELS.find((ch) => ch.value === rule.channel)?.label ?? rule.channel}</span>
              </span>
              <span className="flex gap-1">
                <Button size="sm" variant="ghost" disabled={index === 0 || reordered.fetching} aria-label={`Move ${rule.key} up`} onClick={() => move(index, -1)}>
                  ↑
                </Button>
                <Button size="sm" variant="ghost" disabled={index === rules.length - 1 || reordered.fetching} aria-label={`Move ${rule.key} down`} onClick={() => move(index, 1)}>
                  ↓
                </Button>
                <Button size="sm" variant="ghost" disabled={deleted.fetching} aria-label={`Delete ${rule.key}`} onClick={() => void remove({ id: rule.id }).then(done)}>
                  Delete
                </Button>
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-600">No rules of your own: the default rules classify every lead.</p>
      )}
      <form
        method="post"
        className="space-y-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const formElement = event.currentTarget;
          const form = new FormData(formElement);
          const text = (name: string) => String(form.get(name) ?? "").trim();
          const result = await create({
            practiceId: practice.gid,
            rule: {
              key: text("key"),
              channel: text("channel") as ChannelRules[number]["channel"],
              displayName: text("displayName") || null,
              conditions: [{ field: text("field") as ChannelRules[number]["conditions"][number]["field"], operator: text("operator") as ChannelRules[number]["conditions"][number]["operator"], value: text("value") }],
            },
          });
          if (!result.error) {
            formElement.reset();
            revalidator.revalidate();
          }
        }}
      >
        <h3 className="text-sm font-semibold text-slate-900">Add a rule</h3>
        <FormErrors error={created.error ?? deleted.error ?? reordered.error} />
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField label="When the lead's" name="field" defaultValue="SOURCE">
            {Object.entries(FIELD_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label.toLowerCase()}
              </option>
            ))}
          </SelectField>
          <SelectField label="Comparison" name="operator" defaultValue="EQUALS">
            {Object.entries(OPERATOR_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <TextField label="Value" name="value" required hint="Compared without regard to case." />
          <SelectField label="Channel" name="channel" defaultValue="REFERRAL_WEB">
            {CHANNELS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <TextField label="Name shown (optional)" name="displayName" hint='E.g. "Zocdoc".' />
          <TextField label="Rule key" name="key" required pattern={"[a-z0-9][a-z0-9\\-]{0,62}"} hint="Lower case and dashes, e.g. zocdoc." />
        </div>
        <SubmitButton pending={created.fetching} pendingLabel="Adding…">
          Add rule
        </SubmitButton>
      </form>
    </div>
  );
}

export default function PracticeSettingsPage() {
  const { practice, attribution, channelRules } = useLoaderData<typeof loader>();
  const notices = useSavedNotices<"details" | "attribution">();
  return (
    <>
      <PageHeader eyebrow={practice.name} title="Practice settings" />
      <div className="space-y-6">
        <Card title="Practice details">
          <PracticeDetailsForm key={`${practice.name}|${practice.timeZone}|${practice.areaCode}`} practice={practice} {...notices.of("details")} />
        </Card>
        <Card title="Locations" description="Offices of this practice. Dashboards can show one location or all of them.">
          {practice.locations.length === 0 ? (
            <p className="mb-4 text-sm text-slate-600">No locations yet.</p>
          ) : (
            <ul className="mb-6 divide-y divide-slate-100">
              {practice.locations.map((l) => (
                <LocationRow key={`${l.id}|${l.name}|${l.timeZone}`} location={l} />
              ))}
            </ul>
          )}
          <AddLocationForm practice={practice} />
        </Card>
        <Card title="Channel rules" description="Your own rules run before the defaults, first match wins. Every change reclassifies the practice's leads in the background.">
          <ChannelRulesEditor practice={practice} rules={channelRules} />
        </Card>
        {attribution ? (
          <Card title="Attribution" description="How new patients and their revenue are credited to the marketing that brought them. Changes are audited.">
            <AttributionSettingsForm
              key={`${attribution.defaultModel}|${attribution.lookbackDays}|${attribution.halfLifeDays}`}
              practice={practice}
              settings={attribution}
              {...notices.of("attribution")}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
