import { ChangeListeners } from '../store/changeListeners.js';
import type { SessionStore } from '../store/sessionStore.js';
import { AssetBudget } from './assetBudget.js';
import type { ResolvedAssetOptions } from './assetOptions.js';
import type { AssetRecord, GroupListing } from './assetRecord.js';
import { AssetTimers } from './assetTimers.js';

/** What the asset routes share, built once per handler when the `assets` option is set. */
export interface AssetContext {
  options: ResolvedAssetOptions;
  budget: AssetBudget;
  timers: AssetTimers;
  /** In-process single flight of a group's listing, keyed by its record key. */
  listings: Map<string, Promise<GroupListing | undefined>>;
  /** In-process single flight of an asset's step, keyed by asset id. */
  steps: Map<string, Promise<AssetRecord | undefined>>;
  /** This process's writes to asset records, heard at once by its event streams (others' are read every interval). */
  changes: ChangeListeners;
}

export function assetContext(options: ResolvedAssetOptions, store: SessionStore, clock: () => number, backgroundTimers: boolean, advance: (assetId: string) => void): AssetContext {
  return {
    options,
    budget: new AssetBudget(store, { create: options.createRateLimit, list: options.listRateLimit, subject: options.subjectRateLimit }, clock),
    timers: new AssetTimers(backgroundTimers, clock, advance),
    listings: new Map(),
    steps: new Map(),
    changes: new ChangeListeners(),
  };
}
