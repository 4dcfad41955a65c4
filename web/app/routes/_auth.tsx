import { Link, Outlet } from "@remix-run/react";
import { Logo } from "~/components/icons";

/** Sign-in, invitations, password reset and the MFA gate: one centred card, no app chrome. */
export default function AuthLayout() {
  return (
    <div className="flex min-h-full flex-col bg-gradient-to-b from-indigo-50 via-slate-50 to-slate-50">
      <header className="px-6 pt-10 sm:pt-16">
        <div className="mx-auto flex max-w-md justify-center">
          <Link to="/" aria-label="Sourceline home" className="rounded-md">
            <Logo />
          </Link>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex-1 px-4 pb-16 pt-8 sm:px-6">
        <div className="mx-auto w-full max-w-md rounded-2xl bg-white px-6 py-8 shadow-sm ring-1 ring-slate-200 sm:px-10">
          <Outlet />
        </div>
      </main>
      <footer className="pb-8 text-center text-xs text-slate-600">Marketing attribution for dental and medical practices</footer>
    </div>
  );
}

export { AuthErrorBoundary as ErrorBoundary } from "~/components/auth-error";
