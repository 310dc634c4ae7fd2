// 2b. A browser clock that is off the server's by a minute, against the short-TTL demo. Playwright's
// page clock shifts the page's Date; the test runner shares the server's clock (same machine), so each
// replacement can be checked against the replaced code's expiresAt: never before it (the old hook,
// 60 s ahead, replaced codes at once until the server answered 429), and soon after it.
import { test } from './fixtures.js';
import { assert, readCreates, sleep, type CreateAnswer } from './helpers.js';

const CODES = 3;
// "On time": the status is asked at the end (expiresInMs tells the server's time to the millisecond)
// and polled every 2 s anyway; 5 s leaves room for a loaded machine. A bound, not a timing claim.
const ON_TIME_MS = 5_000;

for (const skewMs of [60_000, -60_000]) {
  const name = `2. browser clock ${skewMs > 0 ? 'ahead of' : 'behind'} the server by 60 s: each code shown for its whole server-side life, replaced on time, one POST each`;
  test(name, async ({ page, shortOrigin: origin, note }) => {
    await page.clock.install({ time: Date.now() + skewMs });
    const answers: CreateAnswer[] = [];
    const postedAt: number[] = [];
    await readCreates(
      page,
      origin,
      (_status, body) => answers.push(body),
      () => postedAt.push(Date.now()),
    );
    await page.goto(`${origin}/`);
    const shows = (sid: string) =>
      Boolean(document.querySelector('[data-testid="demo-status"]')?.textContent?.includes(sid)) && document.querySelector('[data-liveness-session]')?.getAttribute('data-state') === 'ready';
    const late: number[] = [];
    for (let i = 0; i < CODES; i += 1) {
      while (answers.length <= i) await sleep(20);
      const { sessionId, expiresAt } = answers[i]!;
      await page.waitForFunction(shows, sessionId, { timeout: 15_000 });
      const end = Date.parse(expiresAt);
      // A second before its end on the server's clock, the same code is still up and nothing new was asked for.
      await sleep(Math.max(0, end - 1000 - Date.now()));
      assert(await page.evaluate(shows, sessionId), `code ${i + 1} (${sessionId}) was gone a second before its server-side end`);
      assert(postedAt.length === i + 1, `${postedAt.length} create requests before code ${i + 1} ran out, want ${i + 1}`);
      if (i + 1 === CODES) break;
      while (postedAt.length <= i + 1 && Date.now() < end + 15_000) await sleep(20);
      assert(postedAt.length === i + 2, `code ${i + 1} was not replaced within 15 s of its end`);
      assert(postedAt[i + 1]! >= end, `code ${i + 1} was replaced ${end - postedAt[i + 1]!} ms before its server-side end`);
      late.push(postedAt[i + 1]! - end);
    }
    assert(
      late.every((ms) => ms <= ON_TIME_MS),
      `replacements came ${late.join(', ')} ms after the end, want within ${ON_TIME_MS / 1000} s`,
    );
    note(`browser clock ${skewMs > 0 ? '+' : ''}${skewMs / 1000} s: replaced ${late.join(', ')} ms after each code's server-side end`);
  });
}
