// The component's lazily loaded parts, each behind a gate a test opens (as a slow network would let its
// chunk through): the same modules as src/react/lazyParts.ts, and a count of the loads each part started.
// A test file mocks lazyParts with `gatedParts(gates)`, its gates made with vi.hoisted.
import { flushMicrotasks } from './helpers';

export type PartName = 'qrCodeImage' | 'laterText' | 'openedView' | 'outcomeView' | 'errorMessage' | 'consentView' | 'countdown' | 'inAppBrowser';
export type Gates = Record<PartName, { open: () => void; opened: Promise<void>; loads: number }>;

export async function gatedParts(gates: Gates) {
  const { lazyPart } = await import('../../src/react/lazyPart');
  const gated = <T,>(name: PartName, load: () => Promise<T>) =>
    lazyPart(async () => {
      gates[name].loads += 1;
      await gates[name].opened;
      return load();
    });
  return {
    qrCodeImage: gated('qrCodeImage', () => import('../../src/react/views/QrCodeImage')),
    laterText: gated('laterText', () => import('../../src/react/text/laterTextEn')),
    openedView: gated('openedView', () => import('../../src/react/views/OpenedView')),
    outcomeView: gated('outcomeView', () => import('../../src/react/views/OutcomeView')),
    errorMessage: gated('errorMessage', () => import('../../src/react/text/errorMessage')),
    consentView: gated('consentView', () => import('../../src/react/views/ConsentView')),
    countdown: gated('countdown', () => import('../../src/react/views/Countdown')),
    inAppBrowser: gated('inAppBrowser', () => import('../../src/react/detectInAppBrowser')),
  };
}

export const loadsOf = (gates: Gates) => Object.fromEntries(Object.entries(gates).map(([name, gate]) => [name, gate.loads])) as Record<PartName, number>;

/**
 * Opens a part's gate and checks the page the way a browser would see it: outside act(), once the
 * microtasks the arrival queues have run, before any task or timer.
 */
export async function arrivesThen(gates: Gates, parts: Record<PartName, { load(): Promise<unknown> }>, name: PartName, check: () => void) {
  const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const actEnvironment = environment.IS_REACT_ACT_ENVIRONMENT;
  environment.IS_REACT_ACT_ENVIRONMENT = false;
  try {
    gates[name].open();
    await parts[name].load();
    await flushMicrotasks();
    check();
  } finally {
    environment.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
  }
}
