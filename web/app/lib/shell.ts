import { useRouteLoaderData } from "@remix-run/react";

export type Role = "ADMIN" | "ANALYST" | "VIEWER";

export interface ShellLocation {
  id: string;
  gid: string;
  name: string;
  timeZone: string;
}

export interface ShellPractice {
  id: string;
  gid: string;
  name: string;
  timeZone: string;
  /** Effective role: the higher of the agency-wide and the practice's own membership. */
  role: Role | null;
  agencyId: string;
}

export interface ShellAgency {
  id: string;
  gid: string;
  name: string;
  mfaRequired: boolean;
  /** Agency-wide role; null when the viewer reaches only some of its practices. */
  role: Role | null;
}

export interface Shell {
  viewer: { id: string; email: string; displayName: string; mfaEnabled: boolean; platformAdmin: boolean };
  agencies: ShellAgency[];
  practices: ShellPractice[];
  /** Locations of the practice in the URL (empty when there is none). */
  locations: ShellLocation[];
}

/** The app shell's data, loaded once by the `_app` layout for every page inside it. */
export function useShell(): Shell {
  const shell = useRouteLoaderData<Shell>("routes/_app");
  if (!shell) throw new Error("useShell() is only available inside the app shell");
  return shell;
}

/** The agency, practice and location named by the current URL, looked up in the shell. */
export function useTenant(params: { agencyId?: string; practiceId?: string; locationId?: string }) {
  const shell = useShell();
  const agency = shell.agencies.find((a) => a.id === params.agencyId) ?? null;
  const practice = shell.practices.find((p) => p.id === params.practiceId) ?? null;
  const locations = practice ? shell.locations : [];
  const location = locations.find((l) => l.id === params.locationId) ?? null;
  return { shell, agency, practice, locations, location };
}
