// A session id names its zone (`ses_A1_4Fh8kPq2xZt9mWc3bNv7`), so `GET /v1/sessions/{id}` and a payment
// webhook reach the zone's object from the id alone. The random part is passed in: the domain stays pure.

/** Zone code (as `ZoneCode` accepts it: no underscore), then 20 letters or digits. */
export const SESSION_ID_PATTERN = /^ses_[A-Za-z0-9-]{1,16}_[A-Za-z0-9]{20}$/;

/** How many random characters follow the zone code. */
export const SESSION_TOKEN_LENGTH = 20;

export const newSessionId = (zoneCode: string, token: string): string => `ses_${zoneCode}_${token}`;

export const isSessionId = (id: string): boolean => SESSION_ID_PATTERN.test(id);

/** The zone code inside a well-formed id (check it with isSessionId or SESSION_ID_PATTERN first). */
export const zoneOfSessionId = (id: string): string => id.split("_")[1]!;
