/**
 * A lead's campaign, ad group and keyword as Google Ads names them, when its gclid names a click the practice's Google
 * Ads connection pulled (click_view), else as the lead carried them (UTMs, the tracker's own). Google's names win:
 * spend is reported under them, so cost per campaign joins, and a form with a gclid but no UTMs still gets its
 * campaign, ad group and keyword. A click pulled after the lead counts from the next attribution run on.
 *
 * SQL text for a query over `leads l`: put `AD_CLICK_JOIN` after the FROM clause and select `AD_CLICK_NAMES`.
 */
export const AD_CLICK_JOIN = `LEFT JOIN LATERAL (
    SELECT k.campaign_name, k.ad_group_name, k.keyword FROM ad_clicks k
     WHERE k.practice_id = l.practice_id AND k.click_id = l.gclid AND k.deleted_at IS NULL
     ORDER BY k.clicked_on DESC LIMIT 1) ck ON true`;

export const AD_CLICK_NAMES = `coalesce(ck.campaign_name, l.campaign) AS campaign, coalesce(ck.ad_group_name, l.ad_group) AS "adGroup",
  coalesce(ck.keyword, l.keyword) AS keyword`;
