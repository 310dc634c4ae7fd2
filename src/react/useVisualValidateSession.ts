import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import { useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { LivenessSessionController, type LivenessSessionOptions } from '../core/lifecycle/LivenessSessionController.js';
import type { LivenessSessionSnapshot } from '../core/lifecycle/livenessState.js';
import type { SessionRequestOptions } from './visualValidateSessionOptions.js';
import { toWireLocale } from './toWireLocale.js';

export { LivenessStatus } from '../core/lifecycle/livenessState.js';
export type { LivenessCallbacks, LivenessState } from '../core/lifecycle/livenessState.js';

/** Options of {@link useVisualValidateSession}. */
export interface UseVisualValidateSessionOptions extends Omit<LivenessSessionOptions, 'locale'>, SessionRequestOptions {}

export type UseVisualValidateSessionResult = LivenessSessionSnapshot;

const toCore = (options: UseVisualValidateSessionOptions): LivenessSessionOptions => ({ ...options, locale: toWireLocale(options.locale) });

/**
 * Creates one verification session through the app's backend, then waits for its outcome. Exactly one
 * create request per mounted consumer, also under `<React.StrictMode>`; `retry()` creates exactly one
 * more. Uses the app's `QueryClientProvider` when there is one (or `queryClient`), a private one otherwise.
 * The lifecycle is core's `LivenessSessionController`; this hook only connects it to React.
 */
export function useVisualValidateSession(options: UseVisualValidateSessionOptions, queryClient?: QueryClient): UseVisualValidateSessionResult {
  const appClient = useContext(QueryClientContext);
  const [controller] = useState(() => {
    const client = queryClient ?? appClient;
    return new LivenessSessionController(toCore(options), client ?? new QueryClient(), !client);
  });
  // Only committed options reach the controller; its first subscriber (below) mounts it.
  useEffect(() => controller.setOptions(toCore(options)));
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getServerSnapshot);
}
