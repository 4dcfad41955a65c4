import { useState, type FormEvent } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { MfaEnrollment } from "~/components/mfa-enrollment";
import { NewPasswordFields, passwordsDiffer } from "~/components/new-password-fields";
import { RouteErrorBoundary } from "~/components/route-error";
import { Alert, Badge, Card, FormErrors, PageHeader, SubmitButton, TextField } from "~/components/ui";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { useShell } from "~/lib/shell";
import { errorField, errorMessages } from "~/lib/urql";

export const meta: MetaFunction = () => pageTitle("Account & security");

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

const DisableMfaMutation = graphql(`
  mutation DisableMfa($password: String!) {
    disableMfa(password: $password)
  }
`);

function ChangePasswordForm() {
  const [{ fetching, error }, changePassword] = useMutation(ChangePasswordMutation);
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setChanged(false);
    setMismatch(passwordsDiffer(form, "newPassword"));
    if (passwordsDiffer(form, "newPassword")) return;
    const result = await changePassword({ currentPassword: String(form.get("currentPassword")), newPassword: String(form.get("newPassword")) });
    if (result.data?.changePassword) {
      setChanged(true);
      formElement.reset();
    }
  }

  const field = errorField(error);
  const message = errorMessages(error)[0];
  return (
    <form method="post" onSubmit={onSubmit} className="max-w-md space-y-4">
      {changed ? <Alert tone="success">Password changed. Your other devices have been signed out.</Alert> : null}
      {mismatch ? <Alert tone="error">The two new passwords do not match.</Alert> : null}
      {field === "currentPassword" || field === "password" ? null : <FormErrors error={error} />}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={field === "currentPassword" ? message : undefined}
      />
      <NewPasswordFields name="newPassword" apiError={field === "password" ? message : undefined} />
      <SubmitButton pending={fetching} pendingLabel="Saving…">
        Change password
      </SubmitButton>
    </form>
  );
}

function DisableMfaForm() {
  const [{ fetching, error }, disable] = useMutation(DisableMfaMutation);
  const revalidator = useRevalidator();
  return (
    <form
      method="post"
      className="max-w-md space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await disable({ password: String(new FormData(event.currentTarget).get("password")) });
        if (result.data?.disableMfa) revalidator.revalidate();
      }}
    >
      <FormErrors error={error} />
      <TextField label="Confirm with your password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton variant="danger" pending={fetching} pendingLabel="Turning off…">
        Turn off two-factor authentication
      </SubmitButton>
    </form>
  );
}

export default function AccountPage() {
  const { viewer, agencies } = useShell();
  const revalidator = useRevalidator();
  const [disabling, setDisabling] = useState(false);
  // On as soon as it is confirmed, while the recovery codes are still on screen (the shell reloads only after).
  const [justEnabled, setJustEnabled] = useState(false);
  const required = agencies.filter((a) => a.mfaRequired && a.role);

  return (
    <>
      <PageHeader eyebrow="Your account" title="Account & security" />
      <div className="space-y-6">
        <Card title="Profile">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-slate-600">Name</dt>
            <dd className="font-medium text-slate-900">{viewer.displayName}</dd>
            <dt className="text-slate-600">E-mail</dt>
            <dd className="font-medium text-slate-900">{viewer.email}</dd>
            {viewer.platformAdmin ? (
              <>
                <dt className="text-slate-600">Access</dt>
                <dd>
                  <Badge tone="indigo">Platform administrator</Badge>
                </dd>
              </>
            ) : null}
          </dl>
        </Card>

        <Card
          title="Two-factor authentication"
          description="A code from an authenticator app on your phone, asked for at every sign-in, keeps your account safe even if your password leaks."
          actions={viewer.mfaEnabled || justEnabled ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>}
        >
          {viewer.mfaEnabled ? (
            <div className="space-y-4">
              <p className="text-sm text-slate-700">
                Two-factor authentication is on. Keep your recovery codes somewhere safe: each signs you in once if you lose your phone.
              </p>
              {required.length ? (
                <p className="text-sm text-slate-700">Required by {required.map((a) => a.name).join(", ")}, so it cannot be turned off.</p>
              ) : disabling ? (
                <DisableMfaForm />
              ) : (
                <button type="button" className="text-sm font-medium text-red-700 hover:underline" onClick={() => setDisabling(true)}>
                  Turn off two-factor authentication…
                </button>
              )}
            </div>
          ) : (
            <MfaEnrollment
              onEnabled={() => setJustEnabled(true)}
              onFinished={() => {
                setJustEnabled(false);
                revalidator.revalidate();
              }}
            />
          )}
        </Card>

        <Card title="Password" description="Changing it signs out your other devices.">
          <ChangePasswordForm />
        </Card>

        <Card title="API tokens">
          <p className="text-sm text-slate-700">
            Scripts and integrations use personal API tokens instead of your password.{" "}
            <Link to={paths.apiTokens()} className="font-medium text-indigo-700 hover:underline">
              Manage API tokens
            </Link>
          </p>
        </Card>
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
