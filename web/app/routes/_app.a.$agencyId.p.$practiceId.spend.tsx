import { useEffect, useRef, useState, type FormEvent } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import type { CombinedError } from "@urql/core";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import type { Channel } from "~/gql/graphql";
import { ConfirmButton } from "~/components/confirm-button";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { ReportControls } from "~/components/report-controls";
import { RouteErrorBoundary } from "~/components/route-error";
import { Alert, Badge, Button, Card, EmptyState, FormErrors, PageHeader, SelectField, SubmitButton, TableFrame, TextField, buttonClass, cx, td, th } from "~/components/ui";
import { BanknotesIcon, CloseIcon } from "~/components/icons";
import { errorCode, serverClient, throwForError } from "~/lib/graphql.server";
import { pageTitle } from "~/lib/meta";
import { formatCount } from "~/lib/metrics";
import { formatCents, parseDollars } from "~/lib/money";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice, type PracticePage } from "~/lib/practice.server";
import { CHANNELS, rangeFromSearch, todayIn, type ReportRange } from "~/lib/report-range";
import { errorField, errorMessages } from "~/lib/urql";
import { useHydrated } from "~/lib/use-hydrated";

/** Rows per page. The API answers a whole range (at most 366 days) at once; the page shows it fifty rows at a time. */
const PAGE_SIZE = 50;

const PracticeSpendQuery = graphql(`
  query PracticeSpend($id: ID!, $from: String!, $to: String!) {
    node(id: $id) {
      ... on Practice {
        id
        spend(from: $from, to: $to) {
          id
          date
          channel
          channelOrigin
          source
          medium
          campaign
          adGroup
          amountCents
          currency
          editable
          connection {
            id
            displayName
          }
        }
      }
    }
  }
`);

const AddSpendEntryMutation = graphql(`
  mutation AddSpendEntry($practiceId: ID!, $entry: SpendEntryInput!) {
    addSpendEntry(practiceId: $practiceId, entry: $entry) {
      id
      date
      channel
      amountCents
      currency
    }
  }
`);

const ImportSpendCsvMutation = graphql(`
  mutation ImportSpendCsv($practiceId: ID!, $csv: String!) {
    importSpendCsv(practiceId: $practiceId, csv: $csv) {
      rows
      inserted
      updated
      problems {
        line
        column
        message
      }
    }
  }
`);

