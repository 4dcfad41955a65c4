import type {
  Agency,
  ApiToken,
  AuditLog,
  Connection,
  Invitation,
  Location,
  Membership,
  Practice,
  SyncRun,
  User,
} from '../../generated/prisma/client.ts';
import { builder } from '../builder.ts';

// Object references declared in one place so domain files can point at each other without import cycles.
export const AgencyRef = builder.objectRef<Agency>('Agency');
export const PracticeRef = builder.objectRef<Practice>('Practice');
export const LocationRef = builder.objectRef<Location>('Location');
export const UserRef = builder.objectRef<User>('User');
export const MembershipRef = builder.objectRef<Membership>('Membership');
export const InvitationRef = builder.objectRef<Invitation>('Invitation');
export const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken');
export const AuditEventRef = builder.objectRef<AuditLog>('AuditEvent');
/** A connection row; `webhookSecret` is set only on the object a mutation just issued a secret for. */
export const ConnectionRef = builder.objectRef<Connection & { webhookSecret?: string | null }>('Connection');
export const SyncRunRef = builder.objectRef<SyncRun>('SyncRun');
