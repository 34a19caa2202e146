// What the circuit breaker and rate limit add to each provider call, timed inside workerd where the
// sync consumer pays them: a throwaway ProviderGate, admit + report against a bare status() read.
import { call, expectStatus } from "../lib/http.mjs";
import { fmt, log } from "../lib/print.mjs";
import { settings } from "../lib/settings.mjs";

export const providerGateTiming = (base) =>
  expectStatus(call(base, "POST", "/internal/dev/bench/gate", { body: { calls: settings.gateCalls } }), 200, "gate timing");

export function printGate(gate) {
  log(
    `• provider gate, ${gate.calls} calls timed in workerd: admit + report ${fmt(gate.admitReportMeanUs, 0)} µs per call, ` +
      `against ${fmt(gate.statusMeanUs, 0)} µs for one bare read of the same object`,
  );
}
