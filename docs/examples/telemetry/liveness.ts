// docs/examples/telemetry/liveness.ts
// The handler reports to whatever SDK the app started (instrumentation.mjs): the package never
// imports @opentelemetry/api itself, so apps without it are unaffected.
import { metrics, trace } from '@opentelemetry/api';
import { createLivenessHandler } from 'react-liveness-session/server';

export const liveness = createLivenessHandler({
  apiKey: process.env.ANYFAST_API_KEY!,
  publicUrl: process.env.PUBLIC_URL,
  telemetry: { tracer: trace.getTracer('react-liveness-session'), meter: metrics.getMeter('react-liveness-session') },
});
