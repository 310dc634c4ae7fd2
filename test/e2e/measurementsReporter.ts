// A Playwright reporter beside `list` and `html`: prints each test's notes, and writes
// screenshots/e2e/measurements.json (Pass → verified latencies, status requests per minute polling and
// with the event stream, the stream fault's takeover, every test's result) in the shape the home-made
// runner wrote, so whatever reads that file keeps working.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { median } from './helpers.js';
import { MEASUREMENT, type Measurement } from './measure.js';
import { SCREENSHOT_DIR } from './settings.js';

interface TestLine {
  name: string;
  /** The Playwright project (engine and device): `desktop`, `phone`, `firefox-phone`, `webkit-desktop`… */
  project: string;
  ok: boolean;
  ms: number;
  problems: string[];
}

export default class MeasurementsReporter implements Reporter {
  private started = Date.now();
  private readonly tests: TestLine[] = [];
  private readonly passToVerifiedMs: number[] = [];
  private readonly failToFailedMs: number[] = [];
  private statusPolling: Extract<Measurement, { statusPolling: unknown }>['statusPolling'] | null = null;
  private streamRequests: Extract<Measurement, { streamRequests: unknown }>['streamRequests'] | null = null;
  private streamFault: Extract<Measurement, { streamFault: unknown }>['streamFault'] | null = null;
  private readonly dir = fileURLToPath(SCREENSHOT_DIR);

  onBegin() {
    this.started = Date.now();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  onTestEnd(test: TestCase, result: TestResult) {
    // Only the final attempt counts (the suite runs without retries; this keeps it right if one is added).
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'skipped') return;
    const ok = result.status === 'passed';
    this.tests.push({
      name: test.title,
      project: test.parent.project()?.name ?? '',
      ok,
      ms: result.duration,
      problems: result.errors.map((error) => stripVTControlCharacters(error.message ?? String(error.value)).split('\n')[0] ?? ''),
    });
    for (const annotation of test.annotations) if (annotation.type === 'note') console.log(`       · ${annotation.description}`);
    if (!ok) return;
    for (const attachment of result.attachments) {
      if (attachment.name !== MEASUREMENT || !attachment.body) continue;
      const value = JSON.parse(attachment.body.toString('utf8')) as Measurement;
      if ('passToVerifiedMs' in value) this.passToVerifiedMs.push(value.passToVerifiedMs);
      if ('failToFailedMs' in value) this.failToFailedMs.push(value.failToFailedMs);
      if ('statusPolling' in value) this.statusPolling = value.statusPolling;
      if ('streamRequests' in value) this.streamRequests = value.streamRequests;
      if ('streamFault' in value) this.streamFault = value.streamFault;
    }
  }

  onEnd(result: FullResult) {
    const passed = this.tests.filter((t) => t.ok).length;
    const failed = this.tests.length - passed;
    // Test time per project (summed: the projects' tests run two at a time), for the Browsers table of docs/browsers.md.
    const projects: Record<string, { tests: number; ms: number }> = {};
    for (const line of this.tests) {
      const project = (projects[line.project] ??= { tests: 0, ms: 0 });
      project.tests += 1;
      project.ms += line.ms;
    }
    const summary = {
      date: new Date().toISOString(),
      durationMs: Date.now() - this.started,
      passed,
      failed,
      projects,
      passToVerifiedMs: { runs: this.passToVerifiedMs, median: this.passToVerifiedMs.length ? median(this.passToVerifiedMs) : null },
      failToFailedMs: this.failToFailedMs,
      statusPolling: this.statusPolling,
      streamRequests: this.streamRequests,
      streamFault: this.streamFault,
      tests: this.tests,
    };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(`${this.dir}/measurements.json`, JSON.stringify(summary, null, 2) + '\n');
    console.log('');
    if (summary.passToVerifiedMs.median !== null) {
      console.log(`measured: Pass → verified median ${summary.passToVerifiedMs.median} ms over ${this.passToVerifiedMs.length} runs (${this.passToVerifiedMs.join(', ')} ms)`);
    }
    if (this.statusPolling) {
      const p = this.statusPolling;
      console.log(`measured: status requests ${p.visiblePerMinute}/min visible, ${p.hiddenPerMinute}/min hidden (${p.visibleRequests} and ${p.hiddenRequests} in ${p.windowMs / 1000} s)`);
    }
    if (this.streamRequests) {
      const p = this.streamRequests;
      console.log(`measured: with the event stream up, status requests ${p.visiblePerMinute}/min visible, ${p.hiddenPerMinute}/min hidden`);
    }
    if (this.streamFault) console.log(`measured: stream dropped → first poll after ${this.streamFault.dropToFirstPollMs} ms`);
    console.log(
      `per project (tests, summed test time): ${Object.entries(projects)
        .map(([name, p]) => `${name} ${p.tests} / ${(p.ms / 1000).toFixed(0)} s`)
        .join(', ')}`,
    );
    console.log(`screenshots and measurements.json in ${this.dir}; on failure, traces in test-results/e2e/ and the report in test-results/e2e-report/`);
    console.log(`e2e: ${passed} passed, ${failed} failed (${((Date.now() - this.started) / 1000).toFixed(1)} s, ${result.status})`);
  }

  printsToStdio() {
    return false;
  }
}
