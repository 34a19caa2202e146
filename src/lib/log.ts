// The one logger: a JSON line per event, with a level and a message, fields beside them. Workers Logs
// and `wrangler tail` index the fields; nothing here ever receives a secret (callers pass ids, not values).
type Fields = Record<string, unknown>;

const line = (level: string, msg: string, fields: Fields) => JSON.stringify({ level, msg, ...fields });

export const log = {
  info: (msg: string, fields: Fields = {}) => console.log(line("info", msg, fields)),
  warn: (msg: string, fields: Fields = {}) => console.warn(line("warn", msg, fields)),
  error: (msg: string, fields: Fields = {}) => console.error(line("error", msg, fields)),
};

/** An error as a log field: its message, never its stack. */
export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
