import type { Request } from 'express';
import { AttributionModelId } from '../../attribution/attribution-settings.ts';
import type { RollupChannel } from '../../attribution/rollups.ts';
import { authenticate } from '../../auth/authenticate.ts';
import { scopeOf, type Principal } from '../../auth/principal.ts';
import type { Role } from '../../auth/roles.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { ChannelId } from '../../channels/index.ts';
import { withTenant } from '../../db/tenant-transaction.ts';
import { parseCookies } from '../../http/cookies.ts';
import { requestOrigin } from '../../http/request-origin.ts';
import { isUuid } from '../../ids.ts';
import type { Platform } from '../../platform.ts';
import { ExportError, type AgencyExportRequest, type ExportRequest, type PracticeExportRequest } from './csv-report.ts';

/** The signed-in browser (session cookie) or an API token; a half-finished sign-in (MFA owed) is no one. */
export async function principalOf(platform: Platform, req: Request): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
  const principal = await authenticate(platform.db.app, {
    bearerToken: bearer,
    sessionToken: bearer ? null : (parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? null),
  });
  if (!principal || principal.mfaPending || principal.mfaEnrollmentRequired) throw new ExportError(401, 'Sign in first.');
  return principal;
}

const text = (req: Request, key: string) => (typeof req.query[key] === 'string' ? (req.query[key] as string) : null);

/** What every export is asked with: the caller, their role where it reads, the model, a tenant-scoped reader. */
function exportRequest(platform: Platform, req: Request, principal: Principal, role: Role): ExportRequest {
  const model = text(req, 'model');
  if (model !== null && !AttributionModelId.safeParse(model).success) {
    throw new ExportError(400, `Unknown model: use one of ${AttributionModelId.options.join(', ')}.`);
  }
  return {
    principal,
    origin: requestOrigin(req, platform.config.TRUST_PROXY),
    role,
    model: model as AttributionModelId | null,
    read: (fn) => withTenant(platform.db.prisma, scopeOf(principal), fn),
    param: (name) => text(req, name),
  };
}

/** A practice's export, with the dashboard's filters: `channel` and `location`. */
export function practiceExportRequest(platform: Platform, req: Request, principal: Principal, practiceId: string, role: Role): PracticeExportRequest {
  const channel = text(req, 'channel');
  if (channel !== null && channel !== 'unattributed' && !ChannelId.safeParse(channel).success) {
    throw new ExportError(400, `Unknown channel: use one of ${[...ChannelId.options, 'unattributed'].join(', ')}.`);
  }
  const locationId = text(req, 'location');
  if (locationId !== null && !isUuid(locationId)) throw new ExportError(400, 'location must be a location id.');
  return { ...exportRequest(platform, req, principal, role), practiceId, channel: channel as RollupChannel | null, locationId };
}

export function agencyExportRequest(platform: Platform, req: Request, principal: Principal, agencyId: string, role: Role): AgencyExportRequest {
  return { ...exportRequest(platform, req, principal, role), agencyId };
}

/**
 * The caller's role on an agency's exports: their agency role, or — reaching the agency only through some of its
 * practices — a viewer's (the console then lists just those practices, as row-level security shows them).
 */
export function agencyRoleOf(principal: Principal, agencyId: string): Role | undefined {
  if (!isUuid(agencyId)) return undefined;
  return principal.agencyRoles.get(agencyId) ?? (agencyPracticesOf(principal, agencyId).length ? 'viewer' : undefined);
}

/** The agency's practices the caller reaches (an API token: those it names). */
export function agencyPracticesOf(principal: Principal, agencyId: string): string[] {
  return [...principal.practiceRoles.keys()].filter((practiceId) => principal.practiceAgency.get(practiceId) === agencyId);
}
