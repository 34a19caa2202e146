// Meters: what each Parkeon meter last reported (working or not, space taken, paid time left, battery,
// signal) and the alerts Curbgate raises from it; alerting meters first, by zone.
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../api/client";
import { ago, duration, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, ErrorNotice, Freshness, Page, SelectField, type Tone } from "../ui/kit";
import { Pager, useCursorPages } from "../ui/pager";

type Meter = Schemas["Meter"];
type Alert = Schemas["MeterAlert"];

const POLL_MS = 15_000;
const ALERT: Record<Alert, [string, Tone]> = {
  offline: ["offline", "bad"],
  fault: ["fault", "bad"],
  low_battery: ["low battery", "warn"],
};

const AlertBadges = ({ alerts }: { alerts: Alert[] }) =>
  alerts.length === 0 ? (
    <span class="muted">none</span>
  ) : (
    <span class="badges">
      {alerts.map((a) => (
        <Badge tone={ALERT[a][1]}>{ALERT[a][0]}</Badge>
      ))}
    </span>
  );

/** Paid time left now: the report's remaining time, counted down since it arrived. */
function timeLeft(m: Meter, now: number) {
  if (!m.status) return "—";
  const left = Math.max(0, Math.floor((Date.parse(m.status.paidUntil) - now) / 1000));
  if (left > 0)
    return (
      <>
        {duration(left)} <span class="muted sub">until {when(m.status.paidUntil)}</span>
      </>
    );
  return m.status.spaceOccupied ? "expired" : "—";
}

function MeterRow({ m }: { m: Meter }) {
  const s = m.status;
  const low = m.alerts.includes("low_battery");
  return (
    <tr data-meter={m.id}>
      <th scope="row">
        {m.id} {m.address && <span class="muted sub">{m.address}</span>}
      </th>
      <td>
        <Link href={`/zones/${m.zone}`}>{m.zone}</Link>
      </td>
      <td>
        {!s ? (
          <Badge tone="neutral">never reported</Badge>
        ) : s.operational ? (
          <Badge tone="good">operational</Badge>
        ) : (
          <Badge tone="bad">fault</Badge>
        )}
      </td>
      <td>{!s ? "—" : s.spaceOccupied ? "occupied" : "free"}</td>
      <td>{timeLeft(m, Date.now())}</td>
      <td class={low ? "low" : undefined} data-testid="battery">
        {s?.batteryPercent == null ? "—" : `${s.batteryPercent} %`} {low && <Badge tone="warn">low</Badge>}
      </td>
      <td>{s?.signalDbm == null ? "—" : `${s.signalDbm} dBm`}</td>
      <td>
        {s ? (
          <>
            {when(s.reportedAt)} <span class="muted sub">{ago(s.reportedAt)}</span>
          </>
        ) : (
          <span class="muted">
            never <span class="sub">registered {ago(m.registeredAt)}</span>
          </span>
        )}
      </td>
      <td>
        <AlertBadges alerts={m.alerts} />
      </td>
    </tr>
  );
}

function Alerts() {
  const monitoring = usePoll(() => ok(api.GET("/v1/monitoring/meters")), POLL_MS);
  const m = monitoring.data;
  return (
    <section class="card" aria-labelledby="meter-alerts" data-testid="meter-alerts">
      <h2 id="meter-alerts">Alerts</h2>
      <ErrorNotice error={monitoring.error} />
      {m && (
        <>
          <p class="hint">
            {m.counts.offline ?? 0} offline · {m.counts.fault ?? 0} faulty · {m.counts.low_battery ?? 0} low on battery. A meter
            is offline after {m.thresholds.offlineMinutes} min without a report; its battery is low at{" "}
            {m.thresholds.lowBatteryPercent} % or less.
          </p>
          {m.zones.length === 0 ? (
            <Empty>No meter shows an alert.</Empty>
          ) : (
            m.zones.map((z) => (
              <div data-alert-zone={z.zone}>
                <h3>Zone {z.zone}</h3>
                <ul class="plain">
                  {z.meters.map((meter) => (
                    <li data-alert-meter={meter.id}>
                      <strong>{meter.id}</strong> <AlertBadges alerts={meter.alerts} />{" "}
                      <span class="muted">
                        {meter.status ? `last report ${ago(meter.status.reportedAt)}` : "never reported"}
                        {meter.status?.batteryPercent != null && `, battery ${meter.status.batteryPercent} %`}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </>
      )}
    </section>
  );
}

export function Meters() {
  const [zone, setZone] = useState("");
  const pages = useCursorPages();
  const zones = usePoll(() => ok(api.GET("/v1/zones")), 0);
  const meters = usePoll(
    () =>
      ok(
        api.GET("/v1/meters", {
          params: { query: { ...(zone ? { zone } : {}), ...(pages.cursor ? { after: pages.cursor } : {}), limit: 50 } },
        }),
      ),
    POLL_MS,
    [zone, pages.cursor],
  );

  return (
    <Page title="Meters" actions={<Freshness poll={meters} />}>
      <Alerts />
      <section class="card" aria-labelledby="meter-list">
        <h2 id="meter-list">Every meter</h2>
        <div class="row">
          <SelectField
            label="Zone"
            value={zone}
            onValue={(z) => {
              pages.reset();
              setZone(z);
            }}
            options={[["", "Any zone"], ...(zones.data?.data ?? []).map((z): [string, string] => [z.code, z.code])]}
          />
        </div>
        {meters.data &&
          (meters.data.data.length === 0 ? (
            <Empty>No meter is registered{zone ? ` in zone ${zone}` : ""}.</Empty>
          ) : (
            <table>
              <caption class="visually-hidden">Meters by id, with their last report</caption>
              <Columns
                names={["Meter", "Zone", "Status", "Space", "Paid time left", "Battery", "Signal", "Last report", "Alerts"]}
              />
              <tbody>
                {meters.data.data.map((m) => (
                  <MeterRow m={m} />
                ))}
              </tbody>
            </table>
          ))}
        <Pager pages={pages} nextCursor={meters.data?.nextAfter} what="meters" />
      </section>
    </Page>
  );
}
