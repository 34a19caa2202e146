// Retry policy shared by the queue consumers (webhooks, sync): exponential backoff with jitter.
// Attempt n waits about base·2^(n-1) seconds, capped, and a random half of that is shaved off so a
// burst of failures does not come back as a burst of retries.
export function retryDelaySeconds(attempt: number, baseSeconds = 10, capSeconds = 3600, random = Math.random): number {
  const exponential = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(exponential / 2 + (random() * exponential) / 2));
}
