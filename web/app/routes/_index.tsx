import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { homePath, loadShell } from "~/lib/shell.server";

/** `/` has no page of its own: it sends each person to the first place they can work in. */
export async function loader(args: LoaderFunctionArgs) {
  throw redirect(homePath(await loadShell(args)));
}
