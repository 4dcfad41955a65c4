import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MfaEnrollment } from "~/components/mfa-enrollment";
import { SignOutButton } from "~/components/sign-out-button";
import { loadViewer } from "~/lib/shell.server";
import { signInRedirect } from "~/lib/graphql.server";

export const meta: MetaFunction = () => [{ title: "Set up two-factor authentication · Sourceline" }];

/** The gate for members of an agency that requires two-factor authentication and who have not set it up yet. */
export async function loader(args: LoaderFunctionArgs) {
  const viewer = await loadViewer(args);
  if (!viewer || viewer.mfaPending) throw signInRedirect(args.request);
  if (!viewer.mfaEnrollmentRequired) throw redirect("/");
  return { email: viewer.user.email };
}

export default function MfaSetupGate() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Set up two-factor authentication</h1>
      <p className="mt-1 text-sm text-slate-700">
        Your agency requires two-factor authentication for every member. Set it up for <strong>{email}</strong> to continue.
      </p>
      <div className="mt-6">
        <MfaEnrollment finishLabel="Continue to Sourceline" onFinished={() => window.location.assign("/")} />
      </div>
      <div className="mt-8 border-t border-slate-200 pt-4 text-sm text-slate-700">
        Not now?{" "}
        <SignOutButton className="font-medium text-indigo-700 hover:underline" />
      </div>
    </>
  );
}
