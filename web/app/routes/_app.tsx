import { useEffect, useRef, useState, type ReactNode } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLocation, useParams } from "@remix-run/react";
import { BanknotesIcon, ChartIcon, CloseIcon, CogIcon, HomeIcon, KeyIcon, ListIcon, Logo, MenuIcon, PlugIcon, ShieldIcon, UsersIcon } from "~/components/icons";
import { NavigationProgress, useNavigationPending } from "~/components/navigation-progress";
import { SignOutButton } from "~/components/sign-out-button";
import { TenantSwitcher } from "~/components/tenant-switcher";
import { cx } from "~/components/ui";
import { paths } from "~/lib/paths";
import { useTenant, type Shell } from "~/lib/shell";
import { useHydrated } from "~/lib/use-hydrated";
import { loadShell } from "~/lib/shell.server";

export async function loader(args: LoaderFunctionArgs): Promise<Shell> {
  return loadShell(args, args.params);
}

function NavItem({ to, icon, children, end }: { to: string; icon: ReactNode; children: ReactNode; end?: boolean }) {
  return (
    <li>
      <NavLink
        to={to}
        end={end}
        className={({ isActive }) =>
          cx(
            "group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
            isActive ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
          )
        }
      >
        <span className="text-slate-500 group-aria-[current=page]:text-indigo-700">{icon}</span>
        {children}
      </NavLink>
    </li>
  );
}

function NavSection({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <h2 className="px-3 text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</h2>
      <ul className="mt-2 space-y-0.5">{children}</ul>
    </div>
  );
}

function Sidebar() {
  const params = useParams();
  const { shell, agency, practice, locations, location } = useTenant(params);
  const practiceAdmin = practice?.role === "ADMIN";
  return (
    <div className="flex h-full flex-col gap-6 overflow-y-auto px-4 py-5">
      <Link to={paths.home()} className="rounded-md px-1" aria-label="Sourceline home">
        <Logo />
      </Link>
      <TenantSwitcher shell={shell} agency={agency} practice={practice} locations={locations} location={location} />
      <nav aria-label="Main" className="flex flex-1 flex-col gap-6">
        {practice ? (
          <NavSection label="Practice">
            <NavItem to={location ? paths.location(practice.agencyId, practice.id, location.id) : paths.practice(practice.agencyId, practice.id)} icon={<ChartIcon />} end>
              Dashboard
            </NavItem>
            {practice.role === "ADMIN" || practice.role === "ANALYST" ? (
              <NavItem to={paths.reviewQueue(practice.agencyId, practice.id)} icon={<ListIcon />}>
                Review queue
              </NavItem>
            ) : null}
            <NavItem to={paths.leads(practice.agencyId, practice.id)} icon={<ListIcon />}>
              Leads
            </NavItem>
            {/* Spend is not PHI: everyone sees it; only admins get the add and import controls on the page. */}
            <NavItem to={paths.spend(practice.agencyId, practice.id)} icon={<BanknotesIcon />}>
              Spend
            </NavItem>
            <NavItem to={paths.months(practice.agencyId, practice.id)} icon={<ListIcon />}>
              Month-end
            </NavItem>
            {/* Everyone sees the connections' status and history; only admins get the controls. */}
            <NavItem to={paths.integrations(practice.agencyId, practice.id)} icon={<PlugIcon className="size-5" />}>
              Integrations
            </NavItem>
            {practiceAdmin ? (
              <>
                <NavItem to={paths.practiceUsers(practice.agencyId, practice.id)} icon={<UsersIcon />}>
                  Users
                </NavItem>
                <NavItem to={paths.practiceSettings(practice.agencyId, practice.id)} icon={<CogIcon />}>
                  Settings
                </NavItem>
                <NavItem to={paths.practiceAudit(practice.agencyId, practice.id)} icon={<ListIcon />}>
                  Audit log
                </NavItem>
              </>
            ) : null}
          </NavSection>
        ) : null}
        {agency ? (
          <NavSection label="Agency">
            <NavItem to={paths.agency(agency.id)} icon={<HomeIcon />} end>
              Overview
            </NavItem>
            {agency.role === "ADMIN" ? (
              <>
                <NavItem to={paths.agencyUsers(agency.id)} icon={<UsersIcon />}>
                  Users
                </NavItem>
                <NavItem to={paths.agencySettings(agency.id)} icon={<CogIcon />}>
                  Settings
                </NavItem>
                <NavItem to={paths.agencyAudit(agency.id)} icon={<ListIcon />}>
                  Audit log
                </NavItem>
              </>
            ) : null}
          </NavSection>
        ) : null}
        <NavSection label="Account">
          <NavItem to={paths.account()} icon={<ShieldIcon />} end>
            Account &amp; security
          </NavItem>
          <NavItem to={paths.apiTokens()} icon={<KeyIcon />}>
            API tokens
          </NavItem>
        </NavSection>
      </nav>
      <div className="border-t border-slate-200 pt-4">
        <p className="truncate text-sm font-medium text-slate-900">{shell.viewer.displayName}</p>
        <p className="truncate text-sm text-slate-600">{shell.viewer.email}</p>
        <SignOutButton className="mt-3 w-full rounded-md px-3 py-2 text-left text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50" />
      </div>
    </div>
  );
}

