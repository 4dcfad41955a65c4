import { useEffect, useId, useRef, useState } from "react";
import { Link, useLocation } from "@remix-run/react";
import { CheckIcon, ChevronUpDownIcon } from "~/components/icons";
import { cx } from "~/components/ui";
import { paths } from "~/lib/paths";
import { useHydrated } from "~/lib/use-hydrated";
import type { Shell, ShellAgency, ShellLocation, ShellPractice } from "~/lib/shell";

interface MenuItem {
  key: string;
  label: string;
  to: string;
  selected: boolean;
}

/**
 * One level of the switcher: a disclosure button that reveals a list of plain links. Links keep every selection in
 * the URL (shareable, back-button friendly) and work with the keyboard like any other link.
 */
function SwitcherMenu({
  label,
  current,
  items,
  footer,
  placeholder,
}: {
  label: string;
  current: string | null;
  items: MenuItem[];
  footer?: { label: string; to: string };
  placeholder: string;
}) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const location = useLocation();

  useEffect(() => {
    setOpen(false);
    setFilter("");
  }, [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const shown = filter ? items.filter((i) => i.label.toLowerCase().includes(filter.toLowerCase())) : items;
  const hydrated = useHydrated();
  const empty = items.length === 0 && !footer;

  return (
    <div
      className="relative"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <span id={`${id}-label`} className="mb-1 block text-xs font-medium uppercase tracking-wide text-slate-600">
        {label}
      </span>
      <button
        ref={buttonRef}
        id={`${id}-button`}
        type="button"
        aria-labelledby={`${id}-label ${id}-button`}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        disabled={empty || !hydrated}
        onClick={() => setOpen((o) => !o)}
        className={cx(
          "flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm shadow-sm ring-1 ring-inset ring-slate-300",
          empty ? "cursor-not-allowed bg-slate-100" : "bg-white hover:bg-slate-50",
        )}
      >
        <span className={cx("truncate", current ? "font-medium text-slate-900" : "text-slate-600")}>{current ?? placeholder}</span>
        <ChevronUpDownIcon className="size-4 shrink-0 text-slate-600" />
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={`${id}-panel`}
          className="absolute inset-x-0 top-full z-30 mt-1 max-h-80 overflow-y-auto rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200"
        >
          {items.length > 8 ? (
            <div className="px-2 pb-1">
              <label htmlFor={`${id}-filter`} className="sr-only">
                Filter {label.toLowerCase()} list
              </label>
              <input
                id={`${id}-filter`}
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                placeholder="Filter…"
                className="block w-full rounded border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
              />
            </div>
          ) : null}
          <ul aria-label={`${label} options`}>
            {shown.map((item) => (
              <li key={item.key}>
                <Link
                  to={item.to}
                  aria-current={item.selected ? "true" : undefined}
                  className={cx(
                    "flex items-center justify-between gap-2 px-3 py-2 text-sm hover:bg-indigo-50 focus-visible:bg-indigo-50",
                    item.selected ? "font-semibold text-indigo-700" : "text-slate-800",
                  )}
                >
                  <span className="truncate">{item.label}</span>
                  {item.selected ? <CheckIcon className="size-4 shrink-0" /> : null}
                </Link>
              </li>
            ))}
            {shown.length === 0 ? <li className="px-3 py-2 text-sm text-slate-600">No matches</li> : null}
          </ul>
          {footer ? (
            <div className="mt-1 border-t border-slate-200 pt-1">
              <Link to={footer.to} className="block px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
                {footer.label}
              </Link>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

const PRACTICE_SECTIONS = ["users", "settings", "audit"] as const;
const AGENCY_SECTIONS = ["users", "settings", "audit"] as const;

/** Switching tenants keeps you on the same kind of page (users, settings, audit log) when the target allows it. */
function currentSection(pathname: string, level: "agency" | "practice"): string | null {
  const pattern = level === "practice" ? /^\/a\/[^/]+\/p\/[^/]+\/([a-z]+)/ : /^\/a\/[^/]+\/([a-z]+)$/;
  const section = pattern.exec(pathname)?.[1];
  const allowed: readonly string[] = level === "practice" ? PRACTICE_SECTIONS : AGENCY_SECTIONS;
  return section && allowed.includes(section) ? section : null;
}

function agencyTarget(shell: Shell, agency: ShellAgency, section: string | null): string {
  if (agency.role) return section && agency.role === "ADMIN" ? `${paths.agency(agency.id)}/${section}` : paths.agency(agency.id);
  // Reaching only some practices of this agency: go straight to the first of them.
  const practice = shell.practices.find((p) => p.agencyId === agency.id);
  return practice ? paths.practice(agency.id, practice.id) : paths.agency(agency.id);
}

function practiceTarget(practice: ShellPractice, section: string | null): string {
  const base = paths.practice(practice.agencyId, practice.id);
  return section && practice.role === "ADMIN" ? `${base}/${section}` : base;
}

export function TenantSwitcher({
  shell,
  agency,
  practice,
  locations,
  location,
}: {
  shell: Shell;
  agency: ShellAgency | null;
  practice: ShellPractice | null;
  locations: ShellLocation[];
  location: ShellLocation | null;
}) {
  const { pathname } = useLocation();
  const agencySection = currentSection(pathname, "agency");
  const practiceSection = currentSection(pathname, "practice");
  const practices = agency ? shell.practices.filter((p) => p.agencyId === agency.id) : [];

  return (
    <div role="group" aria-label="Switch agency, practice and location" className="space-y-3">
      <SwitcherMenu
        label="Agency"
        current={agency?.name ?? null}
        placeholder={shell.agencies.length ? "Choose an agency" : "No agencies yet"}
        items={shell.agencies.map((a) => ({ key: a.id, label: a.name, to: agencyTarget(shell, a, agencySection), selected: a.id === agency?.id }))}
        footer={shell.viewer.platformAdmin ? { label: "+ New agency", to: paths.newAgency() } : undefined}
      />
      <SwitcherMenu
        label="Practice"
        current={practice?.name ?? null}
        placeholder={!agency ? "Choose an agency first" : practices.length ? "All practices" : "No practices yet"}
        items={practices.map((p) => ({ key: p.id, label: p.name, to: practiceTarget(p, practiceSection), selected: p.id === practice?.id }))}
        footer={agency?.role === "ADMIN" ? { label: "+ New practice", to: `${paths.agencySettings(agency.id)}#practices` } : undefined}
      />
      {practice ? (
        <SwitcherMenu
          label="Location"
          current={location?.name ?? "All locations"}
          placeholder="All locations"
          items={[
            { key: "all", label: "All locations", to: paths.practice(practice.agencyId, practice.id), selected: !location },
            ...locations.map((l) => ({
              key: l.id,
              label: l.name,
              to: paths.location(practice.agencyId, practice.id, l.id),
              selected: l.id === location?.id,
            })),
          ]}
        />
      ) : null}
    </div>
  );
}
