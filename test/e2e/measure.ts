// A test hands a number to the measurements reporter (measurementsReporter.ts) as an attachment.
import type { TestInfo } from '@playwright/test';

export type Measurement =
  | { passToVerifiedMs: number }
  | { failToFailedMs: number }
  | {
      statusPolling: {
        windowMs: number;
        visibleRequests: number;
        hiddenRequests: number;
        visiblePerMinute: number;
        hiddenPerMinute: number;
        requestsWithin1sOfShowing: number;
      };
    }
  | {
      streamRequests: {
        windowMs: number;
        visibleStatusRequests: number;
        hiddenStatusRequests: number;
        visiblePerMinute: number;
        hiddenPerMinute: number;
        streamsWhileHidden: number;
        statusRequestsWithin1sOfShowing: number;
        streamsWithin1sOfShowing: number;
      };
    }
  | { streamFault: { dropToFirstPollMs: number; pollsUntilOutcome: number; verifiedTransitions: number } };

export const MEASUREMENT = 'measurement';

export async function measure(testInfo: TestInfo, value: Measurement) {
  await testInfo.attach(MEASUREMENT, { body: JSON.stringify(value), contentType: 'application/json' });
}
