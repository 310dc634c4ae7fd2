/*
 * Type tests of the public API (run by `npm run test:types`, which has Vitest hand them to tsc; nothing
 * here executes). Each one pins a promise the types make to apps: a change that breaks it is a breaking
 * change and needs a major changeset.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  LivenessSession,
  useVisualValidateSession,
  type FailureReason,
  type LivenessSendLinkDefaults,
  type LivenessSendLinkText,
  type SendLinkChannel,
  type SendLinkRequest,
  type LivenessConsent,
  type LivenessError,
  type LivenessSessionProps,
  type LivenessState,
  type SessionData,
} from '../../src/index.js';
import { en, zhCN, zhTW, type LivenessLocaleData } from '../../src/locales.js';
import type { Meter, Tracer } from '@opentelemetry/api';
import { createLivenessHandler, toNodeHandler, type LivenessHandler, type LivenessHandlerOptions, type LivenessTelemetry, type SendLinkMessage } from '../../src/server.js';

describe('the state union', () => {
  test('narrows on status', () => {
    const state = {} as LivenessState;
    if (state.status === 'verified') {
      expectTypeOf(state.groupId).toEqualTypeOf<string>();
      expectTypeOf(state.sessionId).toEqualTypeOf<string>();
    }
    if (state.status === 'ready') expectTypeOf(state.session).toEqualTypeOf<SessionData>();
    if (state.status === 'opened') {
      expectTypeOf(state.session).toEqualTypeOf<SessionData>();
      expectTypeOf(state.openedAt).toEqualTypeOf<string | undefined>();
      expectTypeOf(state.checkingSince).toEqualTypeOf<string | undefined>();
    }
    if (state.status === 'failed') expectTypeOf(state.reason).toEqualTypeOf<FailureReason>();
    if (state.status === 'error') expectTypeOf(state.error).toEqualTypeOf<LivenessError>();
    if (state.status === 'idle' || state.status === 'creating') {
      // @ts-expect-error no session exists yet, so there is no group id to read
      void state.groupId;
    }
  });

  test('is a union discriminated by status, not one wide object', () => {
    expectTypeOf<Extract<LivenessState, { status: 'verified' }>>().toHaveProperty('groupId');
    expectTypeOf<Extract<LivenessState, { status: 'ready' }>>().not.toHaveProperty('groupId');
    expectTypeOf<LivenessState['status']>().toExtend<string>();
    expectTypeOf<'verified' | 'failed' | 'expired' | 'error' | 'ready' | 'opened' | 'creating' | 'idle'>().toExtend<LivenessState['status']>();
  });

  test('failures always say why, in onFailed too', () => {
    expectTypeOf<FailureReason>().toEqualTypeOf<'device' | 'liveness' | 'unconfirmed' | 'unknown'>();
    expectTypeOf<NonNullable<LivenessSessionProps['onFailed']>>().parameter(0).toHaveProperty('reason').toEqualTypeOf<FailureReason>();
  });
});

describe('<LivenessSession consent>', () => {
  test('takes { policyUrl } and reports the acceptance time to onConsent', () => {
    expectTypeOf<NonNullable<LivenessSessionProps['consent']>>().toEqualTypeOf<LivenessConsent>();
    expectTypeOf<LivenessConsent>().toEqualTypeOf<{ policyUrl: string }>();
    expectTypeOf<NonNullable<LivenessSessionProps['onConsent']>>().parameter(0).toEqualTypeOf<{ at: string }>();
    void (<LivenessSession endpoint="/api/liveness/sessions" consent={{ policyUrl: '/privacy' }} onConsent={({ at }) => void at} />);
    // @ts-expect-error the policy URL is required: consent without a policy to read is not informed
    void (<LivenessSession endpoint="/api/liveness/sessions" consent={{}} />);
  });
});

describe('<LivenessSession locale>', () => {
  test("takes 'en' or locale data from react-liveness-session/locales", () => {
    expectTypeOf(en).toExtend<LivenessLocaleData>();
    expectTypeOf(zhCN).toExtend<NonNullable<LivenessSessionProps['locale']>>();
    expectTypeOf(zhTW).toExtend<NonNullable<LivenessSessionProps['locale']>>();
    void (<LivenessSession endpoint="/api/liveness/sessions" locale="en" />);
    void (<LivenessSession endpoint="/api/liveness/sessions" locale={zhCN} />);
  });

  test("rejects a bare 'zh-CN' (the text would stay English): import zhCN instead", () => {
    expectTypeOf<'zh-CN'>().not.toExtend<NonNullable<LivenessSessionProps['locale']>>();
    expectTypeOf<'zh-TW'>().not.toExtend<NonNullable<LivenessSessionProps['locale']>>();
    // @ts-expect-error locale="zh-CN" is a type error (the text would stay English)
    void (<LivenessSession endpoint="/api/liveness/sessions" locale="zh-CN" />);
  });
});

describe('the server handler', () => {
  test('is a fetch-style (Request) => Promise<Response>', () => {
    expectTypeOf<LivenessHandler>().toExtend<(request: Request) => Promise<Response>>();
    expectTypeOf<LivenessHandler>().parameters.toEqualTypeOf<[request: Request]>();
    expectTypeOf<LivenessHandler>().returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(createLivenessHandler).returns.toEqualTypeOf<LivenessHandler>();
  });

  test('plugs into frameworks that take a fetch handler, and into node:http through toNodeHandler', () => {
    const handler = {} as LivenessHandler;
    // Next.js route handlers and Hono's c.req.raw hand it a standard Request.
    const route: (request: Request) => Promise<Response> = handler;
    void route;
    expectTypeOf(toNodeHandler).parameter(0).toExtend<(request: Request) => Promise<Response>>();
  });
});

describe('the telemetry option', () => {
  test("takes @opentelemetry/api's Tracer and Meter as they are, though the package never imports it", () => {
    expectTypeOf<Tracer>().toExtend<NonNullable<LivenessTelemetry['tracer']>>();
    expectTypeOf<Meter>().toExtend<NonNullable<LivenessTelemetry['meter']>>();
    const options = { apiKey: 'k', telemetry: { tracer: {} as Tracer, meter: {} as Meter } } satisfies LivenessHandlerOptions;
    void options;
  });
});

describe('sending the link to a phone (issue 24)', () => {
  test('the hook sends { channel, to } and resolves with nothing; channels are sms and email', () => {
    expectTypeOf<SendLinkChannel>().toEqualTypeOf<'sms' | 'email'>();
    expectTypeOf<SendLinkRequest>().toEqualTypeOf<{ channel: SendLinkChannel; to: string }>();
    expectTypeOf<ReturnType<typeof useVisualValidateSession>['sendLink']>().toEqualTypeOf<(request: SendLinkRequest) => Promise<void>>();
    expectTypeOf<SessionData['sendUrl']>().toEqualTypeOf<string | undefined>();
  });

  test('the component takes sendLink (a boolean) and sendLinkDefaults', () => {
    expectTypeOf<LivenessSessionProps['sendLink']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NonNullable<LivenessSessionProps['sendLinkDefaults']>>().toEqualTypeOf<LivenessSendLinkDefaults>();
    void (<LivenessSession endpoint="/api/liveness/sessions" sendLink={false} sendLinkDefaults={{ channel: 'sms', to: '+447700900123' }} displayText={{ sendLinkSubmit: 'Text it' }} />);
    // @ts-expect-error a channel the protocol does not have
    void (<LivenessSession endpoint="/api/liveness/sessions" sendLinkDefaults={{ channel: 'fax' }} />);
  });

  test('a locale carries the form’s strings too', () => {
    expectTypeOf<LivenessLocaleData['displayText']>().toExtend<LivenessSendLinkText>();
    expectTypeOf(zhCN.displayText.sendLinkSentText).toEqualTypeOf<string>();
  });

  test('the server’s sendLink gets the message and a signal, and the channels it offers', () => {
    expectTypeOf<NonNullable<LivenessHandlerOptions['sendLink']>>().parameter(0).toEqualTypeOf<SendLinkMessage>();
    expectTypeOf<NonNullable<LivenessHandlerOptions['sendLink']>>().parameter(1).toEqualTypeOf<{ signal: AbortSignal }>();
    expectTypeOf<SendLinkMessage['expiresAt']>().toEqualTypeOf<Date>();
    expectTypeOf<NonNullable<LivenessHandlerOptions['sendLinkChannels']>>().toEqualTypeOf<readonly SendLinkChannel[]>();
    createLivenessHandler({ apiKey: 'k', sendLink: async ({ to, link }, { signal }) => void [to, link, signal] });
  });
});
