import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useHydrated } from "~/lib/use-hydrated";
import { formatMoney } from "~/lib/metrics";

export interface ChannelBar {
  name: string;
  productionCents: number;
  creditedPatients: number;
}

/**
 * Attributed production by channel. Drawn in the browser (recharts does not render on the server); the table beside
 * it carries the same figures for screen readers and for the page as served.
 */
export function ChannelChart({ channels }: { channels: ChannelBar[] }) {
  const hydrated = useHydrated();
  const rows = channels.filter((c) => c.productionCents > 0 || c.creditedPatients > 0).map((c) => ({ ...c, dollars: c.productionCents / 100 }));
  return (
    <figure aria-label="Attributed production by channel" className="h-72 w-full">
      {hydrated && rows.length ? (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid horizontal={false} stroke="#e2e8f0" />
            <XAxis type="number" tickFormatter={(v: number) => formatMoney(v * 100)} tick={{ fontSize: 12, fill: "#475569" }} />
            <YAxis type="category" dataKey="name" width={170} tick={{ fontSize: 12, fill: "#334155" }} />
            <Tooltip formatter={(v) => formatMoney(Number(v) * 100)} />
            <Bar dataKey="dollars" name="Production" fill="#4f46e5" isAnimationActive={false} radius={[0, 4, 4, 0]} />
          </BarChart>
        </ResponsiveContainer>
      ) : null}
    </figure>
  );
}
