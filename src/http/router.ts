// Every route group is an OpenAPIHono whose validation failures become problem+json with field errors.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { fieldErrors, problemResponse, type FieldError } from "./problem";

const LOCATION: Record<string, FieldError["location"]> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
};

export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const location = LOCATION[result.target] ?? "body";
      // An unknown path parameter names a resource that does not exist; everything else is a 422.
      const status = location === "path" ? 404 : 422;
      return problemResponse(c, status, status === 404 ? "No such resource" : "Some fields are invalid", {
        errors: fieldErrors(location, result.error.issues),
      });
    },
  });
}
