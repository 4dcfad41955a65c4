import { Link } from "@remix-run/react";
import { PlugIcon } from "~/components/icons";
import { Card, EmptyState, PageHeader, buttonClass, cx } from "~/components/ui";
import { paths } from "~/lib/paths";
import type { PracticePage } from "~/lib/practice.server";

const COMING = [
  ["New patients by channel", "which forms, calls and ads brought patients who actually booked and showed up"],
  ["Production by channel", "revenue from those patients, credited patient by patient, under the attribution model you choose"],
  ["Cost per new patient", "ad spend against new patients and production, for return on ad spend per campaign"],
  ["Review queue", "leads whose match to a patient is uncertain, for someone to confirm"],
] as const;

export function Breadcrumbs({ items }: { items: Array<{ label: string; to?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2">
      <ol className="flex flex-wrap items-center gap-1.5 text-sm text-slate-600">
        {items.map((item, index) => (
          <li key={`${item.label}-${index}`} className="flex items-center gap-1.5">
            {index > 0 ? <span aria-hidden="true">/</span> : null}
            {item.to ? (
              <Link to={item.to} className="hover:text-slate-900 hover:underline">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="font-medium text-slate-800">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The practice (or location) dashboard. For now an honest empty state that says what will appear here. */
export function PracticeDashboard({ practice, location }: PracticePage) {
  const isAdmin = practice.role === "admin";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: practice.agency.name, to: paths.agency(practice.agency.id) },
          location ? { label: practice.name, to: paths.practice(practice.agency.id, practice.id) } : { label: practice.name },
          ...(location ? [{ label: location.name }] : []),
        ]}
      />
      <PageHeader
        eyebrow={location ? "Location dashboard" : "Practice dashboard"}
        title={location ? `${practice.name} — ${location.name}` : practice.name}
        description={
          location
            ? `Only ${location.name}. Times in ${location.timeZone.replace(/_/g, " ")}.`
            : `All locations. Times in ${practice.timeZone.replace(/_/g, " ")}.`
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[1fr_18rem]">
        <EmptyState
          icon={<PlugIcon />}
          title="No attribution data yet"
          action={
            isAdmin ? (
              <Link to={paths.integrations(practice.agency.id, practice.id)} className={buttonClass("secondary")}>
                Set up integrations
              </Link>
            ) : null
          }
        >
          <p className="font-medium text-slate-800">Connect Open Dental and your lead sources to see attribution here.</p>
          <p className="mt-4 text-left">Once data flows in, this dashboard shows:</p>
          <ul className="mt-2 space-y-2 text-left">
            {COMING.map(([title, text]) => (
              <li key={title}>
                <span className="font-medium text-slate-800">{title}</span>: {text}.
              </li>
            ))}
          </ul>
        </EmptyState>
        <Card title="Locations">
          {practice.locations.length === 0 ? (
            <p className="text-sm text-slate-600">No locations yet.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              <li>
                <Link
                  to={paths.practice(practice.agency.id, practice.id)}
                  aria-current={!location ? "page" : undefined}
                  className={cx("block rounded px-2 py-1.5 hover:bg-slate-100", !location ? "font-semibold text-indigo-700" : "text-slate-800")}
                >
                  All locations
                </Link>
              </li>
              {practice.locations.map((l) => (
                <li key={l.id}>
                  <Link
                    to={paths.location(practice.agency.id, practice.id, l.id)}
                    aria-current={location?.id === l.id ? "page" : undefined}
                    className={cx(
                      "block rounded px-2 py-1.5 hover:bg-slate-100",
                      location?.id === l.id ? "font-semibold text-indigo-700" : "text-slate-800",
                    )}
                  >
                    {l.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
