// The mock upstream's simulated H5 page (what the phone opens), served by the app for the test.
import { mock } from '../../../lib/liveness';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return mock(request);
}

export function POST(request: Request): Promise<Response> {
  return mock(request);
}
