import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const open = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof open>;

// drizzle() walks the whole schema to build its relational config on every call, which showed up as
// about 6 % of the plate check's CPU; one instance per D1 binding is enough (it holds no request state).
const instances = new WeakMap<D1Database, Db>();

export function db(d1: D1Database): Db {
  let instance = instances.get(d1);
  if (!instance) {
    instance = open(d1);
    instances.set(d1, instance);
  }
  return instance;
}

/** Readiness: D1 answers, and is migrated (it has the tenants table). Rejects otherwise. */
export function pingDatabase(database: Db) {
  return database.run(sql`SELECT 1 FROM tenants LIMIT 1`);
}
