import callRail from '@sourceline/connector-callrail';
import dentrix from '@sourceline/connector-dentrix';
import eaglesoft from '@sourceline/connector-eaglesoft';
import ga4 from '@sourceline/connector-ga4';
import googleAds from '@sourceline/connector-google-ads';
import googleBusinessProfile from '@sourceline/connector-google-business-profile';
import gravityForms from '@sourceline/connector-gravity-forms';
import manualSpend from '@sourceline/connector-manual-spend';
import metaLeadAds from '@sourceline/connector-meta-lead-ads';
import openDental from '@sourceline/connector-open-dental';
import pmsCsv from '@sourceline/connector-pms-csv';
import website from '@sourceline/connector-website';
import { secretFieldsOf, type Connector, type ConnectorKind, type ConnectorStatus } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * Every connector the platform can run, by id. A connection row stores the id; the worker looks the connector up
 * here, registers one task per stream and routes webhooks by connector id and webhook name. Adding a connector is
 * one import and one entry.
 */
const installed: readonly Connector[] = [
  openDental, pmsCsv, dentrix, eaglesoft, gravityForms, callRail, googleAds, googleBusinessProfile, ga4, metaLeadAds, website, manualSpend,
];

const byId = new Map<string, Connector>(installed.map((c) => [c.id, c]));

export function findConnector(id: string): Connector | undefined {
  return byId.get(id);
}

export function allConnectors(): readonly Connector[] {
  return installed;
}

/** What the settings UI lists: "coming soon" stubs appear but cannot be connected. */
export interface ConnectorSummary {
  id: string;
  kind: ConnectorKind;
  displayName: string;
  description: string;
  status: ConnectorStatus;
  /** Settings fields the platform encrypts and never shows back. */
  secretFields: string[];
  streams: { name: string; description: string; emits: readonly string[] }[];
  webhooks: { name: string; description: string }[];
  /** Whether "Test connection" can check this connector's settings. */
  canTest: boolean;
  /** The settings as JSON Schema (from the connector's zod schema), for forms that build themselves. */
  settingsSchema: unknown;
}

export function summarizeConnector(connector: Connector): ConnectorSummary {
  return {
    id: connector.id,
    kind: connector.kind,
    displayName: connector.displayName,
    description: connector.description,
    status: connector.status,
    secretFields: secretFieldsOf(connector.settings),
    streams: connector.streams.map((s) => ({ name: s.name, description: s.description, emits: s.emits })),
    webhooks: connector.webhooks.map((w) => ({ name: w.name, description: w.description })),
    canTest: connector.testConnection !== undefined,
    settingsSchema: z.toJSONSchema(connector.settings, { io: 'input', unrepresentable: 'any' }),
  };
}

export function listConnectors(): ConnectorSummary[] {
  return installed.map(summarizeConnector);
}
