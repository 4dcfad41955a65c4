import { useEffect, useRef, useState } from "react";
import { useMutation } from "urql";
import { ConfirmButton } from "~/components/confirm-button";
import { Button, Card, CopyButton, FormErrors } from "~/components/ui";
import { humanize } from "~/lib/integrations";
import { RotateWebhookSecretMutation } from "~/lib/integrations-documents";

export interface WebhookAddress {
  name: string;
  description: string;
  /** Only in the answer of the mutation that made the secret; null everywhere else. */
  url?: string | null;
}

/**
 * Webhook addresses that were just made. Each contains a secret the API returns this once (it keeps only a hash), so
 * they are shown with copy buttons and a plain warning, until the admin says they have them.
 */
export function NewWebhookAddresses({
  webhooks,
  sourceName,
  doneLabel,
  onDone,
}: {
  webhooks: WebhookAddress[];
  sourceName: string;
  doneLabel: string;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the addresses, not below them.
  useEffect(() => heading.current?.focus(), []);
  const shown = webhooks.filter((w): w is WebhookAddress & { url: string } => !!w.url);
  return (
    <div className="rounded-xl bg-emerald-50 p-5 ring-1 ring-inset ring-emerald-200">
      <h3 ref={heading} tabIndex={-1} className="text-base font-semibold text-emerald-900">
        Copy the webhook {shown.length === 1 ? "address" : "addresses"} now
      </h3>
      <p className="mt-1 text-sm text-emerald-900">
        Paste {shown.length === 1 ? "it" : "each one"} into {sourceName}’s webhook settings.{" "}
        <strong className="font-semibold">You won’t see {shown.length === 1 ? "this address" : "these addresses"} again:</strong> each contains a
        secret, and Sourceline keeps only a fingerprint of it. If one is lost, make new addresses on the connection’s page (the old ones stop
        working).
      </p>
      <ul className="mt-4 space-y-4">
        {shown.map((webhook) => (
          <li key={webhook.name}>
            <p className="text-sm font-medium text-emerald-950">{humanize(webhook.name)}</p>
            <p className="text-sm text-emerald-900">{webhook.description}</p>
            <div className="mt-2 flex flex-wrap items-center gap-3">
              <code data-testid="webhook-url" className="block max-w-full break-all rounded bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-emerald-200">
                {webhook.url}
              </code>
              <CopyButton value={webhook.url} label="Copy address" accessibleName={`Copy the ${humanize(webhook.name).toLowerCase()} address`} />
            </div>
            {webhook.name === WEBSITE_COLLECT ? <CaptureSnippet collectUrl={webhook.url} /> : null}
          </li>
        ))}
      </ul>
      <Button className="mt-5" size="sm" onClick={onDone}>
        {doneLabel}
      </Button>
    </div>
  );
}

/** The website connector's webhook: what its first-party script (`/s.js`) reports tel: taps to. */
const WEBSITE_COLLECT = "collect";

/**
 * The website connector is not pasted into a source's settings but into the practice's pages: the script tag, ready
 * to copy, served by this Sourceline and reporting to this connection's collect address.
 */
function CaptureSnippet({ collectUrl }: { collectUrl: string }) {
  const snippet = `<script async src="${new URL("/s.js", collectUrl).href}" data-collect="${collectUrl}"></script>`;
  return (
    <div className="mt-3">
      <p className="text-sm font-medium text-emerald-950">Add this to every page of the practice’s site (before &lt;/body&gt;)</p>
      <p className="text-sm text-emerald-900">
        It keeps where each visitor first and last came from in a first-party cookie, fills hidden form fields classed{" "}
        <code>sl-utm_source</code>, <code>sl-gclid</code>, … and reports taps on phone links as click-to-call leads.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <code data-testid="capture-snippet" className="block max-w-full break-all rounded bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-emerald-200">
          {snippet}
        </code>
        <CopyButton value={snippet} label="Copy snippet" accessibleName="Copy the website snippet" />
      </div>
    </div>
  );
}

/** The connection's webhooks: what each receives, and (for admins) a way to replace lost addresses. */
export function WebhooksCard({
  connectionId,
  webhooks,
  sourceName,
  isAdmin,
}: {
  connectionId: string;
  webhooks: WebhookAddress[];
  sourceName: string;
  isAdmin: boolean;
}) {
  const [fresh, setFresh] = useState<WebhookAddress[] | null>(null);
  const [{ fetching, error }, rotate] = useMutation(RotateWebhookSecretMutation);
  return (
    <Card
      title="Webhooks"
      description={`${sourceName} pushes new data to these addresses as it happens. Each address contains a secret, shown only once, when it was made.`}
    >
      <div className="space-y-4">
        {fresh ? <NewWebhookAddresses webhooks={fresh} sourceName={sourceName} doneLabel="I have copied them" onDone={() => setFresh(null)} /> : null}
        <ul className="divide-y divide-slate-100">
          {webhooks.map((webhook) => (
            <li key={webhook.name} className="py-2 first:pt-0">
              <p className="text-sm font-medium text-slate-900">{humanize(webhook.name)}</p>
              <p className="text-sm text-slate-600">{webhook.description}</p>
            </li>
          ))}
        </ul>
        {isAdmin ? (
          <div className="space-y-2">
            <p className="text-sm text-slate-700">Lost an address? Make new ones, then update {sourceName}.</p>
            <ConfirmButton
              label="Make new webhook addresses"
              prompt="The current addresses stop working at once."
              confirmLabel="Yes, make new addresses"
              pending={fetching}
              onConfirm={async () => {
                const result = await rotate({ id: connectionId });
                if (result.data) setFresh(result.data.rotateWebhookSecret.webhooks);
              }}
            />
            <FormErrors error={error} />
          </div>
        ) : null}
      </div>
    </Card>
  );
}
