import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { duration, money, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Columns, Empty, ErrorNotice, Freshness, Page } from "../ui/kit";
import { RulesEditor } from "./zone-rules";

type Chart = typeof import("./occupancy-chart").default;

/** uPlot is fetched when a zone page first needs it, not on the first load. */
function useChart() {
  const [chart, setChart] = useState<{ Chart: Chart } | null>(null);
  useEffect(() => void import("./occupancy-chart").then((m) => setChart({ Chart: m.default })), []);
  return chart?.Chart ?? null;
}

export function Zone({ code }: { code: string }) {
  const zone = usePoll(() => ok(api.GET("/v1/zones/{code}", { params: { path: { code } } })), 0, [code]);
  const sessions = usePoll(() => ok(api.GET("/v1/zones/{code}/sessions", { params: { path: { code }, query: {} } })), 10_000, [
    code,
  ]);
  const OccupancyChart = useChart();
  const series = usePoll(() => ok(api.GET("/v1/zones/{code}/occupancy", { params: { path: { code }, query: {} } })), 60_000, [
    code,
  ]);

  return (
    <Page
      title={zone.data ? `Zone ${zone.data.code} · ${zone.data.name}` : `Zone ${code}`}
      actions={<Link href="/zones">All zones</Link>}
    >
      <ErrorNotice error={zone.error} />
      <section aria-labelledby="zone-chart" class="card">
        <h2 id="zone-chart">Occupancy, last 24 hours</h2>
        <Freshness poll={series} />
        {series.data && (OccupancyChart ? <OccupancyChart series={series.data} /> : <p>Loading the chart…</p>)}
      </section>

      <section aria-labelledby="zone-sessions" class="card">
        <h2 id="zone-sessions">Live sessions</h2>
        <Freshness poll={sessions} />
        {sessions.data &&
          (sessions.data.data.length === 0 ? (
            <Empty>No session is running in this zone.</Empty>
          ) : (
            <table>
              <Columns names={["Plate", "Started", "Paid until", "Remaining", "Amount"]} />
              <tbody>
                {sessions.data.data.map((s) => (
                  <tr>
                    <th scope="row">
                      {s.plate} {s.state && <span class="muted">{s.state}</span>}
                    </th>
                    <td>{when(s.startTime)}</td>
                    <td>{when(s.endTime)}</td>
                    <td>{s.secondsRemaining > 0 ? duration(s.secondsRemaining) : "in grace or expiring"}</td>
                    <td>{money(s.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>

      {zone.data && <RulesEditor zone={zone.data} onSaved={() => void zone.reload()} />}
    </Page>
  );
}
