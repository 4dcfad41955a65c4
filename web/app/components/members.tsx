import { useState, type FormEvent } from "react";
import { useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import type { Role } from "~/gql/graphql";
import { ConfirmButton } from "~/components/confirm-button";
import { Alert, Badge, Button, Card, FormErrors, SelectField, SubmitButton, TableFrame, TextField, td, th } from "~/components/ui";
import { ROLE_HINTS, ROLE_LABELS, formatDate, roleLabel } from "~/lib/format";

const ChangeMembershipRoleMutation = graphql(`
  mutation ChangeMembershipRole($id: ID!, $role: Role!) {
    changeMembershipRole(id: $id, role: $role) {
      id
      role
    }
  }
`);

const RemoveMembershipMutation = graphql(`
  mutation RemoveMembership($id: ID!) {
    removeMembership(id: $id)
  }
`);

const CreateInvitationMutation = graphql(`
  mutation CreateInvitation($email: String!, $role: Role!, $agencyId: ID, $practiceId: ID) {
    createInvitation(email: $email, role: $role, agencyId: $agencyId, practiceId: $practiceId) {
      id
      email
    }
  }
`);

const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

export interface MemberRow {
  id: string;
  role: Role;
  createdAt: string;
  user: { id: string; email: string; displayName: string; mfaEnabled: boolean };
}

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export interface MembersScope {
  kind: "agency" | "practice";
  /** Relay global id of the agency or practice. */
  gid: string;
  name: string;
}

const ROLES: Role[] = ["ADMIN", "ANALYST", "VIEWER"];

function RoleCell({ member, isSelf }: { member: MemberRow; isSelf: boolean }) {
  const [role, setRole] = useState<Role>(member.role);
  const [{ fetching, error }, change] = useMutation(ChangeMembershipRoleMutation);
  const revalidator = useRevalidator();
  const changed = role !== member.role;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor={`role-${member.id}`}>
          Role for {member.user.displayName}
        </label>
        <select
          id={`role-${member.id}`}
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
          className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        {changed ? (
          <>
            <Button
              size="sm"
              variant="primary"
              disabled={fetching}
              onClick={async () => {
                const result = await change({ id: member.id, role });
                if (!result.error) revalidator.revalidate();
              }}
            >
              {fetching ? "Saving…" : "Save role"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setRole(member.role)}>
              Cancel
            </Button>
          </>
        ) : null}
      </div>
      {changed && isSelf && role !== "ADMIN" ? <p className="text-xs text-amber-900">You will lose admin access here.</p> : null}
      <FormErrors error={error} />
    </div>
  );
}

function RemoveCell({ member, scopeName }: { member: MemberRow; scopeName: string }) {
  const [{ fetching, error }, remove] = useMutation(RemoveMembershipMutation);
  const revalidator = useRevalidator();
  return (
    <div className="space-y-2">
      <ConfirmButton
        label="Remove"
        accessibleName={`Remove ${member.user.displayName}`}
        prompt={`Remove from ${scopeName}?`}
        confirmLabel="Yes, remove"
        pending={fetching}
        onConfirm={async () => {
          const result = await remove({ id: member.id });
          if (!result.error) revalidator.revalidate();
        }}
      />
      <FormErrors error={error} />
    </div>
  );
}

