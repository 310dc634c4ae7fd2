// The component's lazily loaded parts, each behind a gate a test opens (as a slow network would let its
// chunk through), with a count of the loads each part started. A test file mocks lazyParts with them:
//   const gates = vi.hoisted((): Gates => ({}));
//   vi.mock('../../src/react/lazyParts', async (original) => (await import('./gatedParts')).gatedParts(gates, await original()));
// Every part of src/react/lazyParts.ts is gated, a new one too: its gate is made when first asked for.
import type * as lazyParts from '../../src/react/lazyParts';
import { flushMicrotasks } from './helpers';

export type PartName = keyof typeof lazyParts;
export interface Gate {
  open: () => void;
  opened: Promise<void>;
  loads: number;
}
export type Gates = Partial<Record<PartName, Gate>>;

/** The gate of one part, made on first use. */
export function gateOf(gates: Gates, name: PartName): Gate {
  if (!gates[name]) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates[name] = { open, opened, loads: 0 };
  }
  return gates[name];
}

/** The real parts, each loading only once its gate is open. */
export async function gatedParts(gates: Gates, real: typeof lazyParts): Promise<typeof lazyParts> {
  const { lazyPart } = await import('../../src/react/lazyPart');
  const entries = Object.entries(real).map(([name, part]) => [
    name,
    lazyPart(async () => {
      const gate = gateOf(gates, name as PartName);
      gate.loads += 1;
      await gate.opened;
      return part.load();
    }),
  ]);
  return Object.fromEntries(entries) as typeof lazyParts;
}

/** How many loads each part started. */
export const loadsOf = (gates: Gates, parts: typeof lazyParts) => Object.fromEntries(Object.keys(parts).map((name) => [name, gateOf(gates, name as PartName).loads])) as Record<PartName, number>;

/**
 * Opens a part's gate and checks the page the way a browser would see it: outside act(), once the
 * microtasks the arrival queues have run, before any task or timer.
 */
export async function arrivesThen(gates: Gates, parts: typeof lazyParts, name: PartName, check: () => void) {
  const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const actEnvironment = environment.IS_REACT_ACT_ENVIRONMENT;
  environment.IS_REACT_ACT_ENVIRONMENT = false;
  try {
    gateOf(gates, name).open();
    await parts[name].load();
    await flushMicrotasks();
    check();
  } finally {
    environment.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
  }
}