const DeleteSpendEntryMutation = graphql(`
  mutation DeleteSpendEntry($id: ID!) {
    deleteSpendEntry(id: $id)
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const search = new URL(args.request.url).searchParams;
  const range = rangeFromSearch(search, page.practice.timeZone);
  const result = await serverClient(args).query(PracticeSpendQuery, { id: page.practice.gid, from: range.from, to: range.to }).toPromise();
  // A range the API refuses (longer than it reads at once, or backwards) is said on the page, next to the range picker.
  let rangeProblem: string | null = null;
  if (result.error) {
    if (errorCode(result.error) !== "BAD_USER_INPUT") throwForError(args.request, result.error);
    rangeProblem = errorMessages(result.error)[0] ?? null;
  }
  const entries = result.data?.node && "spend" in result.data.node ? result.data.node.spend : [];
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const pageNumber = Math.min(pages, Math.max(1, Number.parseInt(search.get("page") ?? "1", 10) || 1));
  const sum = (rows: typeof entries) => rows.reduce((cents, row) => cents + row.amountCents, 0);
  return {
    ...page,
    range,
    rangeProblem,
    today: todayIn(page.practice.timeZone),
    totals: { rows: entries.length, cents: sum(entries), enteredCents: sum(entries.filter((e) => e.editable)), adAccountCents: sum(entries.filter((e) => !e.editable)) },
    entries: entries.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE),
    pagination: { page: pageNumber, pages, first: (pageNumber - 1) * PAGE_SIZE + 1 },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Spend", data?.practice.name);

type Practice = PracticePage["practice"];
type SpendRow = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

const channelLabel = (channel: Channel) => CHANNELS.find((c) => c.value === channel)?.label ?? channel;
const formatDay = (date: string) =>
  new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));

/** The example offered for download: named channels, and a row classified from its source and medium instead. */
const EXAMPLE_CSV = [
  "date,channel,source,medium,campaign,amount",
  '2025-03-01,Offline / Other,radio,,WXYZ morning spots,"1,234.56"',
  "2025-03-01,Referral - Web,yelp,,Yelp listing,250",
  "3/2/2025,,google,cpc,Implants,80.50",
].join("\n");

/** The API names the entry's own fields (`amountCents`); the form's amount field is in dollars. */
const FORM_FIELD_OF: Record<string, string> = { date: "date", channel: "channel", source: "source", campaign: "campaign", amountCents: "amount" };

function AddSpendForm({ practice, today, range }: { practice: Practice; today: string; range: ReportRange }) {
  const [{ fetching }, add] = useMutation(AddSpendEntryMutation);
  const [apiError, setApiError] = useState<CombinedError | undefined>();
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const revalidator = useRevalidator();
  const formRef = useRef<HTMLFormElement>(null);

  const apiField = FORM_FIELD_OF[errorField(apiError) ?? ""];
  const apiMessage = errorMessages(apiError)[0];
  const fieldError = (name: string) => (name === "amount" && amountProblem) || (apiField === name ? apiMessage : undefined);
  const focusField = (name: string) => (formRef.current?.elements.namedItem(name) as HTMLElement | null)?.focus();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    setAdded(null);
    setApiError(undefined);
    const amount = parseDollars(text("amount"));
    if ("problem" in amount) {
      setAmountProblem(amount.problem);
      focusField("amount");
      return;
    }
    setAmountProblem(null);
    const date = text("date");
    const channel = text("channel") as Channel;
    const result = await add({
      practiceId: practice.gid,
      entry: { date, channel, amountCents: amount.cents, source: text("source") || null, campaign: text("campaign") || null },
    });
    if (result.error) {
      setApiError(result.error);
      const field = FORM_FIELD_OF[errorField(result.error) ?? ""];
      if (field) focusField(field);
      return;
    }
    const outside = date < range.from || date > range.to;
    setAdded(`Added ${formatCents(amount.cents)} of ${channelLabel(channel)} spend on ${formatDay(date)}.${outside ? " That day is outside the dates listed below." : ""}`);
    formElement.reset();
    revalidator.revalidate();
  }

  return (
    <form ref={formRef} method="post" onSubmit={onSubmit} className="space-y-4">
      {added ? <Alert tone="success">{added}</Alert> : null}
      {apiError && !apiField ? <FormErrors error={apiError} /> : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <TextField label="Date" name="date" type="date" required defaultValue={today} error={fieldError("date")} hint="For a monthly bill, the first day of the month it pays for." />
        <SelectField label="Channel" name="channel" required defaultValue="" error={fieldError("channel")} hint="Radio, print and billboards count as Offline / Other.">
          <option value="" disabled>
            Choose a channel…
          </option>
          {CHANNELS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Amount (USD)"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          required
          placeholder="1,234.56"
          error={fieldError("amount")}
          onInput={() => setAmountProblem(null)}
          hint="Dollars and cents, stored to the cent."
        />
        <TextField label="Campaign (optional)" name="campaign" maxLength={200} error={fieldError("campaign")} hint="Left blank, it shows as “(not set)”." />
        <TextField label="Source (optional)" name="source" maxLength={200} error={fieldError("source")} hint="Whom you paid, e.g. WXYZ radio or Yelp." />
      </div>
      <SubmitButton pending={fetching} pendingLabel="Saving…">
        Save entry
      </SubmitButton>
    </form>
  );
}

type ImportResult =
  | { fileName: string; kind: "imported"; rows: number; inserted: number; updated: number }
  | { fileName: string; kind: "refused"; problems: Array<{ line: number; column?: string | null; message: string }> };

function ImportSpendForm({ practice }: { practice: Practice }) {
  const [{ fetching, error }, importCsv] = useMutation(ImportSpendCsvMutation);
  const [outcome, setOutcome] = useState<ImportResult | null>(null);
  const [noFile, setNoFile] = useState(false);
  const revalidator = useRevalidator();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const file = new FormData(formElement).get("file");
    setOutcome(null);
    if (!(file instanceof File) || file.name === "") {
      setNoFile(true);
      return;
    }
    setNoFile(false);
    const result = await importCsv({ practiceId: practice.gid, csv: await file.text() });
    const answer = result.data?.importSpendCsv;
    if (!answer) return;
    if (answer.problems.length) {
      setOutcome({ fileName: file.name, kind: "refused", problems: answer.problems });
      return;
    }
    setOutcome({ fileName: file.name, kind: "imported", rows: answer.rows, inserted: answer.inserted, updated: answer.updated });
    formElement.reset();
    revalidator.revalidate();
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <div className="min-w-0 space-y-4">
        <form method="post" onSubmit={onSubmit} className="space-y-4">
          <FormErrors error={error} />
          <TextField
            label="Spend file (CSV)"
            name="file"
            type="file"
            accept=".csv,text/csv"
            error={noFile ? "Choose a CSV file to import." : undefined}
            onChange={() => setNoFile(false)}
            className="[&_input]:file:mr-3 [&_input]:file:rounded [&_input]:file:border-0 [&_input]:file:bg-slate-100 [&_input]:file:px-2.5 [&_input]:file:py-1 [&_input]:file:text-sm [&_input]:file:font-medium [&_input]:file:text-slate-800"
          />
          <SubmitButton pending={fetching} pendingLabel="Importing…">
            Import file
          </SubmitButton>
        </form>
        {outcome?.kind === "imported" ? (
          <Alert tone="success" title={`Imported ${formatCount(outcome.rows)} ${outcome.rows === 1 ? "row" : "rows"} from ${outcome.fileName}`}>
            {formatCount(outcome.inserted)} new, {formatCount(outcome.updated)} updated (rows already stored now carry the file’s amounts).
          </Alert>
        ) : null}
        {outcome?.kind === "refused" ? (
          <>
            <Alert tone="error" title={`Nothing was imported from ${outcome.fileName}`}>
              {outcome.problems.length === 1 ? "One problem" : `${formatCount(outcome.problems.length)} problems`} to fix; then upload the file again. Line 1 is the header.
            </Alert>
            <TableFrame label="Problems in the file">
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th scope="col" className={cx(th, "text-right")}>Line</th>
                  <th scope="col" className={th}>Column</th>
                  <th scope="col" className={th}>Problem</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {outcome.problems.map((p, index) => (
                  <tr key={`${p.line}-${p.column}-${index}`}>
                    <th scope="row" className={cx(td, "text-right font-medium tabular-nums")}>
                      {p.line}
                    </th>
                    <td className={cx(td, "whitespace-nowrap")}>{p.column ?? <span className="text-slate-600">{p.line === 1 ? "whole file" : "whole row"}</span>}</td>
                    <td className={td}>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          </>
        ) : null}
      </div>
      <div className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200">
        <h3 className="font-semibold text-slate-900">Columns the file needs</h3>
        <dl className="mt-2 space-y-1.5">
          <div>
            <dt className="inline font-mono font-medium">date</dt> <dd className="inline">— YYYY-MM-DD or M/D/YYYY.</dd>
          </div>
          <div>
            <dt className="inline font-mono font-medium">channel</dt>{" "}
            <dd className="inline">
              — a channel’s name or id (Paid Search, referral-web, Offline / Other). Or leave it out and give{" "}
              <span className="font-mono">source</span> and <span className="font-mono">medium</span> (or GA4’s{" "}
              <span className="font-mono">source / medium</span>): the row is classified by the practice’s channel rules.
            </dd>
          </div>
          <div>
            <dt className="inline font-mono font-medium">campaign</dt> <dd className="inline">— optional.</dd>
          </div>
          <div>
            <dt className="inline font-mono font-medium">amount</dt> <dd className="inline">— dollars: 1234.56, 1,234.56 or $1,234.56; never negative.</dd>
          </div>
          <div>
            <dt className="inline font-mono font-medium">currency</dt> <dd className="inline">— optional; USD when left out.</dd>
          </div>
        </dl>
        <p className="mt-2">
          All or nothing: with any problem, nothing is imported. A row for the same day, channel, source, medium and campaign as one already
          stored updates its amount, so uploading a corrected file again never doubles spend. At most 10,000 rows or 2 MB per file.
        </p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(EXAMPLE_CSV)}`} download="spend-example.csv" className={cx(buttonClass("secondary", "sm"), "mt-3")}>
          Download an example
        </a>
      </div>
    </div>
  );
}

