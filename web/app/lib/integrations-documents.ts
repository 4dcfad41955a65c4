// GraphQL documents for Settings → Integrations: loaders run the queries on the server, the pages re-run them from the
// browser while a sync is in progress, and the mutations run from the browser.
import { graphql } from "~/gql";

export const ConnectorFieldsFragment = graphql(`
  fragment ConnectorFields on Connector {
    id
    kind
    displayName
    description
    status
    secretFields
    streams {
      name
      description
      emits
    }
  }
`);

export const ConnectionFieldsFragment = graphql(`
  fragment ConnectionFields on Connection {
    id
    connectorId
    displayName
    status
    statusMessage
    syncIntervalMinutes
    paused
    lastSyncedAt
    createdAt
    location {
      id
      name
    }
    webhooks {
      name
      description
    }
  }
`);

export const SyncRunFieldsFragment = graphql(`
  fragment SyncRunFields on SyncRun {
    id
    stream
    trigger
    status
    startedAt
    finishedAt
    progressDone
    progressTotal
    counts
    errorCount
    failure
  }
`);

/** The overview: every connector, and the practice's connections with their latest runs. */
export const PracticeIntegrationsQuery = graphql(`
  query PracticeIntegrations($id: ID!, $runs: Int!) {
    connectors {
      ...ConnectorFields
    }
    node(id: $id) {
      ... on Practice {
        id
        connections {
          ...ConnectionFields
          runs(first: $runs) {
            edges {
              node {
                ...SyncRunFields
              }
            }
          }
        }
      }
    }
  }
`);

/** What the overview re-reads while a sync runs. */
export const PracticeConnectionsQuery = graphql(`
  query PracticeConnections($id: ID!, $runs: Int!) {
    node(id: $id) {
      ... on Practice {
        id
        connections {
          ...ConnectionFields
          runs(first: $runs) {
            edges {
              node {
                ...SyncRunFields
              }
            }
          }
        }
      }
    }
  }
`);

/** One connection with its run history; `settings` only for admins (the API refuses it to anyone else). */
export const ConnectionPageQuery = graphql(`
  query ConnectionPage($id: ID!, $admin: Boolean!, $runs: Int!) {
    connectors {
      ...ConnectorFields
    }
    node(id: $id) {
      ... on Connection {
        ...ConnectionFields
        settings @include(if: $admin)
        practice {
          id
        }
        runs(first: $runs) {
          edges {
            node {
              ...SyncRunFields
              errors
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`);

/** What the connection page re-reads while a sync runs, or when older runs are asked for. */
export const ConnectionRunsQuery = graphql(`
  query ConnectionRuns($id: ID!, $runs: Int!) {
    node(id: $id) {
      ... on Connection {
        ...ConnectionFields
        runs(first: $runs) {
          edges {
            node {
              ...SyncRunFields
              errors
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`);

export const ConnectorsQuery = graphql(`
  query Connectors {
    connectors {
      ...ConnectorFields
    }
  }
`);

export const CreateConnectionMutation = graphql(`
  mutation CreateConnection($practiceId: ID!, $connectorId: String!, $displayName: String, $settings: String!, $locationId: ID) {
    createConnection(practiceId: $practiceId, connectorId: $connectorId, displayName: $displayName, settings: $settings, locationId: $locationId) {
      id
      displayName
      webhooks {
        name
        description
        url
      }
    }
  }
`);

export const UpdateConnectionMutation = graphql(`
  mutation UpdateConnection($id: ID!, $displayName: String, $settings: String, $syncIntervalMinutes: Int, $paused: Boolean) {
    updateConnection(id: $id, displayName: $displayName, settings: $settings, syncIntervalMinutes: $syncIntervalMinutes, paused: $paused) {
      ...ConnectionFields
    }
  }
`);

export const TestConnectionMutation = graphql(`
  mutation TestConnection($id: ID!) {
    testConnection(id: $id) {
      ok
      message
    }
  }
`);

export const SyncConnectionNowMutation = graphql(`
  mutation SyncConnectionNow($id: ID!) {
    syncConnectionNow(id: $id) {
      id
    }
  }
`);

/** A new secret webhook address for every webhook of the connection; the answer is the only place it appears. */
export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      id
      webhooks {
        name
        description
        url
      }
    }
  }
`);
