import { useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { RouteErrorBoundary } from "~/components/route-error";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { Alert, Card, Checkbox, FormErrors, PageHeader, SubmitButton, TableFrame, TextField, td, th } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { useSavedNotices, type SavedNotice } from "~/lib/saved-notices";
import { paths } from "~/lib/paths";
import { useShell } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const AgencySettingsQuery = graphql(`
  query AgencySettings($id: ID!) {
    node(id: $id) {
      ... on Agency {
        id
        name
        mfaRequired
        practices(first: 100) {
          edges {
            node {
              id
              name
              timeZone
              areaCode
            }
          }
        }
      }
    }
  }
`);

const UpdateAgencyMutation = graphql(`
  mutation UpdateAgency($id: ID!, $name: String, $mfaRequired: Boolean) {
    updateAgency(id: $id, name: $name, mfaRequired: $mfaRequired) {
      id
      name
      mfaRequired
    }
  }
`);

const CreatePracticeMutation = graphql(`
  mutation CreatePractice($agencyId: ID!, $name: String!, $timeZone: String, $areaCode: String) {
    createPractice(agencyId: $agencyId, name: $name, timeZone: $timeZone, areaCode: $areaCode) {
      id
      name
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const data = await loadQuery(args, AgencySettingsQuery, { id: tenantGlobalId(args.params, "agencyId") });
  const agency = data.node && "mfaRequired" in data.node ? data.node : tenantNotFound("agencyId");
  return {
    agency: {
      id: fromGlobalId(agency.id),
      gid: agency.id,
      name: agency.name,
      mfaRequired: agency.mfaRequired,
      practices: agency.practices.edges.map(({ node }) => ({
        id: fromGlobalId(node.id),
        name: node.name,
        timeZone: node.timeZone,
        areaCode: node.areaCode ?? null,
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Settings", data?.agency.name);

type Agency = Awaited<ReturnType<typeof loader>>["agency"];

function AgencyDetailsForm({ agency, saved, setSaved }: { agency: Agency } & SavedNotice) {
  const [{ fetching, error }, update] = useMutation(UpdateAgencyMutation);
  const revalidator = useRevalidator();
  return (
    <form
      method="post"
      className="max-w-md space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const result = await update({ id: agency.gid, name: String(new FormData(event.currentTarget).get("name")) });
        if (result.data) {
          setSaved(true);
          revalidator.revalidate();
        }
      }}
    >
      {saved ? <Alert tone="success">Saved.</Alert> : null}
      <FormErrors error={error} />
      <TextField label="Agency name" name="name" defaultValue={agency.name} required />
      <SubmitButton pending={fetching} pendingLabel="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}

function SecurityForm({ agency, saved, setSaved }: { agency: Agency } & SavedNotice) {
  const { viewer } = useShell();
  const [{ fetching, error }, update] = useMutation(UpdateAgencyMutation);
  const [required, setRequired] = useState(agency.mfaRequired);
  const revalidator = useRevalidator();
  return (
    <form
      method="post"
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const result = await update({ id: agency.gid, mfaRequired: required });
        if (result.data) {
          setSaved(true);
          revalidator.revalidate();
        }
      }}
    >
      {saved ? <Alert tone="success">Saved.</Alert> : null}
      <FormErrors error={error} />
      <Checkbox
        name="mfaRequired"
        label="Require two-factor authentication"
        hint="Every member of this agency and its practices must use an authenticator app. Members without one are asked to set it up before they can continue."
        checked={required}
        onChange={(e) => setRequired(e.currentTarget.checked)}
      />
      {required && !agency.mfaRequired && !viewer.mfaEnabled ? (
        <Alert tone="warning">You have not set up two-factor authentication yourself: you will be asked to right after saving.</Alert>
      ) : null}
      <SubmitButton pending={fetching} pendingLabel="Saving…" disabled={required === agency.mfaRequired}>
        Save security settings
      </SubmitButton>
    </form>
  );
}

function CreatePracticeForm({ agency }: { agency: Agency }) {
  const [{ fetching, error }, create] = useMutation(CreatePracticeMutation);
  const navigate = useNavigate();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const areaCode = String(form.get("areaCode") ?? "").trim();
    const result = await create({
      agencyId: agency.gid,
      name: String(form.get("name")),
      timeZone: String(form.get("timeZone")),
      areaCode: areaCode || null,
    });
    if (result.data) navigate(paths.practiceSettings(agency.id, fromGlobalId(result.data.createPractice.id)));
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <h3 className="text-sm font-semibold text-slate-900">Add a practice</h3>
      <FormErrors error={error} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Practice name" name="name" required />
        <TimeZoneSelect defaultValue="America/New_York" hint="Day totals and month-end close use it." />
        <TextField
          label="Area code (optional)"
          name="areaCode"
          inputMode="numeric"
          pattern="[0-9]{3}"
          maxLength={3}
          hint="Completes 7-digit phone numbers from intake forms."
        />
      </div>
      <SubmitButton pending={fetching} pendingLabel="Adding…">
        Add practice
      </SubmitButton>
    </form>
  );
}

export default function AgencySettingsPage() {
  const { agency } = useLoaderData<typeof loader>();
  const notices = useSavedNotices<"details" | "security">();
  return (
    <>
      <PageHeader eyebrow={agency.name} title="Agency settings" />
      <div className="space-y-6">
        <Card title="Agency details">
          <AgencyDetailsForm key={agency.name} agency={agency} {...notices.of("details")} />
        </Card>
        <Card title="Security">
          <SecurityForm key={String(agency.mfaRequired)} agency={agency} {...notices.of("security")} />
        </Card>
        <div id="practices" className="scroll-mt-6">
          <Card title="Practices" description="Each practice has its own patients, integrations, locations and encryption keys.">
            {agency.practices.length === 0 ? (
              <p className="mb-6 text-sm text-slate-600">No practices yet.</p>
            ) : (
              <div className="mb-6">
                <TableFrame label="Practices">
                  <thead>
                    <tr>
                      <th scope="col" className={th}>
                        Practice
                      </th>
                      <th scope="col" className={th}>
                        Time zone
                      </th>
                      <th scope="col" className={th}>
                        Area code
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {agency.practices.map((p) => (
                      <tr key={p.id}>
                        <td className={td}>
                          <Link to={paths.practiceSettings(agency.id, p.id)} className="font-medium text-indigo-700 hover:underline">
                            {p.name}
                          </Link>
                        </td>
                        <td className={td}>{p.timeZone}</td>
                        <td className={td}>{p.areaCode ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </TableFrame>
              </div>
            )}
            <CreatePracticeForm agency={agency} />
          </Card>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
