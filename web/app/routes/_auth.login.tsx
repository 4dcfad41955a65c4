import { useState, type FormEvent } from "react";
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { FormErrors, SubmitButton, TextField } from "~/components/ui";
import { safeNext } from "~/lib/paths";
import { loadViewer } from "~/lib/shell.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Sourceline" }];

const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password)
  }
`);

const VerifyMfaMutation = graphql(`
  mutation VerifyMfa($code: String!) {
    verifyMfa(code: $code)
  }
`);

const AbandonSignInMutation = graphql(`
  mutation AbandonSignIn {
    logout
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const next = safeNext(new URL(args.request.url).searchParams.get("next"));
  const viewer = await loadViewer(args);
  if (viewer?.mfaEnrollmentRequired && !viewer.mfaPending) throw redirect("/mfa-setup");
  if (viewer && !viewer.mfaPending) throw redirect(next);
  return { next, step: viewer?.mfaPending ? ("mfa" as const) : ("password" as const) };
}

export default function LoginPage() {
  const { next, step: initialStep } = useLoaderData<typeof loader>();
  const [step, setStep] = useState(initialStep);
  return step === "password" ? (
    <PasswordStep next={next} onMfaRequired={() => setStep("mfa")} />
  ) : (
    <MfaStep next={next} onCancel={() => setStep("password")} />
  );
}

function PasswordStep({ next, onMfaRequired }: { next: string; onMfaRequired: () => void }) {
  const navigate = useNavigate();
  const [{ fetching, error }, login] = useMutation(LoginMutation);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await login({ email: String(form.get("email")), password: String(form.get("password")) });
    if (result.data?.login === "MFA_REQUIRED") onMfaRequired();
    else if (result.data?.login === "SIGNED_IN") {
      setDone(true);
      navigate(next, { replace: true });
    }
  }

  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Sourceline</h1>
      <p className="mt-1 text-sm text-slate-600">Use the e-mail address your invitation was sent to.</p>
      <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4">
        <FormErrors error={error} />
        <TextField label="E-mail address" name="email" type="email" autoComplete="username" required autoFocus />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <div className="flex items-center justify-between gap-4">
          <Link to="/forgot-password" className="text-sm font-medium text-indigo-700 hover:text-indigo-900 hover:underline">
            Forgot your password?
          </Link>
          <SubmitButton pending={fetching || done} pendingLabel="Signing in…">
            Sign in
          </SubmitButton>
        </div>
      </form>
    </>
  );
}

function MfaStep({ next, onCancel }: { next: string; onCancel: () => void }) {
  const navigate = useNavigate();
  const [{ fetching, error }, verify] = useMutation(VerifyMfaMutation);
  const [, abandon] = useMutation(AbandonSignInMutation);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code")).replace(/\s+/g, "");
    const result = await verify({ code });
    if (result.data?.verifyMfa) {
      setDone(true);
      navigate(next, { replace: true });
    }
  }

  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Two-factor authentication</h1>
      <p className="mt-1 text-sm text-slate-600">
        Enter the six-digit code from your authenticator app. Lost your device? Enter one of your recovery codes instead.
      </p>
      <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4">
        <FormErrors error={error} />
        <TextField
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          autoFocus
          maxLength={20}
          hint="6 digits, or a recovery code like 1a2b3-c4d5e"
        />
        <div className="flex items-center justify-between gap-4">
          <button
            type="button"
            className="text-sm font-medium text-indigo-700 hover:text-indigo-900 hover:underline"
            onClick={async () => {
              await abandon({});
              onCancel();
            }}
          >
            Use a different account
          </button>
          <SubmitButton pending={fetching || done} pendingLabel="Verifying…">
            Verify
          </SubmitButton>
        </div>
      </form>
    </>
  );
}
