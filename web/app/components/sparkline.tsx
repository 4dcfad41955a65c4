/**
 * A trend as a tiny line, drawn as plain SVG so it is in the page as served (a charting library would draw it only
 * after hydration). Decorative next to its figures; the label says what it shows.
 */
export function Sparkline({ values, label, width = 96, height = 24 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  if (values.length < 2) return null;
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(" ");
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="text-indigo-600">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
