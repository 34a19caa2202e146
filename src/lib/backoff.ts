// The one exponential backoff: retry n waits base·2^(n-1), capped. Callers pick base and cap in their
// own units (seconds for queue consumers, milliseconds inside Durable Objects).
export function exponentialBackoff(retry: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, retry - 1));
}

// Retry policy shared by the queue consumers (webhooks, sync): the backoff above with jitter. A random
// half of the wait is shaved off so a burst of failures does not come back as a burst of retries.
export function retryDelaySeconds(attempt: number, baseSeconds = 10, capSeconds = 3600, random = Math.random): number {
  const exponential = exponentialBackoff(attempt, baseSeconds, capSeconds);
  return Math.max(1, Math.round(exponential / 2 + (random() * exponential) / 2));
}
