// End-to-end journey of an administrator through Bastion's admin console in headless Chromium:
// sign-in through Bastion's own authorization server, then clients (and the trust of a
// self-registered one), users (their patient access, deletion), scopes, keys, external issuers,
// tokens, audit, initial access tokens, app launches and housekeeping, in English and Japanese.
// What the console created is then used through the protocol, outside the console.
//
//   BASTION_URL             Bastion's base URL                   (default http://localhost:8080)
//   BASTION_USERNAME        admin who signs in                   (default admin)
//   BASTION_PASSWORD        that admin's password                (default admin-pw)
//   SCREENSHOT_DIR          where page screenshots go            (default ./screenshots)
//   CHROMIUM_PATH           the Chromium executable              (default /usr/bin/chromium)
//   EXTERNAL_DISCOVERY_URL  an OpenID provider to register as external issuer (step skipped when unset)
//   SERVER_WAIT_SECONDS     how long to wait for Bastion         (default 180)
//
// One line per step, "PASS name" or "FAIL name: reason", then a JSON summary line
// {"passed":[...],"failed":[...]}. Exit code 0 only when every step passed.

import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as jose from 'jose';
import { StepFailure, check, equal, journey, launchChromium, pageText } from './journey.mjs';

const BASE = (process.env.BASTION_URL || 'http://localhost:8080').replace(/\/+$/, '');
const CONSOLE = `${BASE}/admin/`;
const USERNAME = process.env.BASTION_USERNAME || 'admin';
const PASSWORD = process.env.BASTION_PASSWORD || 'admin-pw';
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR || './screenshots');
const DISCOVERY_URL = process.env.EXTERNAL_DISCOVERY_URL || '';
const PAGE_TIMEOUT_MS = 30_000;

const RUN = randomBytes(3).toString('hex');
const SCOPE_NAME = 'patient/Immunization.rs';
const SCOPE_JA = '予防接種の記録を読む';
const SCOPE_EN = 'Read immunization records';
const APP_CALLBACK = 'https://app.example.org/callback';
const APP_ORIGIN = `https://growth-${RUN}.example.org`;

// ---------------------------------------------------------------------------------------------
// Step bookkeeping

const { step, run } = journey({
    probeUrl: `${BASE}/oauth2/.well-known/openid-configuration`,
    onFailure: (name) => screenshot(`failure-${name}`),
});

// ---------------------------------------------------------------------------------------------
// Browser helpers

let browser;
let page;
const state = {};

