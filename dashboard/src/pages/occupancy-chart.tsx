// The occupancy time series, drawn by uPlot. Loaded on the zone page only, so it is not in the first load.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Schemas } from "../api/client";

export default function OccupancyChart({ series }: { series: Schemas["ZoneOccupancySeries"] }) {
  const box = useRef<HTMLDivElement>(null);
  const xs = series.points.map((p) => Date.parse(p.at) / 1000);
  const ys = series.points.map((p) => p.occupied);
  const peak = ys.reduce((m, v, i) => (v > (ys[m] ?? -1) ? i : m), 0);

  useEffect(() => {
    const el = box.current!;
    const data: uPlot.AlignedData = series.capacity ? [xs, ys, xs.map(() => series.capacity)] : [xs, ys];
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 240,
        scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.1)] } },
        axes: [{}, { label: "sessions", size: 60 }],
        series: [
          {},
          { label: "Occupied", stroke: "#0b57d0", fill: "rgba(11,87,208,0.12)", width: 2 },
          ...(series.capacity ? [{ label: "Capacity", stroke: "#8a4b00", dash: [6, 4], width: 1.5 }] : []),
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series]);

  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`Sessions running every ${series.stepMinutes} minutes over the last day`} />
      <figcaption>
        Now {ys.at(-1) ?? 0} running{series.capacity ? ` of ${series.capacity}` : ""}; peak {ys[peak] ?? 0} at{" "}
        {new Date((xs[peak] ?? 0) * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}. From the zone's
        session history, every {series.stepMinutes} minutes.
      </figcaption>
    </figure>
  );
}
