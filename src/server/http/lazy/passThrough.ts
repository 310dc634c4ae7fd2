/**
 * Makes the prototype `to` inherit from `from` (a `Request`'s, a `Response`'s or a `Headers`'), and
 * defines each member of `from` that `to` lacks, and that is not one of the instances' own fields
 * (`own`), as a pass-through to the real object `target(this)` returns. What the lazy request, its
 * headers and the JSON answer do not answer themselves, the real thing answers.
 */
export function passThrough(to: object, from: object, own: readonly string[], target: (self: object) => object): void {
  for (const name of Reflect.ownKeys(from)) {
    if (name === 'constructor' || name === Symbol.toStringTag || own.includes(name as string) || Object.prototype.hasOwnProperty.call(to, name)) continue;
    const { get, value } = Object.getOwnPropertyDescriptor(from, name) as { get?: () => unknown; value?: unknown };
    const read = (self: object) => (target(self) as Record<PropertyKey, unknown>)[name];
    if (get) {
      Object.defineProperty(to, name, {
        configurable: true,
        get(this: object) {
          return read(this);
        },
      });
    } else if (typeof value === 'function') {
      Object.defineProperty(to, name, {
        configurable: true,
        writable: true,
        value(this: object, ...args: unknown[]) {
          return (read(this) as (...a: unknown[]) => unknown).apply(target(this), args);
        },
      });
    }
  }
  Object.setPrototypeOf(to, from);
}
