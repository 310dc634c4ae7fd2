/**
 * Timers that look at an asset again when something about it falls due (its group's next listing, a
 * retry of `onAssetActive`), on long-lived servers only as a bonus: status requests and event streams
 * drive the same steps, and on serverless platforms timers may never fire. One timer per asset, the
 * earliest wins; unref'd, so they never keep a process alive.
 */
export class AssetTimers {
  private readonly pending = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly enabled: boolean,
    private readonly clock: () => number,
    private readonly run: (assetId: string) => void,
  ) {}

  schedule(assetId: string, at: number | undefined): void {
    if (!this.enabled || at === undefined) return;
    const existing = this.pending.get(assetId);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        this.pending.delete(assetId);
        this.run(assetId);
      },
      Math.max(0, at - this.clock()),
    );
    (timer as { unref?: () => void }).unref?.();
    this.pending.set(assetId, { at, timer });
  }
}
