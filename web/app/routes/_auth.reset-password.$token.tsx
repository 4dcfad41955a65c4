import { useState, type FormEvent } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { NewPasswordFields, passwordsDiffer } from "~/components/new-password-fields";
import { Alert, FormErrors, SubmitButton } from "~/components/ui";
import { errorField, errorMessages } from "~/lib/urql";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Sourceline" }];

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password)
  }
`);

export default function ResetPasswordPage() {
  const { token = "" } = useParams();
  const [{ fetching, error }, reset] = useMutation(ResetPasswordMutation);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setMismatch(passwordsDiffer(form));
    if (passwordsDiffer(form)) return;
    const result = await reset({ token, password: String(form.get("password")) });
    if (result.data?.resetPassword) setDone(true);
  }

  if (done) {
    return (
      <>
        <h1 className="text-xl font-semibold text-slate-900">Password changed</h1>
        <Alert tone="success" className="mt-6">
          Your new password is set, and every device that was signed in to your account has been signed out.
        </Alert>
        <Link to="/login" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">
          Sign in with your new password
        </Link>
      </>
    );
  }

  const passwordError = errorField(error) === "password" ? errorMessages(error)[0] : undefined;
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Choose a new password</h1>
      <p className="mt-1 text-sm text-slate-600">After this, you will be signed out everywhere and can sign in with the new password.</p>
      <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4">
        {passwordError ? null : <FormErrors error={error} />}
        {mismatch ? <Alert tone="error">The two passwords do not match.</Alert> : null}
        <NewPasswordFields apiError={passwordError} />
        <div className="flex items-center justify-between gap-4">
          <Link to="/forgot-password" className="text-sm font-medium text-indigo-700 hover:underline">
            Request a new link
          </Link>
          <SubmitButton pending={fetching} pendingLabel="Saving…">
            Set new password
          </SubmitButton>
        </div>
      </form>
    </>
  );
}
