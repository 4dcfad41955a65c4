import type { FullConfig } from "@playwright/test";
import { ApiClient, plainId } from "./support/api";
import { seedReportsPractice } from "./support/reports-seed";
import { waitForServerState, type Seed } from "./support/state";

/**
 * Seeds the fresh product through its public GraphQL API, as the first-run administrator: two agencies, three
 * practices and their locations, and a fourth practice whose records flow in from an office and a website (the
 * reports' data). Everything else (users, invitations, tokens) each spec creates for itself.
 */
export default async function globalSetup(_config: FullConfig): Promise<void> {
  const state = await waitForServerState();
  const admin = new ApiClient(state.baseUrl);
  if ((await admin.login(state.email, state.password)) !== "SIGNED_IN") throw new Error("the administrator could not sign in");

  const agency = async (name: string) => {
    const { createAgency } = await admin.request<{ createAgency: { id: string; name: string } }>(
      "mutation($n: String!) { createAgency(name: $n) { id name } }",
      { n: name },
    );
    return { id: plainId(createAgency.id), gid: createAgency.id, name: createAgency.name };
  };
  const practice = async (agencyKey: "harbor" | "northside", agencyGid: string, name: string, timeZone: string) => {
    const { createPractice } = await admin.request<{ createPractice: { id: string; name: string } }>(
      "mutation($a: ID!, $n: String!, $tz: String) { createPractice(agencyId: $a, name: $n, timeZone: $tz) { id name } }",
      { a: agencyGid, n: name, tz: timeZone },
    );
    return { id: plainId(createPractice.id), gid: createPractice.id, name: createPractice.name, agencyKey };
  };
  const location = async (practiceKey: string, practiceGid: string, name: string) => {
    const { createLocation } = await admin.request<{ createLocation: { id: string; name: string } }>(
      "mutation($p: ID!, $n: String!) { createLocation(practiceId: $p, name: $n) { id name } }",
      { p: practiceGid, n: name },
    );
    return { id: plainId(createLocation.id), gid: createLocation.id, name: createLocation.name, practiceKey };
  };

  const harbor = await agency("Harbor Marketing Group");
  const northside = await agency("Northside Health Partners");
  const brightSmiles = await practice("harbor", harbor.gid, "Bright Smiles Dental", "America/New_York");
  const lakeside = await practice("harbor", harbor.gid, "Lakeside Family Dentistry", "America/Chicago");
  const northsidePeds = await practice("northside", northside.gid, "Northside Pediatric Dentistry", "America/Denver");
  const seed: Seed = {
    admin: { email: state.email, password: state.password },
    agencies: { harbor, northside },
    practices: { brightSmiles, lakeside, northsidePeds },
    locations: {
      downtown: await location("brightSmiles", brightSmiles.gid, "Downtown"),
      uptown: await location("brightSmiles", brightSmiles.gid, "Uptown"),
      mainStreet: await location("lakeside", lakeside.gid, "Main Street"),
      cherryCreek: await location("northsidePeds", northsidePeds.gid, "Cherry Creek"),
    },
    // Last, and waited for: its sync, matching and attribution are done before any timed test starts.
    reports: await seedReportsPractice(admin, northside.gid),
  };
  // Workers inherit the environment of the process that ran global setup.
  process.env.E2E_SEED = JSON.stringify(seed);
}