function InviteForm({ scope }: { scope: MembersScope }) {
  const [{ fetching, error }, invite] = useMutation(CreateInvitationMutation);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const revalidator = useRevalidator();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get("email")).trim();
    const role = String(form.get("role")) as Role;
    const result = await invite({
      email,
      role,
      ...(scope.kind === "agency" ? { agencyId: scope.gid } : { practiceId: scope.gid }),
    });
    if (result.data) {
      setSentTo(result.data.createInvitation.email);
      formElement.reset();
      revalidator.revalidate();
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4">
      <FormErrors error={error} />
      {sentTo ? (
        <Alert tone="success">
          Invitation sent to <strong>{sentTo}</strong>. The link in it works for 7 days.
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        <TextField label="E-mail address" name="email" type="email" autoComplete="off" required onInput={() => setSentTo(null)} />
        <SelectField label="Role" name="role" defaultValue="VIEWER">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
      </div>
      <ul className="grid gap-1 text-sm text-slate-600 sm:grid-cols-3">
        {ROLES.map((r) => (
          <li key={r}>
            <span className="font-medium text-slate-800">{ROLE_LABELS[r]}:</span> {ROLE_HINTS[r]}
          </li>
        ))}
      </ul>
      <SubmitButton pending={fetching} pendingLabel="Sending…">
        Send invitation
      </SubmitButton>
    </form>
  );
}

function InvitationRowView({ invitation, timeZone }: { invitation: InvitationRow; timeZone: string }) {
  const [{ fetching, error }, revoke] = useMutation(RevokeInvitationMutation);
  const revalidator = useRevalidator();
  return (
    <tr>
      <td className={td}>{invitation.email}</td>
      <td className={td}>
        <Badge>{roleLabel(invitation.role)}</Badge>
      </td>
      <td className={td}>{formatDate(invitation.createdAt, timeZone)}</td>
      <td className={td}>{formatDate(invitation.expiresAt, timeZone)}</td>
      <td className={`${td} text-right`}>
        <ConfirmButton
          label="Revoke"
          accessibleName={`Revoke invitation for ${invitation.email}`}
          prompt="Revoke this invitation?"
          confirmLabel="Yes, revoke"
          pending={fetching}
          onConfirm={async () => {
            const result = await revoke({ id: invitation.id });
            if (!result.error) revalidator.revalidate();
          }}
        />
        <FormErrors error={error} className="mt-2 text-left" />
      </td>
    </tr>
  );
}

/** Who has access to an agency or a practice, the invitations still open, and a form to invite someone. */
export function MembersPanel({
  scope,
  members,
  invitations,
  viewerId,
  timeZone,
}: {
  scope: MembersScope;
  members: MemberRow[];
  invitations: InvitationRow[];
  viewerId: string;
  timeZone: string;
}) {
  return (
    <div className="space-y-6">
      <Card
        title="Members"
        description={
          scope.kind === "agency"
            ? `People with access to ${scope.name} and every one of its practices.`
            : `People with access to ${scope.name} only. Agency-wide members are managed on the agency's Users page.`
        }
      >
        {members.length === 0 ? (
          <p className="text-sm text-slate-600">Nobody has direct access yet. Invite someone below.</p>
        ) : (
          <TableFrame label="Members">
            <thead>
              <tr>
                <th scope="col" className={th}>
                  Name
                </th>
                <th scope="col" className={th}>
                  Two-factor
                </th>
                <th scope="col" className={th}>
                  Role
                </th>
                <th scope="col" className={th}>
                  Since
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((m) => {
                const isSelf = m.user.id === viewerId;
                return (
                  <tr key={m.id}>
                    <td className={td}>
                      <div className="font-medium text-slate-900">
                        {m.user.displayName}
                        {isSelf ? <span className="ml-2 text-xs font-normal text-slate-600">(you)</span> : null}
                      </div>
                      <div className="text-slate-600">{m.user.email}</div>
                    </td>
                    <td className={td}>{m.user.mfaEnabled ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>}</td>
                    <td className={td}>
                      <RoleCell member={m} isSelf={isSelf} />
                    </td>
                    <td className={td}>{formatDate(m.createdAt, timeZone)}</td>
                    <td className={`${td} text-right`}>
                      <RemoveCell member={m} scopeName={scope.name} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </TableFrame>
        )}
      </Card>

      <Card title="Pending invitations" description="Invitations not yet accepted. Each link works for 7 days.">
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-600">No pending invitations.</p>
        ) : (
          <TableFrame label="Pending invitations">
            <thead>
              <tr>
                <th scope="col" className={th}>
                  E-mail
                </th>
                <th scope="col" className={th}>
                  Role
                </th>
                <th scope="col" className={th}>
                  Sent
                </th>
                <th scope="col" className={th}>
                  Expires
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {invitations.map((i) => (
                <InvitationRowView key={i.id} invitation={i} timeZone={timeZone} />
              ))}
            </tbody>
          </TableFrame>
        )}
      </Card>

      <Card title="Invite someone" description={`They get an e-mail with a link to join ${scope.name}.`}>
        <InviteForm scope={scope} />
      </Card>
    </div>
  );
}
