// enforcement.start_shift and enforcement.end_shift. The Stamford integration guide (docs/sources.md) lists
// the two events but gives no body, so `data` is Curbgate's choice (README.md, "Where Curbgate chose"):
//
//   start_shift: { officerId, officerName?, deviceId?, zones?: ["A1", …], startedAt? }
//   end_shift:   { officerId, deviceId?, endedAt? }
//
// startedAt / endedAt default to the envelope's `timestamp`: when IPS says the event happened.
import { recordShiftEnd, recordShiftStart } from "../../effects/shifts";
import type { EffectHandler, NormalizedEvent } from "../../webhooks/contract";
import { instant, required, str } from "../shared/delivery";

const MAX_ZONES = 50;

const text = (v: unknown, max: number) => {
  const s = str(v);
  return s && s.length <= max ? s : null;
};

function when(event: NormalizedEvent, field: "startedAt" | "endedAt", nowMs: number): number {
  const given = event.data[field];
  if (given === undefined) return event.occurredAtMs ?? nowMs;
  return required(instant(given), event, `a readable data.${field}`);
}

function zonesOf(event: NormalizedEvent): string[] | null {
  const zones = event.data.zones;
  if (zones === undefined || zones === null) return null;
  if (
    !Array.isArray(zones) ||
    zones.length > MAX_ZONES ||
    !zones.every((z) => typeof z === "string" && /^[A-Za-z0-9-]{1,16}$/.test(z))
  )
    throw new Error(`${event.type} with data.zones that is not a list of at most ${MAX_ZONES} zone codes`);
  return [...new Set(zones.map((z: string) => z.toUpperCase()))];
}

const officerOf = (event: NormalizedEvent) => required(text(event.data.officerId, 128), event, "data.officerId");

export const startShift: EffectHandler = (event, ctx) =>
  recordShiftStart(ctx, {
    officerId: officerOf(event),
    officerName: text(event.data.officerName, 200),
    deviceId: text(event.data.deviceId, 128),
    zones: zonesOf(event),
    startedAt: when(event, "startedAt", ctx.nowMs),
  });

export const endShift: EffectHandler = (event, ctx) =>
  recordShiftEnd(ctx, { officerId: officerOf(event), endedAt: when(event, "endedAt", ctx.nowMs) });
