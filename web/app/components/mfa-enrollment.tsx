import { useEffect, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { Alert, Button, Checkbox, CopyButton, FormErrors, SubmitButton, TextField } from "~/components/ui";

const StartMfaEnrollmentMutation = graphql(`
  mutation StartMfaEnrollment {
    startMfaEnrollment {
      otpauthUri
      secret
    }
  }
`);

const ConfirmMfaEnrollmentMutation = graphql(`
  mutation ConfirmMfaEnrollment($code: String!) {
    confirmMfaEnrollment(code: $code)
  }
`);

/** The secret in groups of four, as authenticator apps print it: easier to type, same value. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function QrCode({ uri }: { uri: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    import("qrcode")
      .then((qr) => qr.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#0f172a", light: "#ffffff" } }))
      .then((markup) => !cancelled && setSvg(markup))
      .catch(() => !cancelled && setSvg(null));
    return () => {
      cancelled = true;
    };
  }, [uri]);
  return (
    <div className="flex size-44 shrink-0 items-center justify-center rounded-lg bg-white p-2 ring-1 ring-slate-200">
      {svg ? (
        <img src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`} alt="QR code to scan with your authenticator app" className="size-full" />
      ) : (
        <span className="text-xs text-slate-600">Preparing QR code…</span>
      )}
    </div>
  );
}

/**
 * Turning on two-factor authentication, in three steps: start (a new secret), scan or type it into an authenticator
 * app and confirm with a first code, then save the recovery codes, which are shown only this once.
 */
export function MfaEnrollment({
  onEnabled,
  onFinished,
  finishLabel = "Done",
}: {
  /** Two-factor authentication is on (the recovery codes are still being shown). */
  onEnabled?: () => void;
  /** The user has saved the recovery codes and moves on. */
  onFinished: () => void;
  finishLabel?: string;
}) {
  const [{ fetching: starting, error: startError, data: started }, start] = useMutation(StartMfaEnrollmentMutation);
  const [{ fetching: confirming, error: confirmError }, confirm] = useMutation(ConfirmMfaEnrollmentMutation);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  const enrollment = started?.startMfaEnrollment;

  async function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code")).replace(/\s+/g, "");
    const result = await confirm({ code });
    if (result.data) {
      setRecoveryCodes(result.data.confirmMfaEnrollment);
      onEnabled?.();
    }
  }

  if (recoveryCodes) {
    const text = `Sourceline recovery codes\n\n${recoveryCodes.join("\n")}\n\nEach code works once.`;
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Two-factor authentication is on">
          From now on, signing in asks for a code from your authenticator app.
        </Alert>
        <div>
          <h3 className="text-sm font-semibold text-slate-900" id="recovery-codes-heading">
            Save your recovery codes
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            If you lose your phone, each of these codes signs you in once. They are shown only now: store them in your password
            manager or print them.
          </p>
          <ul aria-labelledby="recovery-codes-heading" data-testid="recovery-codes" className="mt-3 grid grid-cols-2 gap-2 rounded-lg bg-slate-50 p-4 font-mono text-sm ring-1 ring-inset ring-slate-200 sm:grid-cols-5">
            {recoveryCodes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <CopyButton value={text} label="Copy codes" />
            <a
              href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
              download="sourceline-recovery-codes.txt"
              className="text-sm font-medium text-indigo-700 hover:underline"
            >
              Download as a text file
            </a>
          </div>
        </div>
        <Checkbox label="I have saved my recovery codes" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
        <Button variant="primary" disabled={!saved} onClick={onFinished}>
          {finishLabel}
        </Button>
      </div>
    );
  }

  if (!enrollment) {
    return (
      <div className="space-y-3">
        <FormErrors error={startError} />
        <Button variant="primary" disabled={starting} onClick={() => start({})}>
          {starting ? "Preparing…" : "Set up two-factor authentication"}
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <ol className="space-y-6">
        <li>
          <h3 className="text-sm font-semibold text-slate-900">1. Add Sourceline to your authenticator app</h3>
          <p className="mt-1 text-sm text-slate-700">
            Scan the QR code with an app such as 1Password, Google Authenticator or Microsoft Authenticator, or type the setup key in
            by hand.
          </p>
          <div className="mt-3 flex flex-col gap-4 sm:flex-row sm:items-start">
            <QrCode uri={enrollment.otpauthUri} />
            <div className="min-w-0 space-y-3 text-sm">
              <div>
                <p className="font-medium text-slate-800" id="mfa-secret-label">
                  Setup key
                </p>
                <code aria-labelledby="mfa-secret-label" data-testid="mfa-secret" className="mt-1 block break-all rounded bg-slate-100 px-2 py-1.5 font-mono text-slate-900">
                  {groupSecret(enrollment.secret)}
                </code>
                <div className="mt-2">
                  <CopyButton value={enrollment.secret} label="Copy key" />
                </div>
              </div>
              <details className="text-slate-700">
                <summary className="cursor-pointer font-medium text-indigo-700">Show the setup link</summary>
                <code data-testid="mfa-uri" className="mt-2 block break-all rounded bg-slate-100 px-2 py-1.5 font-mono text-xs text-slate-900">
                  {enrollment.otpauthUri}
                </code>
              </details>
            </div>
          </div>
        </li>
        <li>
          <h3 className="text-sm font-semibold text-slate-900">2. Enter the code the app shows</h3>
          <form method="post" onSubmit={onConfirm} className="mt-3 max-w-xs space-y-3">
            <FormErrors error={confirmError} />
            <TextField label="Six-digit code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required />
            <SubmitButton pending={confirming} pendingLabel="Checking…">
              Turn on two-factor authentication
            </SubmitButton>
          </form>
        </li>
      </ol>
    </div>
  );
}
