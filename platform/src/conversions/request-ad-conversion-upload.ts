import type { WorkerUtils } from 'graphile-worker';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import type { GoogleAdsConversionUpload } from '../generated/prisma/client.ts';
import { parseDayRange } from '../reports/report-range.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';

export const AD_CONVERSION_UPLOAD_TASK = 'upload_google_ads_conversions';

/**
 * An admin asks for a range's new patients to be uploaded to a Google Ads connection's conversion action: the request
 * is stored `queued` and audited in the caller's transaction; the job (queued after the commit, `queueAdConversionUploads`)
 * sends it. The action's type and attribution model are read from Google when it runs.
 */
export async function requestAdConversionUpload(
  tx: Tx,
  principal: Principal,
  input: { connectionId: string; conversionActionId: string; from: string; to: string; validateOnly: boolean; origin: AuditOrigin },
): Promise<GoogleAdsConversionUpload> {
  const connection = await tx.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) throw new UserFacingError('No connection with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, connection.practiceId, 'admin');
  if (connection.connectorId !== 'google-ads') {
    throw new UserFacingError('Conversions are uploaded to a Google Ads connection; choose one.', 'BAD_USER_INPUT', { field: 'connectionId' });
  }
  if (!/^\d{1,19}$/.test(input.conversionActionId)) {
    throw new UserFacingError('conversionActionId is the number of a conversion action in Google Ads (Goals → Conversions → the action’s ctId).', 'BAD_USER_INPUT', { field: 'conversionActionId' });
  }
  const range = parseDayRange(input.from, input.to);
  const upload = await tx.googleAdsConversionUpload.create({
    data: {
      practiceId: connection.practiceId, connectionId: connection.id, conversionActionId: input.conversionActionId,
      rangeFrom: new Date(`${range.from}T00:00:00Z`), rangeTo: new Date(`${range.to}T00:00:00Z`), validateOnly: input.validateOnly, requestedBy: principal.userId,
    },
  });
  await recordAuditEvent(tx, {
    action: 'google_ads.conversion_upload_requested',
    practiceId: connection.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
    details: { uploadId: upload.id, conversionActionId: input.conversionActionId, from: range.from, to: range.to, validateOnly: input.validateOnly },
  });
  return upload;
}

/**
 * Queues the practice's upload job, after the commit: a worker must not look for the upload before it is visible. One
 * job per practice waits at a time and works through every queued upload, oldest first, so a second request made
 * while one waits is not lost when the two jobs' keys collapse into one.
 */
export async function queueAdConversionUploads(jobs: Pick<WorkerUtils, 'addJob'>, practiceId: string): Promise<void> {
  await jobs.addJob(AD_CONVERSION_UPLOAD_TASK, { practiceId }, { queueName: `google-ads-conversions:${practiceId}`, jobKey: `google-ads-conversions:${practiceId}`, maxAttempts: 5 });
}