export default function AppLayout() {
  const [menuOpen, setMenuOpen] = useState(false);
  const hydrated = useHydrated();
  const { pathname } = useLocation();
  const pending = useNavigationPending();
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [pathname]);
  // Opening the drawer moves focus into it; Escape (handled on the drawer) brings it back to the menu button.
  useEffect(() => {
    if (menuOpen) closeButton.current?.focus();
  }, [menuOpen]);

  return (
    <div className="min-h-full">
      <NavigationProgress pending={pending} />
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-800 focus:shadow-lg"
      >
        Skip to main content
      </a>

      {/* Small screens: a top bar whose button opens the sidebar as a drawer. */}
      <div className="sticky top-0 z-20 flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 lg:hidden">
        <Link to={paths.home()} aria-label="Sourceline home">
          <Logo />
        </Link>
        <button
          ref={menuButton}
          type="button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          disabled={!hydrated}
          onClick={() => setMenuOpen(true)}
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100"
        >
          <MenuIcon />
          <span className="sr-only">Open menu</span>
        </button>
      </div>

      {menuOpen ? <div className="fixed inset-0 z-30 bg-slate-900/40 lg:hidden" aria-hidden="true" onClick={() => setMenuOpen(false)} /> : null}
      <aside
        id="sidebar"
        aria-label="Sidebar"
        onKeyDown={(e) => {
          if (e.key === "Escape" && menuOpen) {
            setMenuOpen(false);
            menuButton.current?.focus();
          }
        }}
        className={cx(
          "fixed inset-y-0 left-0 z-40 w-72 border-r border-slate-200 bg-slate-50 lg:block",
          menuOpen ? "block shadow-xl" : "hidden",
        )}
      >
        {menuOpen ? (
          <button
            ref={closeButton}
            type="button"
            onClick={() => {
              setMenuOpen(false);
              menuButton.current?.focus();
            }}
            className="absolute right-3 top-4 rounded-md p-1.5 text-slate-700 hover:bg-slate-200 lg:hidden"
          >
            <CloseIcon className="size-5" />
            <span className="sr-only">Close menu</span>
          </button>
        ) : null}
        <Sidebar />
      </aside>

      <main id="main" tabIndex={-1} aria-busy={pending} className="lg:pl-72">
        <div className={cx("mx-auto max-w-6xl px-4 py-8 transition-opacity sm:px-6 lg:px-10", pending && "opacity-60")}>
          <Outlet />
        </div>
      </main>
    </div>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "~/components/route-error";
