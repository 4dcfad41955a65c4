import { useState, type FormEvent } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { Alert, FormErrors, SubmitButton, TextField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Reset your password · Sourceline" }];

const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export default function ForgotPasswordPage() {
  const [{ fetching, error }, requestReset] = useMutation(RequestPasswordResetMutation);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email")).trim();
    const result = await requestReset({ email });
    if (result.data?.requestPasswordReset) setSentTo(email);
  }

  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Reset your password</h1>
      {sentTo ? (
        <div className="mt-6 space-y-4">
          <Alert tone="success" title="Check your inbox">
            If <strong>{sentTo}</strong> has a Sourceline account, we have sent it a link to choose a new password. The link works
            for 60 minutes.
          </Alert>
          <Link to="/login" className="text-sm font-medium text-indigo-700 hover:underline">
            Back to sign-in
          </Link>
        </div>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">Enter your e-mail address and we will send you a link to choose a new password.</p>
          <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4">
            <FormErrors error={error} />
            <TextField label="E-mail address" name="email" type="email" autoComplete="email" required autoFocus />
            <div className="flex items-center justify-between gap-4">
              <Link to="/login" className="text-sm font-medium text-indigo-700 hover:underline">
                Back to sign-in
              </Link>
              <SubmitButton pending={fetching} pendingLabel="Sending…">
                Send reset link
              </SubmitButton>
            </div>
          </form>
        </>
      )}
    </>
  );
}
