import type { LeadStage, PatientStage } from "~/gql/graphql";
import { Badge } from "./ui";

/** The funnel's stages as every screen shows them: a lead's (lead → treatment) and a patient's (seen, treatment). */
const STAGES: Record<LeadStage, { label: string; tone: "neutral" | "amber" | "indigo" | "green" }> = {
  LEAD: { label: "Lead", tone: "neutral" },
  SCHEDULED: { label: "Scheduled", tone: "amber" },
  SEEN: { label: "Seen", tone: "indigo" },
  TREATMENT: { label: "In treatment", tone: "green" },
};

export function StageBadge({ stage }: { stage: LeadStage | PatientStage }) {
  return (
    <span className="whitespace-nowrap">
      <Badge tone={STAGES[stage].tone}>{STAGES[stage].label}</Badge>
    </span>
  );
}
