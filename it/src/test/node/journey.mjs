// What the browser journeys share: steps that build on each other and print "PASS name" or
// "FAIL name: reason" at once, a wait for Bastion to answer before each step, and the final
// JSON summary line {"passed":[...],"failed":[...]} with exit code 0 only when every step passed.

import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, headless, quiet on the network. */
export function launchChromium() {
    return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A browser context that reaches loopback addresses only (and baseUrl's host): test traffic
 * never leaves the machine. JOURNEY_DEBUG=1 logs every request.
 */
export async function loopbackContext(browser, baseUrl, { locale = 'en-US', viewport = { width: 900, height: 900 }, timeoutMs = 30_000 } = {}) {
    const loopback = new Set(['localhost', '127.0.0.1', '[::1]', new URL(baseUrl).hostname]);
    const context = await browser.newContext({ locale, viewport });
    context.setDefaultTimeout(timeoutMs);
    context.setDefaultNavigationTimeout(timeoutMs);
    if (process.env.JOURNEY_DEBUG) {
        context.on('request', (r) => console.error(`  > ${r.method()} ${r.url()}`));
        context.on('response', (r) => console.error(`  < ${r.status()} ${r.url()} ${r.headers().location ?? ''}`));
        context.on('requestfailed', (r) => console.error(`  ! ${r.url()} ${r.failure()?.errorText}`));
    }
    await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (!['http:', 'https:'].includes(url.protocol) || loopback.has(url.hostname)) {
            await route.continue();
        } else {
            await route.abort('blockedbyclient');
        }
    });
    return context;
}

/** What the page shows (its selector's text, on one line), for a failure message. */
export async function pageText(page, selector = 'main') {
    try {
        return (await page.locator(selector).first().innerText({ timeout: 2000 })).replace(/\s+/g, ' ').trim().slice(0, 300);
    } catch {
        return '(no page text)';
    }
}

export class StepFailure extends Error {
}

export function check(condition, message) {
    if (!condition) {
        throw new StepFailure(message);
    }
}

export function equal(actual, expected, what) {
    check(actual === expected, `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

/** A readable one-line reason; `special` may describe a library's own errors first (or return null). */
export function describe(error, special = () => null) {
    if (error instanceof StepFailure) {
        return error.message;
    }
    const own = special(error);
    if (own) {
        return own;
    }
    const cause = error?.cause ? ` (cause: ${error.cause.code || error.cause.message || JSON.stringify(error.cause)})` : '';
    const code = error?.code ? ` [${error.code}]` : '';
    // Playwright appends its call log, with terminal colours; the first lines say what went wrong.
    const message = String(error?.message ?? error).replace(/\u001b\[[0-9;]*m/g, '').split(/\n\s*Call log:/)[0];
    return `${message}${code}${cause}`.replace(/\s+/g, ' ');
}

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new StepFailure(`${what} did not finish within ${ms / 1000} s`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

/**
 * A journey's bookkeeping. probeUrl: a URL of Bastion that answers 200 when it is up (waited
 * for SERVER_WAIT_SECONDS, default 180, before each step; a step may take stepTimeoutMs);
 * describeError: the journey's describe; onFailure(name): e.g. a screenshot of the failed step.
 */
export function journey({
    probeUrl, serverWaitMs = Number(process.env.SERVER_WAIT_SECONDS || 180) * 1000, stepTimeoutMs = 120_000,
    describeError = describe, onFailure = async () => {},
}) {
    const passed = [];
    const failed = [];

    /** Bastion may be restarting: wait until it answers. */
    async function waitForServer() {
        const deadline = Date.now() + serverWaitMs;
        let last;
        while (Date.now() < deadline) {
            try {
                const response = await fetch(probeUrl, { signal: AbortSignal.timeout(5000) });
                await response.arrayBuffer();
                if (response.ok) {
                    return;
                }
                last = `HTTP ${response.status}`;
            } catch (error) {
                last = describeError(error);
            }
            await new Promise((r) => setTimeout(r, 2000));
        }
        throw new StepFailure(`Bastion at ${probeUrl} did not answer within ${serverWaitMs / 1000} s (${last})`);
    }

    /** Runs a step unless a step it builds on failed; prints PASS or FAIL at once. */
    async function step(name, needs, body) {
        const missing = needs.filter((n) => !passed.includes(n));
        if (missing.length > 0) {
            failed.push(name);
            console.log(`FAIL ${name}: not run, because ${missing.join(', ')} failed`);
            return;
        }
        try {
            await waitForServer();
            await withTimeout(Promise.resolve().then(body), stepTimeoutMs, name);
            passed.push(name);
            console.log(`PASS ${name}`);
        } catch (error) {
            failed.push(name);
            console.log(`FAIL ${name}: ${describeError(error)}`);
            await Promise.resolve().then(() => onFailure(name)).catch(() => {});
        }
    }

    /** Launches the browser, runs the journey, closes everything, prints the summary and exits. */
    async function run(launch, main, cleanUp = () => {}) {
        let browser;
        try {
            try {
                browser = await launch();
            } catch (error) {
                failed.push('browser');
                console.log(`FAIL browser: cannot launch Chromium: ${describeError(error)}`);
            }
            if (browser) {
                await main(browser);
            }
        } catch (error) {
            failed.push('journey');
            console.log(`FAIL journey: ${describeError(error)}`);
        } finally {
            await browser?.close().catch(() => {});
            await Promise.resolve().then(cleanUp).catch(() => {});
        }
        const exitCode = failed.length === 0 && passed.length > 0 ? 0 : 1;
        // Exit at once (idle keep-alive connections would hold the process), once the summary is written.
        process.stdout.write(`${JSON.stringify({ passed, failed })}\n`, () => process.exit(exitCode));
    }

    return { passed, failed, step, run };
}
