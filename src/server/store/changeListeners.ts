/**
 * Who wants to hear of a session's changes, by session id: the memory store, the Redis store's
 * subscriber and the handler's own feed keep one each. A listener that throws cannot keep the others
 * (or the write that notified them) from going on.
 */
export class ChangeListeners {
  private readonly byId = new Map<string, Set<() => void>>();

  /** Starts calling `listener` for changes of `id`; the function returned stops it. */
  add(id: string, listener: () => void): () => void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byId.get(id) === set) this.byId.delete(id);
    };
  }

  /** Sessions someone listens to. */
  get size(): number {
    return this.byId.size;
  }

  /** Whether someone listens to `id`. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The sessions someone listens to. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  notify(id: string): void {
    for (const listener of [...(this.byId.get(id) ?? [])]) call(listener);
  }

  /** Everyone: after a gap in which changes may have been missed. */
  notifyAll(): void {
    for (const set of [...this.byId.values()]) for (const listener of [...set]) call(listener);
  }
}

function call(listener: () => void): void {
  try {
    listener();
  } catch {
    // A listener's failure is its own; the write it heard of has happened.
  }
}
