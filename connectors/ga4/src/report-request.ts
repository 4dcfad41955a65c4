/**
 * The one report the connector runs: sessions, users and key events per day and session source / medium / campaign.
 * Session scope is the "lead source" view (§6.2). Never a client id or any user-level dimension: GA4 stays outside
 * the PHI boundary.
 */
export const reportDimensions = ['date', 'sessionSource', 'sessionMedium', 'sessionCampaignName'] as const;
export const reportMetrics = ['sessions', 'totalUsers', 'newUsers', 'engagedSessions', 'keyEvents'] as const;

export function runReportBody(from: string, to: string, page: { limit: number; offset: number }) {
  return {
    dateRanges: [{ startDate: from, endDate: to }],
    dimensions: reportDimensions.map((name) => ({ name })),
    metrics: reportMetrics.map((name) => ({ name })),
    // Stable row order, so offset paging neither skips nor repeats rows.
    orderBys: reportDimensions.map((dimensionName) => ({ dimension: { dimensionName } })),
    limit: String(page.limit),
    offset: String(page.offset),
  };
}
