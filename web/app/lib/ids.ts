/**
 * URLs carry plain ids (`/a/<uuid>/p/<uuid>`), which read and share better than Relay global ids. The API's global
 * ids are the Relay convention, base64 of `Type:id`; these two functions convert between them.
 */
export type NodeType = "Agency" | "Practice" | "Location" | "Membership" | "Invitation" | "ApiToken" | "User" | "Connection" | "SyncRun" | "Patient" | "Lead";

export function toGlobalId(type: NodeType, id: string): string {
  return btoa(`${type}:${id}`);
}

export function fromGlobalId(globalId: string): string {
  try {
    const decoded = atob(globalId);
    const colon = decoded.indexOf(":");
    return colon > 0 ? decoded.slice(colon + 1) : globalId;
  } catch {
    return globalId;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route param that should be an id; anything else can only be a mistyped link. */
export function isId(value: string | undefined): value is string {
  return !!value && UUID.test(value);
}
