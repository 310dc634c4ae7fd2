/** A parsed JSON object: its fields are still unchecked. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not `null`, not an array), so that its fields can be read. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