async function screenshot(name) {
    // A passing notification would cover the page.
    await page?.evaluate(() => document.querySelectorAll('[data-test="toast"]').forEach((t) => t.remove())).catch(() => {});
    await page?.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

const $ = (test) => page.locator(`[data-test="${test}"]`);


async function expectVisible(test, what) {
    try {
        await $(test).first().waitFor({ state: 'visible' });
    } catch {
        throw new StepFailure(`${what} did not appear; the browser is at ${page.url()} showing: ${await pageText(page, 'body')}`);
    }
}

/** Opens a console page through the left navigation and waits until it has loaded. */
async function openPage(nav, test) {
    await $(`nav-${nav}`).click();
    await expectVisible(test, `the ${nav} page`);
    await page.waitForFunction(() => !document.querySelector('#main')?.hasAttribute('aria-busy'));
}

async function fill(name, value) {
    await $(`field-${name}`).fill(value);
}

async function fieldError(name) {
    return (await $(`error-${name}`).textContent()).trim();
}

async function confirmDialog() {
    await expectVisible('confirm-dialog', 'the confirmation dialog');
    await $('confirm-ok').click();
    await $('confirm-dialog').waitFor({ state: 'detached' });
}

function pkce() {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

// ---------------------------------------------------------------------------------------------
// The journey

async function main() {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE }).catch(() => {});
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));

    await step('sign-in', [], async () => {
        await page.goto(CONSOLE);
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/login'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`the console did not send the browser to the sign-in page; it is at ${page.url()}: ${await pageText(page, 'body')}`); });
        const authorize = new URL(page.url());
        check(authorize.pathname.startsWith('/oauth2/login'), `not the sign-in page: ${page.url()}`);
        await page.fill('input[name=username]', USERNAME);
        await page.fill('input[name=password]', PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/consent') || u.pathname.startsWith('/admin/'), { waitUntil: 'load' });
        if (new URL(page.url()).pathname.startsWith('/oauth2/consent')) {
            await page.click('button[name=decision][value=approve]');
        }
        await expectVisible('page-overview', 'the console overview after sign-in');
        const url = new URL(page.url());
        check(!url.searchParams.has('code'), `the authorization code is left in the address bar: ${url.href}`);
        check((await $('brand').textContent()) === 'Bastion', 'the navigation does not show the Bastion name');
        const clients = Number(await $('stat-clients').locator('.stat-value').textContent());
        check(clients >= 1, `the overview counts ${clients} clients; the console itself is one`);
        const accessToken = await page.evaluate(() => sessionStorage.getItem('bastion.access_token'));
        check(accessToken, 'no access token in sessionStorage');
        // The admin API accepts only tokens with the admin scope, which the console asks for.
        const { scope } = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
        check(String(scope).split(' ').includes('admin'), `the console's access token has scope "${scope}", without admin`);
        await page.waitForFunction((name) => document.querySelector('[data-test="signed-in-user"]')?.textContent === name, USERNAME)
            .catch(() => { throw new StepFailure(`the navigation does not name the signed-in user ${USERNAME}`); });
        await screenshot('console-overview');
    });

    await step('settings', ['sign-in'], async () => {
        await openPage('settings', 'page-settings');
        const lifetime = $('field-token_access_seconds');
        const original = await lifetime.inputValue();
        check(/^\d+$/.test(original), `the access token lifetime shows "${original}"`);
        await lifetime.fill('5');
        const message = await fieldError('token_access_seconds');
        check(/60/.test(message) && /86400/.test(message), `typing 5 shows "${message}", expected the 60 to 86400 range`);
        await lifetime.fill('900');
        check(await fieldError('token_access_seconds') === '', 'the range message stays after a valid value');
        await $('settings-form-submit').click();
        await expectVisible('toast', 'the saved message');
        const saved = await fetchSettingsValue();
        check(String(saved) === '900', `the server holds token_access_seconds ${saved}, expected 900`);
        await screenshot('console-settings');
        // Put the lifetime back: later tests on this server expect the configured one.
        await $('field-token_access_seconds').fill(original);
        await $('settings-form-submit').click();
        await page.waitForFunction(() => !document.querySelector('[data-test="settings-form-submit"]')?.disabled);
        await page.waitForTimeout(300);
        const restored = await fetchSettingsValue();
        check(String(restored) === original, `the lifetime was not restored to ${original}: ${restored}`);
    });

    await step('housekeeping', ['sign-in'], async () => {
        await openPage('settings', 'page-settings');
        await expectVisible('housekeeping-tables', 'the housekeeping panel of the settings page');
        const sizes = await $('housekeeping-tables').locator('tbody tr').allInnerTexts();
        for (const table of ['authorization_request', 'authorization_code', 'access_token', 'refresh_token', 'login_session', 'audit_event', 'fhir_resource']) {
            check(sizes.some((row) => row.includes(table)), `the housekeeping panel does not count ${table}: ${JSON.stringify(sizes)}`);
        }
        const before = await $('housekeeping-last-run').getAttribute('data-run');
        // A scheduled run holding the lease at that very moment refuses the click (409): try again.
        let changed = false;
        for (let attempt = 0; attempt < 3 && !changed; attempt++) {
            await $('housekeeping-run').click();
            changed = await page.waitForFunction((id) => {
                const line = document.querySelector('[data-test="housekeeping-last-run"]');
                return Boolean(line?.dataset.run) && line.dataset.run !== id;
            }, before, { timeout: 10_000 }).then(() => true, () => false);
        }
        const line = (await $('housekeeping-last-run').innerText()).trim();
        check(changed, `after Run now the last-run line still reads "${line}"`);
        check(line.includes('started by an admin') && /\d+ rows deleted/.test(line), `the last-run line reads "${line}"`);
        await screenshot('console-housekeeping');
    });

    await step('confidential-client', ['sign-in'], async () => {
        await openPage('clients', 'page-clients');
        await $('new-client').click();
        await expectVisible('client-form', 'the new client form');
        await $('kind-confidential').check();
        await $('client-form-submit').click();
        check((await fieldError('client_name')).length > 0, 'an empty name gives no inline message');
        await fill('client_name', `Lab feed ${RUN}`);
        await fill('scope', 'system/*.rs');
        await $('client-form-submit').click();
        await expectVisible('client-secret', 'the one-time client secret');
        state.confidentialId = (await $('credentials-client-id').textContent()).trim();
        state.secret = (await $('client-secret').textContent()).trim();
        check(state.confidentialId.length > 0, 'no client id on the credentials tab');
        check(state.secret.length >= 16, `the secret "${state.secret}" is too short`);
        await screenshot('console-client-detail');
        await $('client-secret-copy').click();
        await page.waitForFunction(() => document.querySelector('[data-test="client-secret-copy"]')?.textContent !== 'Copy');
        // Shown once: the tab drawn again has only the notice.
        await $('tab-details').click();
        await $('tab-credentials').click();
        await expectVisible('secret-hidden', 'the "secret cannot be shown again" notice');
        check(await $('client-secret').count() === 0, 'the secret is shown a second time');
    });

    await step('public-client', ['sign-in'], async () => {
        await openPage('clients', 'page-clients');
        await $('new-client').click();
        await expectVisible('client-form', 'the new client form');
        await $('kind-public').check();
        await fill('client_name', `Growth chart ${RUN}`);
        await fill('redirect_uris', 'not a url');
        const message = await fieldError('redirect_uris');
        check(message.length > 0, 'an invalid redirect URI gives no inline message');
        await fill('redirect_uris', APP_CALLBACK);
        check(await fieldError('redirect_uris') === '', `a valid redirect URI still shows "${await fieldError('redirect_uris')}"`);
        await fill('bastion_cors_origins', `${APP_ORIGIN}/app`);
        check((await fieldError('bastion_cors_origins')).length > 0, 'an origin with a path gives no inline message');
        await fill('bastion_cors_origins', APP_ORIGIN);
        check(await fieldError('bastion_cors_origins') === '', `a valid origin still shows "${await fieldError('bastion_cors_origins')}"`);
        await fill('scope', `openid fhirUser ${SCOPE_NAME} patient/*.rs`);
        await $('client-form-submit').click();
        await expectVisible('credentials-client-id', 'the new public client');
        state.publicId = (await $('credentials-client-id').textContent()).trim();
        check(await $('client-secret').count() === 0, 'a public client was shown a secret');
        await $('tab-details').click();
        check(await $('field-bastion_cors_origins').inputValue() === APP_ORIGIN, 'the client page does not show the allowed origin');
        // The app's origin may call the FHIR API from the browser at once.
        const preflight = await fetch(`${BASE}/fhir/r4/Patient`, {
            method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
        check(preflight.status === 204 && preflight.headers.get('access-control-allow-origin') === APP_ORIGIN,
            `a preflight from ${APP_ORIGIN} answered ${preflight.status} with Access-Control-Allow-Origin ${preflight.headers.get('access-control-allow-origin')}`);
        await openPage('clients', 'page-clients');
        await $('clients-search').fill(RUN);
        await page.waitForFunction((run) => [...document.querySelectorAll('[data-test="client-link"]')].length === 2
            && [...document.querySelectorAll('[data-test="client-link"]')].every((a) => a.textContent.includes(run)), RUN);
        const rows = await $('clients-table').locator('tbody tr').allInnerTexts();
        check(rows.some((r) => r.includes('Public')) && rows.some((r) => r.includes('Confidential')), `the search shows ${JSON.stringify(rows)}`);
        await $('clients-search').fill('');
        await page.waitForFunction(() => document.querySelectorAll('[data-test="client-link"]').length > 2);
        await screenshot('console-clients');
    });

    await step('user', ['sign-in'], async () => {
        await openPage('users', 'page-users');
        await $('new-user').click();
        await expectVisible('user-form', 'the new user form');
        state.username = `nurse.${RUN}`;
        await fill('username', state.username);
        await fill('password', 'short');
        check((await fieldError('password')).includes('8'), 'a short password gives no inline message');
        await fill('password', `Pw-${RUN}-long-enough`);
        await fill('fhirUser', 'Practitioner');
        check((await fieldError('fhirUser')).length > 0, 'fhirUser "Practitioner" gives no inline message');
        await fill('fhirUser', `Practitioner/p-${RUN}`);
        await fill('roles', 'user');
        await $('field-locale').selectOption('ja');
        await $('user-form-submit').click();
        await expectVisible('page-user-detail', 'the new user');
        check((await $('page-title').textContent()) === state.username, 'the user page does not show the username');
        check((await $('field-fhirUser').inputValue()) === `Practitioner/p-${RUN}`, 'the user page does not show the fhirUser');
        await expectVisible('consents-table-empty', 'the consents of the user');
        await screenshot('console-user-detail');
        // A 400 from the server appears next to the field it names: the username is taken.
        await openPage('users', 'page-users');
        await $('new-user').click();
        await fill('username', state.username);
        await fill('password', `Pw-${RUN}-long-enough`);
        await $('user-form-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="error-username"]')?.textContent.length > 0);
        check((await fieldError('username')).includes('taken'), `the taken username shows "${await fieldError('username')}"`);
        await openPage('users', 'page-users');
        const names = await $('users-table').locator('[data-test="user-link"]').allTextContents();
        check(names.includes(state.username) && names.includes(USERNAME), `the users list shows ${JSON.stringify(names)}`);
        await screenshot('console-users');
    });

    await step('scope-description', ['sign-in'], async () => {
        await openPage('scopes', 'page-scopes');
        await fill('name', 'has space');
        check((await fieldError('name')).length > 0, 'a scope name with a space gives no inline message');
        await fill('name', SCOPE_NAME);
        await fill('description_en', SCOPE_EN);
        await fill('description_ja', SCOPE_JA);
        await $('scope-form-submit').click();
        await page.waitForFunction((ja) => document.querySelector('[data-test="scopes-table"]')?.innerText.includes(ja), SCOPE_JA);
        const row = await $('scopes-table').locator('tr', { hasText: SCOPE_NAME }).innerText();
        check(row.includes(SCOPE_EN) && row.includes(SCOPE_JA), `the scope row is "${row}"`);
        await screenshot('console-scopes');
    });

    await step('external-issuer', ['sign-in'], async () => {
        await openPage('issuers', 'page-issuers');
        await fill('token', 'not-a-jwt');
        await $('token-test-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="token-test-result"]')?.innerText.length > 0);
        const verdict = await $('token-test-result').innerText();
        check(verdict.includes('Rejected') && verdict.length > 'Rejected'.length + 3, `testing a garbage token shows "${verdict}"`);
        await fill('discovery_url', 'idp.example.org');
        check((await fieldError('discovery_url')).length > 0, 'a discovery URL without scheme gives no inline message');
        if (!DISCOVERY_URL) {
            console.log('  (EXTERNAL_DISCOVERY_URL unset: no issuer registered)');
            await fill('discovery_url', '');
            await screenshot('console-issuers');
            return;
        }
        // The IdP runs on loopback: Bastion fetches from there only once an admin allowed its origin.
        await fill('discovery_url', DISCOVERY_URL);
        await $('issuer-form-submit').click();
        await page.waitForFunction(() => (document.querySelector('[data-test="error-discovery_url"]')?.textContent || '').trim().length > 0)
            .catch(() => { throw new StepFailure('registering an IdP on loopback showed no message on the discovery URL'); });
        const refusal = await fieldError('discovery_url');
        check(refusal.includes('could not be fetched'), `a loopback IdP not yet allowed shows "${refusal}"`);
        await openPage('settings', 'page-settings');
        await fill('outbound_allowed_origins', new URL(DISCOVERY_URL).origin);
        await $('settings-form-submit').click();
        await expectVisible('toast', 'the saved message after allowing the IdP origin');
        await openPage('issuers', 'page-issuers');
        await fill('discovery_url', DISCOVERY_URL);
        await $('issuer-form-submit').click();
        await expectVisible('issuer-keys', 'the keys fetched from the discovery URL');
        const keys = await $('issuer-keys').locator('tbody tr').count();
        check(keys >= 1, 'no keys were fetched');
        const issuer = DISCOVERY_URL.replace(/\/\.well-known\/openid-configuration$/, '');
        await page.waitForFunction((iss) => document.querySelector('[data-test="issuers-table"]')?.innerText.includes(iss), issuer);
        await screenshot('console-issuers');
    });

    await step('rotate-key', ['sign-in'], async () => {
        await openPage('keys', 'page-keys');
        const before = await $('keys-table').locator('tbody tr').allInnerTexts();
        const signingBefore = before.find((r) => r.includes('Signing'));
        check(signingBefore, `no key is marked as signing: ${JSON.stringify(before)}`);
        await $('rotate-key').click();
        await confirmDialog();
        await page.waitForFunction((n) => document.querySelectorAll('[data-test="keys-table"] tbody tr').length === n + 1, before.length);
        const after = await $('keys-table').locator('tbody tr').allInnerTexts();
        const signingAfter = after.filter((r) => r.includes('Signing'));
        check(signingAfter.length === 1 && signingAfter[0] !== signingBefore, `after rotation the signing key is ${JSON.stringify(signingAfter)}`);
        check(await $('retire-key').count() >= 1, 'the old key cannot be retired');
        state.rotatedKid = (await $('keys-table').locator('tbody tr', { hasText: 'Signing' }).locator('code').first().textContent()).trim();
        await screenshot('console-keys');
    });

    await step('client-credentials-with-console-secret', ['confidential-client'], async () => {
        const { status, body } = await clientCredentials(state.confidentialId, state.secret, 'system/*.rs');
        check(status === 200, `the token endpoint answered ${status} ${JSON.stringify(body)}`);
        check(typeof body.access_token === 'string' && body.access_token.length > 20, `no access token: ${JSON.stringify(body)}`);
        state.clientToken = body.access_token;
    });

    await step('tokens', ['client-credentials-with-console-secret'], async () => {
        await openPage('tokens', 'page-tokens');
        await $('tokens-form-submit').click();
        check((await fieldError('client')).length > 0, 'searching with neither user nor client gives no message');
        await fill('client', state.confidentialId);
        await $('tokens-form-submit').click();
        await expectVisible('tokens-table', 'the tokens of the client');
        const rows = await $('tokens-table').locator('tbody tr').count();
        check(rows === 1, `the client has ${rows} tokens listed, expected 1`);
        check((await $('tokens-table').innerText()).includes(state.confidentialId), 'the token row does not name the client');
        await screenshot('console-tokens');
    });

    await step('bulk-export-list', ['client-credentials-with-console-secret'], async () => {
        // the client the console created, with system/*.rs, is a backend service: it exports, the console lists it
        const kickOff = await fetch(`${BASE}/fhir/r4/$export?_type=Patient`, {
            headers: { authorization: `Bearer ${state.clientToken}`, prefer: 'respond-async', accept: 'application/fhir+json' },
        });
        check(kickOff.status === 202, `the export kick-off answered ${kickOff.status} ${await kickOff.text()}`);
        const statusUrl = kickOff.headers.get('content-location');
        const jobId = statusUrl.split('/').pop();
        for (let i = 0; i < 100; i++) {
            const polled = await fetch(statusUrl, { headers: { authorization: `Bearer ${state.clientToken}` } });
            if (polled.status === 200) {
                break;
            }
            await new Promise((r) => setTimeout(r, 300));
        }
        await openPage('bulk-exports', 'page-bulk-exports');
        await expectVisible('bulk-exports-table', 'the list of exports');
        const row = page.locator(`[data-test="bulk-exports-table"] tbody tr[data-job="${jobId}"]`);
        await row.waitFor({ state: 'visible' });
        const text = await row.innerText();
        check(text.includes(state.confidentialId), `the export's row does not name its client: ${text}`);
        check(text.includes('Completed') && text.includes('Patient'), `the export's row reads "${text}"`);
        check(await row.locator('[data-test="bulk-progress"]').getAttribute('data-status') === 'completed', 'the progress bar is not full');
        await screenshot('console-bulk-exports');
    });

    await step('bulk-import', ['client-credentials-with-console-secret'], async () => {
        await openPage('bulk-imports', 'page-bulk-imports');
        await $('bulk-import-form-submit').click();
        await expectVisible('error-bulk-file', 'the message asking for a file');
        check((await $('error-bulk-file').innerText()).trim().length > 0, 'importing without a file gives no message');
        const family = `Console${RUN}`;
        const lines = [
            `{"resourceType":"Patient","id":"console-${RUN}","name":[{"family":"${family}"}]}`,
            'this line is not JSON',
            `{"resourceType":"Patient","name":[{"family":"${family}"}],"birthDate":"2001-02-03"}`,
            `{"resourceType":"Observation","status":"final","code":{"text":"not a Patient"}}`,
        ];
        const file = resolve(SCREENSHOT_DIR, `import-${RUN}.ndjson`);
        await writeFile(file, lines.join('\n') + '\n');
        await fill('type', 'Patient');
        await $('bulk-file').setInputFiles(file);
        await $('bulk-import-form-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="bulk-import-current"] [data-test="bulk-progress"]')
            ?.dataset.status === 'completed', undefined, { timeout: 60_000 });
        const counts = (await $('bulk-counts').innerText()).trim();
        check(counts.includes('Patient') && counts.includes('2'), `the import's counts read "${counts}"`);
        await expectVisible('bulk-errors', 'the error file of the import');
        const errors = await $('bulk-errors').innerText();
        check(errors.includes('Line 2 ') && errors.includes('Line 4 ') && !errors.includes('Line 1 ') && !errors.includes('Line 3 '),
            `the error file reads: ${errors}`);
        const found = await fetch(`${BASE}/fhir/r4/Patient?family=${family}&_summary=count`, { headers: { authorization: `Bearer ${state.clientToken}` } })
            .then((r) => r.json()).catch(() => ({}));
        check(found.total === 2, `the imported Patients are not found: ${JSON.stringify(found)}`);
        await screenshot('console-bulk-import');
    });

    await step('edit-client', ['confidential-client'], async () => {
        await openClient(state.confidentialId);
        state.clientName = `Lab results feed ${RUN}`;
        await fill('client_name', '');
        await $('client-edit-submit').click();
        check((await fieldError('client_name')).length > 0, 'an emptied name gives no inline message');
        await fill('client_name', state.clientName);
        await fill('scope', 'system/Patient.rs system/Observation.rs');
        await $('client-edit-submit').click();
        await page.waitForFunction((name) => document.querySelector('[data-test="page-title"]')?.textContent === name, state.clientName);
        await page.reload();
        await expectVisible('client-edit', 'the client after a reload');
        check(await $('field-scope').inputValue() === 'system/Patient.rs system/Observation.rs', `the scope after a reload is "${await $('field-scope').inputValue()}"`);
        const narrowed = await clientCredentials(state.confidentialId, state.secret, 'system/Patient.rs');
        check(narrowed.status === 200 && narrowed.body.scope === 'system/Patient.rs', `a token for system/Patient.rs: ${narrowed.status} ${JSON.stringify(narrowed.body)}`);
        const outside = await clientCredentials(state.confidentialId, state.secret, 'system/Encounter.rs');
        check(outside.status === 400 && outside.body.error === 'invalid_scope', `a token for a scope taken away: ${outside.status} ${JSON.stringify(outside.body)}`);
    });

    await step('regenerate-secret', ['edit-client'], async () => {
        await openClient(state.confidentialId);
        await $('tab-credentials').click();
        await expectVisible('secret-hidden', 'the credentials tab');
        await $('regenerate-secret').click();
        await confirmDialog();
        await expectVisible('client-secret', 'the new secret');
        const secret = (await $('client-secret').textContent()).trim();
        check(secret.length >= 16 && secret !== state.secret, `the new secret is "${secret}"`);
        await screenshot('console-client-credentials');
        const old = await clientCredentials(state.confidentialId, state.secret, 'system/Patient.rs');
        check(old.status === 401 && old.body.error === 'invalid_client', `the old secret still gets ${old.status} ${JSON.stringify(old.body)}`);
        const fresh = await clientCredentials(state.confidentialId, secret, 'system/Patient.rs');
        check(fresh.status === 200, `the new secret gets ${fresh.status} ${JSON.stringify(fresh.body)}`);
        state.secret = secret;
    });

    await step('token-tester-accepts', ['client-credentials-with-console-secret'], async () => {
        await openPage('issuers', 'page-issuers');
        await fill('token', state.clientToken);
        await $('token-test-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="token-test-result"]')?.innerText.length > 0);
        const verdict = await $('token-test-result').innerText();
        check(verdict.includes('Accepted') && verdict.includes('system/'), `testing the client's own token shows "${verdict}"`);
        await screenshot('console-token-test');
    });

    await step('client-trust', ['sign-in'], async () => {
        // A backend service registers itself; the registration policy gives it no client_credentials.
        const response = await fetch(`${BASE}/oauth2/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                client_name: `Self-registered feed ${RUN}`, grant_types: ['client_credentials'],
                token_endpoint_auth_method: 'client_secret_basic', scope: 'system/Patient.rs',
            }),
        });
        const registered = await response.json().catch(() => ({}));
        check(response.status === 201 && registered.client_id && registered.client_secret,
            `the registration answered ${response.status} ${JSON.stringify(registered)}`);
        state.selfId = registered.client_id;
        state.selfSecret = registered.client_secret;
        const refused = await clientCredentials(state.selfId, state.selfSecret, 'system/Patient.rs');
        check(refused.status === 400 && refused.body.error === 'unauthorized_client',
            `before approval a client_credentials token request answered ${refused.status} ${JSON.stringify(refused.body)}`);
        await openPage('clients', 'page-clients');
        await $('clients-search').fill(RUN);
        const row = $('clients-table').locator('tbody tr', { hasText: state.selfId });
        await row.waitFor();
        equal((await row.locator('[data-test="client-trust"]').textContent()).trim(), 'Self-registered — not approved', 'the trust badge in the clients list');
        await row.locator('[data-test="client-link"]').click();
        await expectVisible('client-edit', `the page of client ${state.selfId}`);
        await $('tab-trust').click();
        await expectVisible('client-trust-card', 'the trust of the client');
        equal(await $('trust-level').getAttribute('data-level'), 'unapproved', 'the trust level of a new self-registered client');
        check((await $('trust-registered-grants').innerText()).includes('client_credentials'), 'the trust card does not show the registered grant type');
        await screenshot('console-client-trust');
        await $('trust-approve-registered').click();
        await expectVisible('trust-saved', 'the saved approval');
        equal(await $('trust-level').getAttribute('data-level'), 'approved', 'the trust level after approval');
        equal((await $('client-trust').textContent()).trim(), 'Self-registered — approved', 'the trust badge after approval');
        check(await $('trust-grant-client_credentials').isChecked(), 'client_credentials is not ticked as approved');
        equal(await $('field-approved_scope').inputValue(), 'system/Patient.rs', 'the approved scope');
        const approved = await clientCredentials(state.selfId, state.selfSecret, 'system/Patient.rs');
        check(approved.status === 200 && approved.body.scope === 'system/Patient.rs',
            `after approval a client_credentials token request answered ${approved.status} ${JSON.stringify(approved.body)}`);
        state.selfToken = approved.body.access_token;
    });

    await step('resource-server', ['client-trust'], async () => {
        // Any other client's token will do: the console's own.
        const consoleToken = await page.evaluate(() => sessionStorage.getItem('bastion.access_token'));
        const before = await introspect(state.selfId, state.selfSecret, consoleToken);
        check(before.body.active !== true, `before it is a resource server the client introspects the console's token: ${before.status} ${JSON.stringify(before.body)}`);
        await openClient(state.selfId);
        await $('tab-trust').click();
        await expectVisible('client-trust-card', 'the trust of the client');
        check(!(await $('trust-resource-server').isChecked()), 'a self-registered client is a resource server from the start');
        await fill('approved_scope', 'system/Patient.rs "x"');
        check((await fieldError('approved_scope')).length > 0, 'a quote in the approved scope gives no inline message');
        await fill('approved_scope', 'system/Patient.rs');
        await fill('jwt_bearer_subjects', 'role:');
        check((await fieldError('jwt_bearer_subjects')).length > 0, 'the JWT bearer subject "role:" gives no inline message');
        await fill('jwt_bearer_subjects', '');
        await $('trust-resource-server').check();
        await $('trust-form-submit').click();
        await expectVisible('trust-saved', 'the saved trust');
        await page.reload();
        await expectVisible('client-trust-card', 'the trust of the client after a reload');
        check(await $('trust-resource-server').isChecked(), 'after a reload the client is no resource server');
        equal(await $('trust-level').getAttribute('data-level'), 'approved', 'the trust level after saving the form');
        await screenshot('console-client-resource-server');
        const after = await introspect(state.selfId, state.selfSecret, consoleToken);
        check(after.status === 200 && after.body.active === true, `the resource server introspects the console's token: ${after.status} ${JSON.stringify(after.body)}`);
    });

    await step('jwt-bearer-delegation', ['client-trust'], async () => {
        // A service that asserts who it acts for (RFC 7523): its word names a user only after an admin says so in the console.
        const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
        const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
        const jwk = { ...(await jose.exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: `k-${RUN}` };
        const response = await fetch(`${BASE}/oauth2/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                client_name: `Assertion service ${RUN}`, grant_types: [JWT_BEARER], token_endpoint_auth_method: 'private_key_jwt',
                scope: 'user/Patient.rs', jwks: { keys: [jwk] },
            }),
        });
        const registered = await response.json().catch(() => ({}));
        check(response.status === 201 && registered.client_id, `the registration answered ${response.status} ${JSON.stringify(registered)}`);
        const assertFor = async (subject) => {
            const assertion = await new jose.SignJWT({})
                .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
                .setIssuer(registered.client_id).setSubject(subject).setAudience(`${BASE}/oauth2/token`)
                .setIssuedAt().setExpirationTime('2m').setJti(randomBytes(12).toString('hex'))
                .sign(privateKey);
            const answer = await fetch(`${BASE}/oauth2/token`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ grant_type: JWT_BEARER, assertion, scope: 'user/Patient.rs' }),
            });
            return { status: answer.status, body: await answer.json().catch(() => ({})) };
        };
        await openClient(registered.client_id);
        await $('tab-trust').click();
        await expectVisible('client-trust-card', 'the trust of the assertion service');
        await $('trust-approve-registered').click();
        await expectVisible('trust-saved', 'the approved grant type');
        const refused = await assertFor(USERNAME);
        check(refused.status === 400 && refused.body.error === 'invalid_grant',
            `with the grant approved but no delegation, an assertion for ${USERNAME} answered ${refused.status} ${JSON.stringify(refused.body)}`);
        await fill('jwt_bearer_subjects', USERNAME);
        check((await fieldError('jwt_bearer_subjects')).length === 0, 'a username as JWT bearer subject gives an inline message');
        await $('trust-form-submit').click();
        await expectVisible('trust-saved', 'the saved delegation');
        // the notice of the approval above is there already: the save is done when the button is back
        await page.waitForFunction(() => !document.querySelector('[data-test="trust-form-submit"]')?.disabled);
        await page.reload();
        await expectVisible('client-trust-card', 'the trust of the assertion service after a reload');
        equal(await $('field-jwt_bearer_subjects').inputValue(), USERNAME, 'the JWT bearer subjects after a reload');
        await screenshot('console-client-jwt-bearer-delegation');
        const granted = await assertFor(USERNAME);
        check(granted.status === 200 && typeof granted.body.access_token === 'string',
            `after the delegation an assertion for ${USERNAME} answered ${granted.status} ${JSON.stringify(granted.body)}`);
        const claims = jose.decodeJwt(granted.body.access_token);
        equal(claims.client_id, registered.client_id, 'the client_id of the delegated token');
        check(claims.sub !== registered.client_id && claims.auth_time === undefined,
            `the delegated token is the user's, without auth_time: ${JSON.stringify(claims)}`);
    });

    await step('reset-password', ['user', 'public-client'], async () => {
        await openUser(state.username);
        state.password = `New-${RUN}-password`;
        await fill('password', 'short');
        check((await fieldError('password')).includes('8'), 'a short new password gives no inline message');
        await fill('password', state.password);
        await $('password-form-submit').click();
        await expectVisible('confirm-dialog', 'the confirmation of the password reset');
        check((await $('confirm-dialog').innerText()).includes('sessions and tokens'), 'the confirmation does not say the sessions and tokens end');
        await confirmDialog();
        await expectVisible('toast', 'the "password changed" notice');
        // The user signs in with the new password and consents to the public client.
        state.userContext = await browser.newContext({ locale: 'en-US' });
        const user = await state.userContext.newPage();
        await user.goto(appAuthorizeUrl());
        await user.fill('input[name=username]', state.username);
        await user.fill('input[name=password]', state.password);
        await user.click('button[type=submit]');
        await user.waitForURL((u) => u.pathname.startsWith('/oauth2/consent'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`no consent page after signing in with the new password: ${user.url()}`); });
        const callback = await redirectToApp(user, () => user.click('button[name=decision][value=approve]'));
        check(callback.searchParams.has('code'), `the app got no code: ${callback.href}`);
        // Consent remembered: the next authorization goes straight back to the app.
        await redirectToApp(user, () => user.goto(appAuthorizeUrl()));
        state.userPage = user;
    });

    await step('withdraw-consent', ['reset-password'], async () => {
        await openUser(state.username);
        await expectVisible('consents-table', 'the consent the user just gave');
        check((await $('consents-table').innerText()).includes(state.publicId), 'the consent does not name the public client');
        await screenshot('console-user-consents');
        await $('withdraw-consent').click();
        await confirmDialog();
        await expectVisible('consents-table-empty', 'no consents after withdrawal');
        const user = state.userPage;
        const app = user.waitForRequest((r) => r.url().startsWith(APP_CALLBACK), { timeout: 10_000 }).then(() => 'the app', () => null);
        await user.goto(appAuthorizeUrl());
        check(new URL(user.url()).pathname.startsWith('/oauth2/consent'), `after withdrawal the user is not asked again: ${user.url()}`);
        check(await Promise.race([app, new Promise((r) => setTimeout(() => r(null), 500))]) === null, 'after withdrawal the user went straight to the app');
        await state.userContext.close();
    });

    await step('sign-in-throttle', ['public-client'], async () => {
        // Someone guesses passwords for a made-up name: from the 5th failure the name must wait,
        // the sign-in page reads the same throughout, and the admin sees it and lifts the wait.
        const name = `guess-${RUN}`;
        const guesser = await browser.newContext({ locale: 'en-US' });
        const attempt = await guesser.newPage();
        await attempt.goto(appAuthorizeUrl());
        const alerts = new Set();
        for (let i = 0; i < 6; i++) {
            await attempt.fill('input[name=username]', name);
            await attempt.fill('input[name=password]', `wrong-${i}`);
            await attempt.click('button[type=submit]');
            await attempt.waitForLoadState('load');
            alerts.add((await attempt.locator('[role=alert]').innerText()).trim());
        }
        await guesser.close();
        check(alerts.size === 1, `the sign-in page answered differently while throttled: ${[...alerts].join(' | ')}`);
        await openPage('users', 'page-users');
        await expectVisible('throttles-table', 'the sign-in throttling table');
        const row = page.locator('[data-test="throttles-table"] tr', { hasText: `user:${name}` });
        await row.waitFor({ state: 'visible' }).catch(async () => {
            throw new StepFailure(`user:${name} is not in the throttling table: ${await $('throttles').innerText()}`);
        });
        check((await row.innerText()).includes('Waits until'), `user:${name} is not shown waiting: ${await row.innerText()}`);
        await screenshot('console-sign-in-throttling');
        await row.locator('[data-test="lift-throttle"]').click();
        await expectVisible('toast', 'the "lifted" notice');
        await row.waitFor({ state: 'detached' }).catch(() => { throw new StepFailure(`user:${name} is still listed after Lift`); });
    });

    await step('user-reach', ['client-trust'], async () => {
        state.patientId = await somePatientId();
        await openPage('users', 'page-users');
        await $('new-user').click();
        await expectVisible('user-form', 'the new user form');
        state.reachUsername = `doctor.${RUN}`;
        state.reachPassword = `Pw-${RUN}-doctor`;
        await fill('username', state.reachUsername);
        await fill('password', state.reachPassword);
        await fill('fhirUser', `Practitioner/d-${RUN}`);
        await $('user-form-submit').click();
        await expectVisible('user-reach', 'the patient access of the new user');
        equal(await $('user-reach-value').getAttribute('data-reach'), 'nothing', 'the reach of a practitioner granted no patients');
        check(!(await $('reach-all-patients').isChecked()), 'a new user reaches all patients');
        await fill('patients', `${state.patientId} not/an-id`);
        check((await fieldError('patients')).includes('not/an-id'), `a wrong patient id shows "${await fieldError('patients')}"`);
        await fill('patients', state.patientId);
        check(await fieldError('patients') === '', `a patient id still shows "${await fieldError('patients')}"`);
        await $('reach-form-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="user-reach-value"]')?.getAttribute('data-reach') === 'listed-patients')
            .catch(async () => { throw new StepFailure(`after granting Patient/${state.patientId} the reach is ${await $('user-reach-value').getAttribute('data-reach')}`); });
        await page.reload();
        await expectVisible('user-reach', 'the patient access after a reload');
        equal(await $('field-patients').inputValue(), state.patientId, 'the granted patients after a reload');
        check((await $('user-reach-patients').innerText()).includes(`Patient/${state.patientId}`), 'the granted patient is not listed after a reload');
        equal(await $('user-reach-value').getAttribute('data-reach'), 'listed-patients', 'the reach after a reload');
        check((await $('user-reach-value').innerText()).includes('Listed patients'), `the reach reads "${await $('user-reach-value').innerText()}"`);
        await screenshot('console-user-reach');
    });

    await step('delete-user', ['user-reach'], async () => {
        check(await passwordSignIn(state.reachUsername, state.reachPassword) !== 401, `${state.reachUsername} cannot sign in before deletion`);
        await openUser(state.reachUsername);
        await $('user-delete').click();
        await expectVisible('confirm-dialog', 'the confirmation of the deletion');
        check((await $('confirm-dialog').innerText()).includes('sessions and tokens'), 'the confirmation does not say the sessions and tokens end');
        await confirmDialog();
        await expectVisible('page-users', 'the users list after the deletion');
        await $('users-search').fill(state.reachUsername);
        await expectVisible('users-table-empty', `the users list without ${state.reachUsername}`);
        equal(await passwordSignIn(state.reachUsername, state.reachPassword), 401, 'the status of signing in as the deleted user');
    });

    await step('audit', ['sign-in'], async () => {
        await openPage('audit', 'page-audit');
        await expectVisible('audit-table', 'audit events');
        await $('field-category').selectOption('token');
        await $('audit-filters-submit').click();
        await page.waitForFunction(() => !document.querySelector('[data-test="audit-filters-submit"]')?.disabled);
        await expectVisible('audit-table', 'token audit events');
        // The third column is the interaction: "token" for every token request.
        const interactions = () => $('audit-table').locator('tbody tr td:nth-child(3)').allInnerTexts();
        const tokenOnly = await interactions();
        check(tokenOnly.length > 0 && tokenOnly.every((i) => i.trim() === 'token'), `the token category shows ${JSON.stringify(tokenOnly)}`);
        await $('field-category').selectOption('');
        await $('audit-filters-submit').click();
        await page.waitForFunction(() => !document.querySelector('[data-test="audit-filters-submit"]')?.disabled);
        const all = await interactions();
        check(all.some((i) => i.trim() !== 'token'), `without the category filter only token events show: ${JSON.stringify(all)}`);
        if (!(await $('audit-next').isDisabled())) {
            const first = await $('audit-table').locator('tbody tr').first().innerText();
            await $('audit-next').click();
            await page.waitForFunction((f) => document.querySelector('[data-test="audit-table"] tbody tr')?.innerText !== f, first);
            check(!(await $('audit-prev').isDisabled()), 'on the second audit page, Previous is disabled');
            await $('audit-prev').click();
            await page.waitForFunction(() => document.querySelector('[data-test="audit-prev"]')?.disabled);
        }
        await screenshot('console-audit');
    });

    await step('initial-access-token', ['sign-in'], async () => {
        await openPage('iat', 'page-iat');
        await fill('uses', '0');
        check((await fieldError('uses')).length > 0, 'zero uses gives no inline message');
        await fill('uses', '5');
        await fill('approved_scope', 'system/Patient.rs\\');
        check((await fieldError('approved_scope')).length > 0, 'a backslash in the approved scope gives no inline message');
        await fill('approved_scope', 'system/Patient.rs');
        await $('iat-grant-client_credentials').check();
        await $('iat-form-submit').click();
        await expectVisible('iat-token', 'the issued initial access token');
        await expectVisible('iat-table', 'the list of initial access tokens');
        const token = (await $('iat-token').textContent()).trim();
        check(token.length >= 16, `the initial access token is "${token}"`);
        const rows = await $('iat-table').locator('tbody tr').allInnerTexts();
        check(rows.some((r) => r.includes('5') && r.includes('client_credentials') && r.includes('system/Patient.rs')), `the list shows ${JSON.stringify(rows)}`);
        await screenshot('console-initial-access-tokens');
    });

    await step('api-key', ['confidential-client'], async () => {
        const name = `Lab analyser ${RUN}`;
        const withKey = async (key) => {
            const response = await fetch(`${BASE}/fhir/r4/Patient?_count=1`, { headers: { 'x-api-key': key } });
            return { status: response.status, text: await response.text() };
        };
        const setKeys = async (value) => {
            await openPage('settings', 'page-settings');
            await $('field-api_keys').selectOption(value);
            await $('settings-form-submit').click();
            await expectVisible('toast', 'the saved message');
        };
        await openPage('apikeys', 'page-api-keys');
        await expectVisible('api-keys-off', 'the notice that API keys are off');
        await fill('name', name);
        await fill('client_id', state.confidentialId);
        await fill('scope', 'user/Patient.rs');
        await $('api-key-form-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="error-scope"]')?.textContent.trim().length > 0);
        check((await fieldError('scope')).includes('system/'), `a user/ scope is refused with "${await fieldError('scope')}"`);
        await fill('scope', 'system/Patient.rs');
        await $('api-key-form-submit').click();
        await expectVisible('api-key-value', 'the issued API key');
        const key = (await $('api-key-value').textContent()).trim();
        check(key.startsWith('bak_'), `the API key is "${key}"`);
        const row = $('api-key-table').locator('tbody tr', { hasText: name });
        check((await row.innerText()).includes('system/Patient.rs'), `the list shows ${await row.innerText()}`);
        await screenshot('console-api-keys');
        let answer = await withKey(key);
        check(answer.status === 401 && answer.text.includes('turned off'), `while keys are off the FHIR API answers ${answer.status} ${answer.text}`);
        await setKeys('on');
        try {
            answer = await withKey(key);
            equal(answer.status, 200, `the key on the FHIR API once keys are on: ${answer.text}`);
            await openPage('apikeys', 'page-api-keys');
            await row.locator('[data-test="revoke-api-key"]').click();
            await confirmDialog();
            await page.waitForFunction((n) => [...document.querySelectorAll('[data-test="api-key-table"] tbody tr')]
                .some((r) => r.textContent.includes(n) && r.querySelector('[data-test="api-key-status"]')?.textContent === 'Revoked'), name);
            answer = await withKey(key);
            check(answer.status === 401 && answer.text.includes('revoked'), `the revoked key gets ${answer.status} ${answer.text}`);
        } finally {
            await setKeys('off');
        }
    });

    await step('validation-package', ['sign-in'], async () => {
        const name = `bastion.console.profiles${RUN}`;
        await openPage('packages', 'page-packages');
        await $('package-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a package') });
        await $('package-form-submit').click();
        await page.waitForFunction(() => document.querySelector('[data-test="error-package"]')?.textContent.trim().length > 0);
        check((await fieldError('package')).includes('gzip'), `a text file is refused with "${await fieldError('package')}"`);
        const profile = {
            resourceType: 'StructureDefinition', id: 'console-patient', url: `http://example.org/fhir/StructureDefinition/console-patient-${RUN}`,
            name: 'ConsolePatient', status: 'active', fhirVersion: '4.0.1', kind: 'resource', abstract: false, type: 'Patient',
            baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
            differential: { element: [{ id: 'Patient', path: 'Patient' }, { id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
        };
        await $('package-file').setInputFiles({ name: `${name}.tgz`, mimeType: 'application/gzip', buffer: tgz({
            'package.json': JSON.stringify({ name, version: '0.1.0', fhirVersions: ['4.0.1'] }),
            'StructureDefinition-console-patient.json': JSON.stringify(profile),
        }) });
        await $('package-form-submit').click();
        await expectVisible('package-loaded', 'the loaded package');
        const row = $('package-table').locator('tbody tr', { hasText: name });
        check((await row.innerText()).includes('0.1.0'), `the package list shows ${await row.innerText()}`);
        await screenshot('console-packages');
        await row.locator('[data-test="delete-package"]').click();
        await confirmDialog();
        await page.waitForFunction((n) => ![...document.querySelectorAll('[data-test="package-table"] tbody tr')]
            .some((r) => r.textContent.includes(n)), name);
    });

    await step('launch-bound', ['client-trust'], async () => {
        await demoAppReady();
        await openPage('launch', 'page-launch');
        check((await page.locator('.lead').innerText()).includes('5 minutes'), 'the launch page does not say how long a handle lives');
        equal(await $('field-client_id').inputValue(), 'patient-browser', 'the default app of a launch');
        equal(await $('field-username').inputValue(), '', 'the default user of a launch');
        await fill('client_id', '');
        check((await fieldError('client_id')).length > 0, 'an emptied client id gives no inline message');
        await fill('client_id', 'patient-browser');
        await fill('username', 'not a username');
        check((await fieldError('username')).length > 0, 'a username with spaces gives no inline message');
        await fill('username', USERNAME);
        await fill('patient', await somePatientId());
        await $('launch-form-submit').click();
        await expectVisible('launch-url', 'the launch URL');
        equal((await $('launch-client').textContent()).trim(), 'patient-browser', 'the app of the launch');
        equal((await $('launch-user').textContent()).trim(), USERNAME, 'the user of the launch');
        check(new URL((await $('launch-url').textContent()).trim()).searchParams.get('launch')?.length > 0, 'the launch URL has no handle');
        await screenshot('console-launch');
    });

    await step('japanese', ['sign-in'], async () => {
        await $('lang-switch').selectOption('ja');
        await page.waitForFunction(() => document.documentElement.lang === 'ja');
        const nav = await page.locator('.nav').innerText();
        for (const word of ['クライアント', 'ユーザー', 'スコープ', '署名鍵', '外部IdP', '監査ログ', '設定']) {
            check(nav.includes(word), `the Japanese navigation lacks ${word}: ${nav}`);
        }
        await $('nav-overview').click();
        await expectVisible('page-overview', 'the overview in Japanese');
        check((await $('page-title').textContent()) === '概要', `the overview title is "${await $('page-title').textContent()}"`);
        await screenshot('console-overview-ja');
        await openPage('clients', 'page-clients');
        check((await $('page-title').textContent()) === 'クライアント', 'the clients title is not Japanese');
        await screenshot('console-clients-ja');
        await openPage('scopes', 'page-scopes');
        await screenshot('console-scopes-ja');
        await page.reload();
        await expectVisible('page-scopes', 'the scopes page after a reload');
        check(await page.evaluate(() => document.documentElement.lang) === 'ja', 'the language is not kept across a reload');
    });

    await step('japanese-consent-shows-description', ['public-client', 'scope-description'], async () => {
        const url = appAuthorizeUrl('&ui_locales=ja');
        // The application's redirect URI is not reachable from here; only the consent page matters.
        await page.route('https://app.example.org/**', (route) => route.fulfill({ status: 200, body: 'app' }));
        await page.goto(url);
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/consent'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`no consent page; the browser is at ${page.url()}: ${await pageText(page, 'body')}`); });
        const text = await page.locator('body').innerText();
        check(text.includes(SCOPE_JA), `the consent page does not show "${SCOPE_JA}": ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
        check(await page.getAttribute('html', 'lang') === 'ja', 'the consent page is not in Japanese');
        await screenshot('consent-ja');
    });

    await step('retire-key', ['rotate-key'], async () => {
        // Rotate once more, then retire the key made by the first rotation: the keys the other
        // tests sign with stay published.
        await page.goto(`${CONSOLE}#/`);
        await expectVisible('page-overview', 'the console');
        await openPage('keys', 'page-keys');
        const rows = await $('keys-table').locator('tbody tr').count();
        await $('rotate-key').click();
        await confirmDialog();
        await page.waitForFunction((n) => document.querySelectorAll('[data-test="keys-table"] tbody tr').length === n + 1, rows);
        const kid = state.rotatedKid;
        const row = $('keys-table').locator('tbody tr', { hasText: kid });
        check(!(await row.innerText()).includes('Signing'), `${kid} still signs after another rotation`);
        await row.locator('[data-test="retire-key"]').click();
        await confirmDialog();
        await page.waitForFunction((k) => !document.querySelector('[data-test="keys-table"]')?.innerText.includes(k), kid);
        check(await $('keys-table').locator('tbody tr').count() === rows, 'the keys page does not show the retired key gone');
        const jwks = await (await fetch(`${BASE}/oauth2/jwks`)).json();
        check(!jwks.keys.some((k) => k.kid === kid), `the retired key ${kid} is still published`);
    });

    await step('sign-out', ['sign-in'], async () => {
        await page.goto(`${CONSOLE}#/`);
        await expectVisible('page-overview', 'the console');
        await $('sign-out').click();
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/login'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`after sign-out the browser is at ${page.url()}: ${await pageText(page, 'body')}`); });
        check(await page.evaluate(() => !sessionStorage.getItem('bastion.access_token')), 'the access token is still in sessionStorage');
    });
}

/** Opens a client's page from the clients list. */
async function openClient(id) {
    await openPage('clients', 'page-clients');
    await $('clients-search').fill(RUN);
    await page.waitForFunction((run) => [...document.querySelectorAll('[data-test="client-link"]')].every((a) => a.textContent.includes(run)), RUN);
    await page.locator(`[data-test="client-link"][href$="${encodeURIComponent(id)}"]`).click();
    await expectVisible('client-edit', `the page of client ${id}`);
}

/** Opens a user's page from the users list. */
async function openUser(username) {
    await openPage('users', 'page-users');
    await $('users-table').locator('[data-test="user-link"]', { hasText: username }).click();
    await expectVisible('password-form', `the page of user ${username}`);
}

/** client_secret_basic (RFC 6749 §2.3.1). */
function basic(id, secret) {
    return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function clientCredentials(id, secret, scope) {
    const response = await fetch(`${BASE}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
    });
    return { status: response.status, body: await response.json().catch(() => ({})) };
}

/** Token introspection (RFC 7662) by a confidential client. */
async function introspect(id, secret, token) {
    const response = await fetch(`${BASE}/oauth2/introspect`, {
        method: 'POST',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
    });
    return { status: response.status, body: await response.json().catch(() => ({})) };
}

/**
 * The id of a Patient of the demo data set, found with the approved self-registered client's
 * system/Patient.rs token; the data set may still be loading, so this waits a while for one.
 */
async function somePatientId() {
    if (state.patientId) {
        return state.patientId;
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
        const response = await fetch(`${BASE}/fhir/r4/Patient?_count=1`, { headers: { authorization: `Bearer ${state.selfToken}`, accept: 'application/fhir+json' } });
        const bundle = await response.json().catch(() => ({}));
        check(response.ok, `searching Patients answered ${response.status} ${JSON.stringify(bundle).slice(0, 300)}`);
        const id = bundle.entry?.[0]?.resource?.id;
        if (id) {
            state.patientId = id;
            return id;
        }
        check(Date.now() < deadline, 'no Patient on the server to grant');
        await new Promise((r) => setTimeout(r, 2000));
    }
}

/**
 * Signs in on Bastion's sign-in page in a fresh browser, as the console would have a user do;
 * returns the HTTP status of the sign-in form's answer (401 when the sign-in is refused).
 */
async function passwordSignIn(username, password) {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
        const other = await context.newPage();
        await other.goto(CONSOLE);
        await other.waitForURL((u) => u.pathname.startsWith('/oauth2/login'), { waitUntil: 'load' });
        await other.fill('input[name=username]', username);
        await other.fill('input[name=password]', password);
        const posted = other.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/oauth2/login'));
        await other.click('button[type=submit]');
        const response = await (await posted).response();
        return response ? response.status() : 0;
    } finally {
        await context.close();
    }
}

/**
 * Runs action (a click or navigation) that ends in a redirect to the app's callback, which is not
 * reachable from here (a route would not see a redirect); returns the callback URL requested.
 */
async function redirectToApp(p, action) {
    const request = p.waitForRequest((r) => r.url().startsWith(APP_CALLBACK));
    await action().catch(() => {});
    return new URL((await request).url());
}

function appAuthorizeUrl(extra = '') {
    const { challenge } = pkce();
    return `${BASE}/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(state.publicId)}`
        + `&redirect_uri=${encodeURIComponent(APP_CALLBACK)}&scope=${encodeURIComponent(`openid ${SCOPE_NAME}`)}`
        + `&state=s&code_challenge=${challenge}&code_challenge_method=S256${extra}`;
}

/** The server's current value of token_access_seconds, read with the console's own token. */
/** The demo data job creates the sample app's client once the demo patients are in: wait for it, within the step's time. */
async function demoAppReady() {
    const deadline = Date.now() + 100_000;
    for (;;) {
        const status = await page.evaluate(async () => (await fetch('/admin/api/clients/patient-browser',
            { headers: { authorization: `Bearer ${sessionStorage.getItem('bastion.access_token')}` } })).status);
        if (status === 200) {
            return;
        }
        check(Date.now() < deadline, `the demo app patient-browser did not appear within 100 s (the admin API answers ${status})`);
        await page.waitForTimeout(2000);
    }
}

/** A FHIR package's .tgz: each file under package/ with a ustar header, as npm pack makes it. */
function tgz(files) {
    const blocks = [];
    for (const [name, text] of Object.entries(files)) {
        const body = Buffer.from(text, 'utf8');
        const header = Buffer.alloc(512);
        header.write(`package/${name}`, 0, 'ascii');
        header.write('0000644', 100, 'ascii');
        header.write('0000000', 108, 'ascii');
        header.write('0000000', 116, 'ascii');
        header.write(body.length.toString(8).padStart(11, '0'), 124, 'ascii');
        header.write('00000000000', 136, 'ascii');
        header.write('0', 156, 'ascii');
        header.write('ustar', 257, 'ascii');
        header.write('00', 263, 'ascii');
        header.fill(' ', 148, 156);
        const sum = header.reduce((a, b) => a + b, 0);
        header.write(sum.toString(8).padStart(6, '0'), 148, 'ascii');
        blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return gzipSync(Buffer.concat(blocks));
}

async function fetchSettingsValue() {
    return page.evaluate(async () => {
        const response = await fetch('/admin/api/settings', { headers: { authorization: `Bearer ${sessionStorage.getItem('bastion.access_token')}` } });
        return (await response.json()).token_access_seconds.value;
    });
}

await run(async () => {
    browser = await launchChromium();
    return browser;
}, main);
