// Local-development only: the demo seed. Never mounted unless ENVIRONMENT=development and DEMO_SEED=true.
import { Hono } from "hono";
import { seedDemo } from "../dev/seed";
import type { AppEnv } from "../env";

export const devRoutes = new Hono<AppEnv>().post("/internal/dev/seed", async (c) => {
  if (c.env.ENVIRONMENT !== "development" || c.env.DEMO_SEED !== "true") return c.notFound();
  return c.json(await seedDemo(c.env));
});
