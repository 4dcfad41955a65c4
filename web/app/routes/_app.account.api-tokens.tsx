import { useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import type { Role } from "~/gql/graphql";
import { ConfirmButton } from "~/components/confirm-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { Alert, Badge, Button, Card, Checkbox, CopyButton, FormErrors, PageHeader, SelectField, SubmitButton, TableFrame, TextField, td, th } from "~/components/ui";
import { ROLE_HINTS, ROLE_LABELS, formatDate, roleLabel } from "~/lib/format";
import { loadQuery } from "~/lib/graphql.server";
import { pageTitle } from "~/lib/meta";
import { useShell } from "~/lib/shell";

export const meta: MetaFunction = () => pageTitle("API tokens");

const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens(first: 100) {
      edges {
        node {
          id
          name
          prefix
          role
          createdAt
          lastUsedAt
          expiresAt
          revokedAt
          practices {
            id
            name
          }
        }
      }
    }
  }
`);

const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($name: String!, $role: Role!, $practiceIds: [ID!]!, $expiresAt: DateTime) {
    createApiToken(name: $name, role: $role, practiceIds: $practiceIds, expiresAt: $expiresAt) {
      secret
      apiToken {
        id
        name
      }
    }
  }
`);

const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const data = await loadQuery(args, ApiTokensQuery, {});
  return { tokens: data.apiTokens.edges.map((e) => e.node), now: new Date().toISOString() };
}

const ROLES: Role[] = ["ADMIN", "ANALYST", "VIEWER"];

function CreateTokenForm({ onCreated }: { onCreated: (created: { name: string; secret: string }) => void }) {
  const shell = useShell();
  const [{ fetching, error }, create] = useMutation(CreateApiTokenMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const byAgency = shell.agencies
    .map((agency) => ({ agency, practices: shell.practices.filter((p) => p.agencyId === agency.id) }))
    .filter((group) => group.practices.length);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const practiceIds = form.getAll("practiceIds").map(String);
    if (!practiceIds.length) return setProblem("Choose at least one practice the token may reach.");
    const expires = String(form.get("expiresAt") ?? "");
    // The end of the chosen day, in the browser's own time zone.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : null;
    setProblem(null);
    const result = await create({ name: String(form.get("name")), role: String(form.get("role")) as Role, practiceIds, expiresAt });
    if (result.data) {
      formElement.reset();
      onCreated({ name: result.data.createApiToken.apiToken.name, secret: result.data.createApiToken.secret });
    }
  }

  if (!byAgency.length) return <p className="text-sm text-slate-600">You need access to a practice before you can create a token for it.</p>;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5">
      <FormErrors error={error} />
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Name" name="name" required hint="What uses it, e.g. “Looker export”." className="sm:col-span-1" />
        <SelectField label="Role" name="role" defaultValue="VIEWER" hint="Never more than your own role in each practice.">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]} — {ROLE_HINTS[r]}
            </option>
          ))}
        </SelectField>
        <TextField label="Expires on (optional)" name="expiresAt" type="date" hint="Leave empty for a token that lasts until revoked." />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Practices it may reach</legend>
        <div className="mt-2 space-y-4">
          {byAgency.map(({ agency, practices }) => (
            <div key={agency.id}>
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">{agency.name}</p>
              <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                {practices.map((p) => (
                  <Checkbox key={p.id} name="practiceIds" value={p.gid} label={p.name} hint={`Your role: ${roleLabel(p.role)}`} />
                ))}
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      <SubmitButton pending={fetching} pendingLabel="Creating…">
        Create token
      </SubmitButton>
    </form>
  );
}

function NewTokenSecret({ name, secret, onDismiss }: { name: string; secret: string; onDismiss: () => void }) {
  return (
    <div className="rounded-xl bg-emerald-50 p-5 ring-1 ring-inset ring-emerald-200" role="status">
      <h2 className="text-base font-semibold text-emerald-900">Token “{name}” created</h2>
      <p className="mt-1 text-sm text-emerald-900">
        Copy it now: this is the only time it is shown. Sourceline keeps only a fingerprint of it. Send it as{" "}
        <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <code data-testid="new-token-secret" className="block max-w-full break-all rounded bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-emerald-200">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy token" />
      </div>
      <Button className="mt-4" size="sm" onClick={onDismiss}>
        I have stored it safely
      </Button>
    </div>
  );
}

function TokenStatus({ token, now }: { token: { revokedAt?: string | null; expiresAt?: string | null }; now: string }) {
  if (token.revokedAt) return <Badge tone="red">Revoked</Badge>;
  if (token.expiresAt && token.expiresAt <= now) return <Badge>Expired</Badge>;
  return <Badge tone="green">Active</Badge>;
}

export default function ApiTokensPage() {
  const { tokens, now } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [{ fetching: revoking, error: revokeError }, revoke] = useMutation(RevokeApiTokenMutation);

  return (
    <>
      <PageHeader
        eyebrow="Your account"
        title="API tokens"
        description="Personal tokens for scripts and integrations. A token acts as you, limited to the practices and role you give it, and can never see more than you can."
      />
      <div className="space-y-6">
        {created ? <NewTokenSecret {...created} onDismiss={() => setCreated(null)} /> : null}
        <Card title="Create a token">
          <CreateTokenForm
            onCreated={(token) => {
              setCreated(token);
              revalidator.revalidate();
            }}
          />
        </Card>
        <Card title="Your tokens">
          <FormErrors error={revokeError} className="mb-4" />
          {tokens.length === 0 ? (
            <p className="text-sm text-slate-600">You have no API tokens.</p>
          ) : (
            <TableFrame label="Your API tokens">
              <thead>
                <tr>
                  <th scope="col" className={th}>
                    Name
                  </th>
                  <th scope="col" className={th}>
                    Role
                  </th>
                  <th scope="col" className={th}>
                    Practices
                  </th>
                  <th scope="col" className={th}>
                    Created
                  </th>
                  <th scope="col" className={th}>
                    Last used
                  </th>
                  <th scope="col" className={th}>
                    Expires
                  </th>
                  <th scope="col" className={th}>
                    Status
                  </th>
                  <th scope="col" className={th}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className={td}>
                      <div className="font-medium text-slate-900">{t.name}</div>
                      <div className="font-mono text-xs text-slate-600">{t.prefix}…</div>
                    </td>
                    <td className={td}>{roleLabel(t.role)}</td>
                    <td className={td}>{t.practices.map((p) => p.name).join(", ") || "—"}</td>
                    <td className={`${td} whitespace-nowrap`}>{formatDate(t.createdAt)}</td>
                    <td className={`${td} whitespace-nowrap`}>{t.lastUsedAt ? formatDate(t.lastUsedAt) : "Never"}</td>
                    <td className={`${td} whitespace-nowrap`}>{t.expiresAt ? formatDate(t.expiresAt) : "Never"}</td>
                    <td className={td}>
                      <TokenStatus token={t} now={now} />
                    </td>
                    <td className={`${td} text-right`}>
                      {t.revokedAt ? null : (
                        <ConfirmButton
                          label="Revoke"
                          accessibleName={`Revoke token ${t.name}`}
                          prompt="Revoke? Anything using it stops working."
                          confirmLabel="Yes, revoke"
                          pending={revoking}
                          onConfirm={async () => {
                            const result = await revoke({ id: t.id });
                            if (!result.error) revalidator.revalidate();
                          }}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          )}
          <p className="mt-4 text-sm text-slate-600">Dates in UTC.</p>
        </Card>
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
