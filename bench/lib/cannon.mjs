// One autocannon run against the worker, and a request source for pre-built bodies.
import autocannon from "autocannon";
import { settings } from "./settings.mjs";

/** A request source cycling through a pool of pre-built bodies. */
export function pooled(bodies) {
  let i = 0;
  return (req) => ({ ...req, body: bodies[i++ % bodies.length] });
}

/**
 * One autocannon run. Latencies are collected from every response at sub-millisecond resolution
 * (autocannon's own histogram records whole milliseconds, too coarse for a 2x ratio near 1 ms).
 *
 * `graceful` runs (webhook ingestion) never cut a request off: when the window ends, autocannon
 * normally destroys its connections with up to one request each still in flight, which the server
 * may already have accepted although the bench never sees the answer. Here each connection instead
 * stops after the response it is waiting for. Throughput counts the responses inside the window
 * only; the latencies and statuses of the few that finish after it are kept.
 */
export function cannon(base, { method, path, headers, setupRequest, onResponse, graceful, connections }, seconds) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let inWindow = 0;
    const instance = autocannon(
      {
        url: base,
        connections: connections ?? settings.connections,
        duration: graceful ? seconds + 30 : seconds, // graceful: a ceiling; the run ends when every connection has stopped
        requests: [
          {
            method,
            path,
            headers: { ...headers },
            ...(setupRequest ? { setupRequest } : {}),
            ...(onResponse ? { onResponse } : {}),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          latencies,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: graceful ? seconds : result.duration,
          responses: graceful ? inWindow : latencies.length,
          afterWindow: graceful ? latencies.length - inWindow : 0,
        });
      },
    );
    instance.on("response", (client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (!graceful) return;
      if (performance.now() < deadline) inWindow++;
      else client.responseMax = client.reqsMade; // autocannon closes this connection instead of sending another request
    });
  });
}
