// The reference for every ratio: a route that does almost nothing, measured in the same run.
export const trivial = { id: "trivial", title: "GET /health/live (trivial)", method: "GET", path: "/health/live", headers: {} };
