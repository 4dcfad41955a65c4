import { useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { RouteErrorBoundary } from "~/components/route-error";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { Alert, Button, Card, FormErrors, PageHeader, SubmitButton, TextField } from "~/components/ui";
import { pageTitle } from "~/lib/meta";
import { loadPractice, type PracticePage } from "~/lib/practice.server";

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

export async function loader(args: LoaderFunctionArgs) {
  return loadPractice(args, args.params);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Settings", data?.practice.name);

type Practice = PracticePage["practice"];

function PracticeDetailsForm({ practice }: { practice: Practice }) {
  const [{ fetching, error }, update] = useMutation(UpdatePracticeMutation);
  const [saved, setSaved] = useState(false);
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

export default function PracticeSettingsPage() {
  const { practice } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader eyebrow={practice.name} title="Practice settings" />
      <div className="space-y-6">
        <Card title="Practice details">
          <PracticeDetailsForm key={`${practice.name}|${practice.timeZone}|${practice.areaCode}`} practice={practice} />
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
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
