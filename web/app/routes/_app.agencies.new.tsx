import type { FormEvent } from "react";
import type { MetaFunction } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { useMutation } from "urql";
import { graphql } from "~/gql";
import { RouteErrorBoundary } from "~/components/route-error";
import { Alert, Card, FormErrors, PageHeader, SubmitButton, TextField } from "~/components/ui";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { useShell } from "~/lib/shell";

export const meta: MetaFunction = () => pageTitle("New agency");

const CreateAgencyMutation = graphql(`
  mutation CreateAgency($name: String!) {
    createAgency(name: $name) {
      id
      name
    }
  }
`);

export default function NewAgencyPage() {
  const shell = useShell();
  const navigate = useNavigate();
  const [{ fetching, error }, createAgency] = useMutation(CreateAgencyMutation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name"));
    const result = await createAgency({ name });
    if (result.data) navigate(`${paths.agencySettings(fromGlobalId(result.data.createAgency.id))}#practices`);
  }

  return (
    <>
      <PageHeader eyebrow="Platform administration" title="New agency" description="You become the agency's first admin and can invite its people." />
      <Card className="max-w-xl">
        {!shell.viewer.platformAdmin ? (
          <Alert tone="warning">Only platform administrators can create agencies.</Alert>
        ) : (
          <form method="post" onSubmit={onSubmit} className="space-y-4">
            <FormErrors error={error} />
            <TextField label="Agency name" name="name" required autoComplete="organization" />
            <SubmitButton pending={fetching} pendingLabel="Creating…">
              Create agency
            </SubmitButton>
          </form>
        )}
      </Card>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
