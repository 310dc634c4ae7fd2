/**
 * `object` without its `undefined` properties (changed in place and returned), for results whose
 * optional fields must be absent rather than present as `undefined`: `{ a: 1, b: undefined }` → `{ a: 1 }`.
 * Give it a fresh object literal only.
 */
export function defined<T extends object>(object: T): T {
  for (const key in object) if (object[key] === undefined) delete object[key];
  return object;
}
