import { useMutation } from "urql";
import { graphql } from "~/gql";
import { cx } from "~/components/ui";
import { useHydrated } from "~/lib/use-hydrated";

const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

/** Signs out, then reloads on the sign-in page so no signed-in state survives in memory. */
export function SignOutButton({ className }: { className?: string }) {
  const [{ fetching }, logout] = useMutation(LogoutMutation);
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      disabled={!hydrated || fetching}
      onClick={async () => {
        await logout({});
        window.location.assign("/login");
      }}
      className={cx(className)}
    >
      {fetching ? "Signing out…" : "Sign out"}
    </button>
  );
}
