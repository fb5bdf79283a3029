// Runs over time, stacked by status, drawn with uPlot (canvas) in the browser only.
// uPlot has no stacked mode: each series is the running total up to its status, drawn
// from the top total down so every status shows as its own band of the bar.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const STATUS_COLORS: Record<string, string> = {
  succeeded: '#10b981',
  failed: '#ef4444',
  cancelled: '#94a3b8',
  running: '#0ea5e9',
  waiting: '#f59e0b',
  queued: '#a78bfa',
};
const ORDER = ['succeeded', 'failed', 'cancelled', 'running', 'waiting', 'queued'] as const;

export interface RunsSeries {
  at: string;
  counts: Record<string, number>;
}

export function RunsChart({ series, bucketSeconds }: { series: RunsSeries[]; bucketSeconds: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = series.map((point) => Date.parse(point.at) / 1000);
    const totals = ORDER.map((_, k) =>
      series.map((point) => ORDER.slice(0, k + 1).reduce((sum, status) => sum + (point.counts[status] ?? 0), 0)),
    );
    const own = (status: string, index: number) => series[index]?.counts[status] ?? 0;
    const bars = uPlot.paths.bars!({ size: [0.8, 40] });
    const drawOrder = [...ORDER.keys()].reverse();
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height: 220,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{}, { label: `runs per ${bucketSeconds >= 3600 ? `${bucketSeconds / 3600} h` : `${Math.round(bucketSeconds / 60)} min`}` }],
        series: [
          {},
          ...drawOrder.map((k) => ({
            label: ORDER[k],
            fill: STATUS_COLORS[ORDER[k]!],
            stroke: STATUS_COLORS[ORDER[k]!],
            paths: bars,
            points: { show: false },
            value: (_u: uPlot, _v: number | null, _s: number, index: number | null) =>
              index === null ? '-' : String(own(ORDER[k]!, index)),
          })),
        ],
      },
      [xs, ...drawOrder.map((k) => totals[k]!)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, bucketSeconds]);
  return <div ref={box} role="img" aria-label="Runs over time by status" className="w-full" />;
}
