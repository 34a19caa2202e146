// Reading a job's params inside a connector. A job whose params are wrong fails at once as a client
// error (not retried): asking the provider again would not make them right.
import { ProviderCallError } from "../sync/errors";

export const invalidParams = (message: string) => new ProviderCallError("client", `invalid params: ${message}`);

export function stringParam(params: Record<string, unknown>, name: string, pattern?: RegExp): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || (pattern && !pattern.test(v))) throw invalidParams(`${name} is not valid`);
  return v;
}

export function requiredString(params: Record<string, unknown>, name: string, pattern?: RegExp): string {
  const v = stringParam(params, name, pattern);
  if (v === undefined) throw invalidParams(`${name} is required`);
  return v;
}

export function intParam(params: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) throw invalidParams(`${name} must be a whole number from ${min} to ${max}`);
  return v as number;
}