function DeleteSpendButton({ row, onDeleted }: { row: SpendRow; onDeleted: () => void }) {
  const [{ fetching, error }, remove] = useMutation(DeleteSpendEntryMutation);
  const what = `${formatDay(row.date)} ${row.campaign}`;
  return (
    <span className="flex flex-col items-end gap-1">
      <ConfirmButton
        label="Delete"
        accessibleName={`Delete the spend of ${what}`}
        prompt="Delete this row?"
        confirmLabel="Yes, delete"
        pending={fetching}
        onConfirm={async () => {
          const result = await remove({ id: row.id });
          if (!result.error) onDeleted();
        }}
      />
      <FormErrors error={error} />
    </span>
  );
}

function SpendTable({ entries, canEdit, pageHref, pagination, total }: {
  entries: SpendRow[];
  canEdit: boolean;
  pageHref: (page: number) => string;
  pagination: { page: number; pages: number; first: number };
  total: number;
}) {
  const revalidator = useRevalidator();
  const last = pagination.first + entries.length - 1;
  return (
    <>
      <TableFrame label="Spend entries">
        <thead className="bg-slate-50 text-left">
          <tr>
            <th scope="col" className={th}>Date</th>
            <th scope="col" className={th}>Channel</th>
            <th scope="col" className={th}>Campaign and source</th>
            <th scope="col" className={th}>Recorded from</th>
            <th scope="col" className={cx(th, "text-right")}>Amount</th>
            {canEdit ? (
              <th scope="col" className={th}>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 bg-white">
          {entries.map((row) => (
            <tr key={row.id}>
              <th scope="row" className={cx(td, "whitespace-nowrap text-left font-medium")}>
                {formatDay(row.date)}
              </th>
              <td className={cx(td, "whitespace-nowrap")}>
                <span className="block">{channelLabel(row.channel)}</span>
                {row.channelOrigin === "CLASSIFIED" ? <span className="block text-xs text-slate-600">by the channel rules</span> : null}
              </td>
              <td className={td}>
                <span className="block">{row.campaign}</span>
                <span className="block text-xs text-slate-600">{[row.medium ? `${row.source} / ${row.medium}` : row.source, row.adGroup].filter(Boolean).join(" · ")}</span>
              </td>
              <td className={cx(td, "whitespace-nowrap")}>{row.editable ? <Badge tone="indigo">Manual or CSV</Badge> : <Badge>{row.connection.displayName}</Badge>}</td>
              <td className={cx(td, "whitespace-nowrap text-right tabular-nums")}>{formatCents(row.amountCents, row.currency)}</td>
              {canEdit ? (
                <td className={cx(td, "whitespace-nowrap text-right")}>
                  {row.editable ? <DeleteSpendButton row={row} onDeleted={() => revalidator.revalidate()} /> : <span className="sr-only">From an ad account: changes there</span>}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </TableFrame>
      <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-slate-600">
          {formatCount(pagination.first)}–{formatCount(last)} of {formatCount(total)} {total === 1 ? "row" : "rows"}, newest first
        </p>
        {pagination.pages > 1 ? (
          <span className="flex gap-2">
            {pagination.page > 1 ? (
              <Link to={pageHref(pagination.page - 1)} className={buttonClass("secondary", "sm")}>
                Newer
              </Link>
            ) : null}
            {pagination.page < pagination.pages ? (
              <Link to={pageHref(pagination.page + 1)} className={buttonClass("secondary", "sm")}>
                Older
              </Link>
            ) : null}
          </span>
        ) : null}
      </nav>
    </>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</dd>
      <dd className="mt-0.5 text-xs text-slate-600">{hint}</dd>
    </div>
  );
}

type Panel = "add" | "import";
const PANELS: Record<Panel, { id: string; title: string; description: string }> = {
  add: { id: "add-spend", title: "Add spend", description: "One campaign on one day, for a channel without an API (radio, print, directories)." },
  import: { id: "import-spend", title: "Import a spend file", description: "Many rows at once, from a spreadsheet saved as CSV." },
};

/** The admins' two ways in, as buttons that open their form above the list (one at a time) and move focus into it. */
function useSpendPanels() {
  const [open, setOpen] = useState<Panel | null>(null);
  const toggles = { add: useRef<HTMLButtonElement>(null), import: useRef<HTMLButtonElement>(null) };
  const opened = useRef(false);
  useEffect(() => {
    if (open && opened.current) document.getElementById(PANELS[open].id)?.querySelector<HTMLElement>("input, select")?.focus();
    opened.current = true;
  }, [open]);
  const close = (panel: Panel) => {
    setOpen(null);
    toggles[panel].current?.focus();
  };
  return { open, toggles, toggle: (panel: Panel) => setOpen(open === panel ? null : panel), close };
}

export default function SpendPage() {
  const { practice, range, rangeProblem, today, totals, entries, pagination } = useLoaderData<typeof loader>();
  const canEdit = practice.role === "admin";
  const hydrated = useHydrated();
  const panels = useSpendPanels();
  const pageHref = (page: number) => {
    const search = new URLSearchParams({ range: range.preset });
    if (range.preset === "custom") {
      search.set("from", range.from);
      search.set("to", range.to);
    }
    if (page > 1) search.set("page", String(page));
    return `?${search}`;
  };
  const toggle = (panel: Panel, label: string, variant: "primary" | "secondary") => (
    <Button
      ref={panels.toggles[panel]}
      variant={variant}
      aria-expanded={panels.open === panel}
      aria-controls={panels.open === panel ? PANELS[panel].id : undefined}
      disabled={!hydrated}
      disabledLook={false}
      onClick={() => panels.toggle(panel)}
    >
      {label}
    </Button>
  );
  return (
    <>
      <Breadcrumbs items={[{ label: practice.agency.name, to: paths.agency(practice.agency.id) }, { label: practice.name, to: paths.practice(practice.agency.id, practice.id) }, { label: "Spend" }]} />
      <PageHeader
        eyebrow="Marketing"
        title="Spend"
        description="What the practice paid for marketing, day by day and campaign by campaign: from connected ad accounts as they sync, and entered or imported here for channels without an API. The dashboard’s cost per lead, cost per patient and return on spend are computed from it."
        actions={
          canEdit ? (
            <>
              {toggle("import", "Import CSV", "secondary")}
              {toggle("add", "Add spend", "primary")}
            </>
          ) : null
        }
      />
      {panels.open ? (
        <div id={PANELS[panels.open].id} className="mb-6">
          <Card
            title={PANELS[panels.open].title}
            description={PANELS[panels.open].description}
            actions={
              <Button variant="ghost" size="sm" onClick={() => panels.close(panels.open!)}>
                <CloseIcon className="size-4" />
                Close<span className="sr-only"> {PANELS[panels.open].title.toLowerCase()}</span>
              </Button>
            }
          >
            {panels.open === "add" ? <AddSpendForm practice={practice} today={today} range={range} /> : <ImportSpendForm practice={practice} />}
          </Card>
        </div>
      ) : null}
      <div className="mb-6 space-y-3">
        <ReportControls range={range} />
        {rangeProblem ? <Alert tone="warning">{rangeProblem}</Alert> : null}
      </div>
      <dl className="mb-6 grid gap-3 sm:grid-cols-3">
        <Figure label="Spend in range" value={formatCents(totals.cents)} hint={`${formatCount(totals.rows)} ${totals.rows === 1 ? "row" : "rows"}`} />
        <Figure label="Manual or CSV" value={formatCents(totals.enteredCents)} hint="Entered or imported here" />
        <Figure label="From ad accounts" value={formatCents(totals.adAccountCents)} hint="Synced from connected ad APIs" />
      </dl>
      {canEdit ? null : (
        <Alert tone="info" className="mb-6">
          Spend is added and imported by the practice’s admins; spend from ad accounts arrives as they sync.
        </Alert>
      )}
      {entries.length === 0 ? (
        <EmptyState icon={<BanknotesIcon className="size-6" />} title="No spend between these dates">
          <p>
            {canEdit
              ? "Add spend or import a spend file with the buttons above; connected ad accounts bring theirs in as they sync. Or choose a longer range."
              : "Choose a longer range. Spend appears here once an admin enters it or an ad account syncs it."}
          </p>
        </EmptyState>
      ) : (
        <Card
          actions={
            <a href={exportUrl(practice.id, "spend", { from: range.from, to: range.to })} className={buttonClass("secondary", "sm")} download>
              Export CSV
            </a>
          }
        >
          <SpendTable entries={entries} canEdit={canEdit} pageHref={pageHref} pagination={pagination} total={totals.rows} />
        </Card>
      )}
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
