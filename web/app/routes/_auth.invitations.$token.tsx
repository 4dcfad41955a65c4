import { useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { NewPasswordFields, passwordsDiffer } from "~/components/new-password-fields";
import { Alert, Badge, Button, FormErrors, SubmitButton, TextField, buttonClass } from "~/components/ui";
import { ROLE_HINTS, roleLabel } from "~/lib/format";
import { serverClient, throwForError } from "~/lib/graphql.server";
import { loadViewer } from "~/lib/shell.server";
import { errorField, errorMessages } from "~/lib/urql";

export const meta: MetaFunction = () => [{ title: "Accept your invitation · Sourceline" }];

const InvitationPreviewQuery = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) {
      email
      role
      scopeName
      hasAccount
    }
  }
`);

const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($token: String!, $displayName: String, $password: String) {
    acceptInvitation(token: $token, displayName: $displayName, password: $password)
  }
`);

const SignInNewAccountMutation = graphql(`
  mutation SignInNewAccount($email: String!, $password: String!) {
    login(email: $email, password: $password)
  }
`);

const SignOutForInvitationMutation = graphql(`
  mutation SignOutForInvitation {
    logout
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const token = args.params.token ?? "";
  const [preview, viewer] = await Promise.all([
    serverClient(args).query(InvitationPreviewQuery, { token }).toPromise(),
    loadViewer(args),
  ]);
  if (preview.error) {
    if (preview.error.graphQLErrors.length) return { token, invitation: null, problem: preview.error.graphQLErrors[0]!.message, viewer: null };
    throwForError(args.request, preview.error);
  }
  return {
    token,
    invitation: preview.data!.invitation,
    problem: null,
    viewer: viewer && !viewer.mfaPending ? { email: viewer.user.email, displayName: viewer.user.displayName } : null,
  };
}

export default function InvitationPage() {
  const { token, invitation, problem, viewer } = useLoaderData<typeof loader>();
  if (!invitation) {
    return (
      <>
        <h1 className="text-xl font-semibold text-slate-900">This invitation can't be used</h1>
        <Alert tone="warning" className="mt-6">
          {problem}
        </Alert>
        <Link to="/login" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">
          Go to sign-in
        </Link>
      </>
    );
  }
  const signedInAsInvitee = viewer?.email.toLowerCase() === invitation.email.toLowerCase();
  return (
    <>
      <p className="text-sm font-medium text-indigo-700">You're invited</p>
      <h1 className="mt-1 text-xl font-semibold text-slate-900">Join {invitation.scopeName} on Sourceline</h1>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg bg-slate-50 p-4 text-sm ring-1 ring-inset ring-slate-200">
        <dt className="text-slate-600">E-mail</dt>
        <dd className="font-medium text-slate-900">{invitation.email}</dd>
        <dt className="text-slate-600">Role</dt>
        <dd>
          <Badge tone="indigo">{roleLabel(invitation.role)}</Badge>
          <span className="ml-2 text-slate-700">{ROLE_HINTS[invitation.role]}</span>
        </dd>
      </dl>
      {!invitation.hasAccount ? (
        <CreateAccountForm token={token} email={invitation.email} />
      ) : signedInAsInvitee ? (
        <AcceptAsSignedIn token={token} />
      ) : viewer ? (
        <WrongAccount invitee={invitation.email} current={viewer.email} />
      ) : (
        <div className="mt-6 space-y-4">
          <p className="text-sm text-slate-700">
            {invitation.email} already has a Sourceline account. Sign in with it to accept the invitation.
          </p>
          <Link to={`/login?next=${encodeURIComponent(`/invitations/${token}`)}`} className={buttonClass("primary")}>
            Sign in to accept
          </Link>
        </div>
      )}
    </>
  );
}

function CreateAccountForm({ token, email }: { token: string; email: string }) {
  const navigate = useNavigate();
  const [{ fetching: accepting, error }, accept] = useMutation(AcceptInvitationMutation);
  const [{ fetching: signingIn, error: signInError }, signIn] = useMutation(SignInNewAccountMutation);
  const [mismatch, setMismatch] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setMismatch(passwordsDiffer(form));
    if (passwordsDiffer(form)) return;
    const password = String(form.get("password"));
    const accepted = await accept({ token, displayName: String(form.get("displayName")), password });
    if (!accepted.data?.acceptInvitation) return;
    // The account exists now: sign straight in, so the invitee lands in the app (or on its MFA set-up).
    const signedIn = await signIn({ email, password });
    navigate(signedIn.data?.login ? "/" : "/login", { replace: true });
  }

  const field = errorField(error);
  const message = errorMessages(error)[0];
  return (
    <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4">
      <p className="text-sm text-slate-700">Create your account to accept.</p>
      {field === "displayName" || field === "password" ? null : <FormErrors error={error} />}
      <FormErrors error={signInError} />
      {mismatch ? <Alert tone="error">The two passwords do not match.</Alert> : null}
      <TextField label="Your name" name="displayName" autoComplete="name" required error={field === "displayName" ? message : undefined} />
      <NewPasswordFields label="Choose a password" apiError={field === "password" ? message : undefined} />
      <SubmitButton pending={accepting || signingIn} pendingLabel="Creating your account…" className="w-full">
        Create account and join
      </SubmitButton>
    </form>
  );
}

function AcceptAsSignedIn({ token }: { token: string }) {
  const navigate = useNavigate();
  const [{ fetching, error }, accept] = useMutation(AcceptInvitationMutation);
  return (
    <div className="mt-6 space-y-4">
      <FormErrors error={error} />
      <form
        method="post"
        onSubmit={async (event) => {
          event.preventDefault();
          const result = await accept({ token });
          if (result.data?.acceptInvitation) navigate("/", { replace: true });
        }}
      >
        <SubmitButton pending={fetching} pendingLabel="Accepting…" className="w-full">
          Accept invitation
        </SubmitButton>
      </form>
    </div>
  );
}

function WrongAccount({ invitee, current }: { invitee: string; current: string }) {
  const [{ fetching }, logout] = useMutation(SignOutForInvitationMutation);
  return (
    <div className="mt-6 space-y-4">
      <Alert tone="warning">
        This invitation is for <strong>{invitee}</strong>, but you are signed in as <strong>{current}</strong>. Sign out, then sign
        in as {invitee} to accept it.
      </Alert>
      <Button
        variant="primary"
        disabled={fetching}
        onClick={async () => {
          await logout({});
          window.location.reload();
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
