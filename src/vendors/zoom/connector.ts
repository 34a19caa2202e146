// Zoom Meetings API v2 (developers.zoom.us), entity "meetings": schedule a meeting (a permit appeal
// hearing, a parking board session) and list the scheduled ones. OAuth 2 authorisation code with
// PKCE; access tokens live an hour; every refresh returns a new refresh token and retires the old
// one, so the newest is stored at once. Zoom takes no idempotency key: a job retried after an
// ambiguous failure (a timeout after Zoom created the meeting) can create it twice; refused and
// failed calls (429, 5xx, breaker open) created nothing, so their retries are safe.
import { intParam, requiredString, stringParam } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const MAX_PAGES = 20;

interface ZoomMeeting {
  id: number;
  uuid: string;
  topic: string;
  start_time?: string;
  join_url: string;
  duration: number;
}

async function scheduleMeeting(ctx: ConnectorContext, job: SyncJobInput) {
  const body: Record<string, unknown> = {
    topic: requiredString(job.params, "topic", /^.{1,200}$/s),
    type: 2, // scheduled
    start_time: requiredString(job.params, "startTime", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    duration: intParam(job.params, "durationMinutes", 1, 1440) ?? 60,
    timezone: stringParam(job.params, "timezone", /^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/) ?? "UTC",
  };
  const agenda = stringParam(job.params, "agenda", /^.{0,2000}$/s);
  if (agenda) body.agenda = agenda;
  const res = await ctx.call<ZoomMeeting>({
    method: "POST",
    path: "/v2/users/me/meetings",
    body,
    idempotencyKey: ctx.key("meeting"),
  });
  return { records: 1, detail: { meetingId: res.body.id, joinUrl: res.body.join_url, startTime: res.body.start_time ?? null } };
}

async function listMeetings(ctx: ConnectorContext) {
  let token: string | undefined;
  let pages = 0;
  let records = 0;
  do {
    const res = await ctx.call<{ meetings: ZoomMeeting[]; next_page_token?: string; total_records: number }>({
      method: "GET",
      path: "/v2/users/me/meetings",
      query: { type: "scheduled", page_size: 300, next_page_token: token },
    });
    pages++;
    records += res.body.meetings.length;
    token = res.body.next_page_token || undefined;
  } while (token && pages < MAX_PAGES);
  return { records, detail: { pages, complete: token === undefined } };
}

export const connector: Connector = {
  provider: "zoom",
  defaultBaseUrl: "https://api.zoom.us",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.accessToken ?? ""}`),
  idempotencyHeader: undefined, // none; see the note at the top
  rateLimitPerMinute: 600, // Zoom's "medium" APIs allow 20/s per account; meeting creation also has a daily cap per user
  async test(ctx) {
    const res = await ctx.call<{ id: string; account_id: string; type: number }>({ method: "GET", path: "/v2/users/me" });
    return { userId: res.body.id, accountId: res.body.account_id, type: res.body.type };
  },
  entities: {
    meetings: {
      directions: ["push", "pull"],
      description:
        "Push: schedule params.topic at params.startTime (UTC) for params.durationMinutes (params.timezone, params.agenda). Pull: every scheduled meeting.",
      run: (ctx, job) => (job.direction === "push" ? scheduleMeeting(ctx, job) : listMeetings(ctx)),
    },
  },
  oauth: {
    grant: "authorization_code",
    authorizeUrl: "https://zoom.us/oauth/authorize",
    tokenUrl: "https://zoom.us/oauth/token",
    scopes: ["meeting:write", "meeting:read", "user:read"],
    pkce: true,
    clientAuth: "basic",
  },
};
