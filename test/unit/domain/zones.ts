// The zones the domain tests are written against.
import { DAYS } from "../../../src/domain/types";
import type { Day, ZoneRules } from "../../../src/domain/types";

export const MON_SAT: Day[] = ["MON", "TUE", "WED", "THU", "FRI", "SAT"];
export const ALL: Day[] = [...DAYS];

// The demo zone from the Stamford guide: $2.00/h 08:00–18:00 Mon–Sat, 5 min grace, 4 h max stay.
export const A1: ZoneRules = {
  code: "A1",
  name: "Downtown Main Street",
  timezone: "America/New_York",
  rateSlots: [{ days: MON_SAT, start: "08:00", end: "18:00", rateCentsPerHour: 200 }],
  enforcement: [{ days: MON_SAT, start: "08:00", end: "18:00" }],
  graceMinutes: 5,
  maxStayMinutes: 240,
  incrementMinutes: 15,
};

// Two slots as in the Parkeon meter config: 08:00–18:00 at $2.00, 18:00–08:00 at $1.00, every day.
export const B2: ZoneRules = {
  ...A1,
  code: "B2",
  name: "Harbor Street",
  rateSlots: [
    { days: ALL, start: "08:00", end: "18:00", rateCentsPerHour: 200 },
    { days: ALL, start: "18:00", end: "08:00", rateCentsPerHour: 100 },
  ],
  enforcement: [{ days: ALL, start: "00:00", end: "24:00" }],
  graceMinutes: 10,
  maxStayMinutes: 720,
};
