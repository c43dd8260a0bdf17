// End-to-end journey of the official SMART JavaScript client (fhirclient, npm) through a SMART
// App Launch 2 standalone launch against Bastion in headless Chromium: the app's own pages
// (fhirclient-app/) call FHIR.oauth2.authorize() and FHIR.oauth2.ready(); the user signs in on
// Bastion's page, picks the patient in Bastion's patient picker and approves; the app then
// reads the patient and the patient's observations and refreshes its token, all across
// origins (CORS) from the browser.
//
//   BASTION_URL          Bastion's base URL                                (default http://localhost:8080)
//   ADMIN_USERNAME       user who signs in and picks the patient (one who reaches it)  (default admin; or BASTION_USERNAME)
//   ADMIN_PASSWORD       that user's password                              (default admin-pw; or BASTION_PASSWORD)
//   SCREENSHOTS          where page screenshots go                         (default ./screenshots; or SCREENSHOT_DIR)
//   CHROMIUM             the Chromium executable                           (default /usr/bin/chromium; or CHROMIUM_PATH)
//   ADMIN_TOKEN          an admin's access token (the console client's, with the admin scope),
//                        to approve client_credentials for the self-registered backend client
//   FHIRCLIENT_APP_PORT  loopback port of the app's pages                  (default 8690)
//   SERVER_WAIT_SECONDS  how long to wait for Bastion                      (default 180)
//   JOURNEY_DEBUG        when set, every browser request and response goes to stderr
//
// Clients are registered dynamically (RFC 7591): openly when Bastion runs with
// BASTION_REGISTRATION=open, otherwise with an initial access token that the signing-in
// user, an admin, issues through the admin API after signing in to the console.
//
// One line per step, "PASS name" or "FAIL name: reason", then a JSON summary line
// {"passed":[...],"failed":[...]}. Exit code 0 only when every step passed.

import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { StepFailure, check, equal, journey, launchChromium, loopbackContext, pageText } from './journey.mjs';

const BASE = (process.env.BASTION_URL || 'http://localhost:8080').replace(/\/+$/, '');
const ISSUER = `${BASE}/oauth2`;
const FHIR_BASE = `${BASE}/fhir/r4`;
const USERNAME = process.env.ADMIN_USERNAME || process.env.BASTION_USERNAME || 'admin';
const PASSWORD = process.env.ADMIN_PASSWORD || process.env.BASTION_PASSWORD || 'admin-pw';
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOTS || process.env.SCREENSHOT_DIR || './screenshots');
const APP_PORT = Number(process.env.FHIRCLIENT_APP_PORT || 8690);
const ADMIN_TOKEN = process.env.ADMIN_TOKEN;

// The app's pages, on their own origin; the redirect URI is the page that calls ready().
const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
const REDIRECT_URI = `${APP_ORIGIN}/index.html`;
const APP_DIR = fileURLToPath(new URL('./fhirclient-app/', import.meta.url));

const APP_SCOPE = 'launch/patient openid fhirUser patient/*.rs offline_access';
const BACKEND_SCOPE = 'system/*.*';
const RUN = randomBytes(3).toString('hex');
const GIVEN = 'Ada';
const FAMILY = `Fhirclient-${RUN}`;
const PATIENT_NAME = `${GIVEN} ${FAMILY}`;
const PAGE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Step bookkeeping

const state = { consoleErrors: [] };

const { step, run } = journey({
    probeUrl: `${FHIR_BASE}/.well-known/smart-configuration`,
    onFailure: (name) => screenshot(state.page, `fhirclient-failure-${name}`),
});

function scopes(value) {
    return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

function sameScopes(actual, expected) {
    return JSON.stringify(scopes(actual).sort()) === JSON.stringify(scopes(expected).sort());
}

/** A request to Bastion from Node; the body is JSON when it parses, text otherwise. */
async function call(url, { method = 'GET', headers = {}, json, form } = {}) {
    const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) };
    if (json !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(json);
    } else if (form !== undefined) {
        init.headers['content-type'] = 'application/x-www-form-urlencoded';
        init.body = new URLSearchParams(form);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let body = text;
    try {
        body = JSON.parse(text);
    } catch {
        // not JSON
    }
    return { status: response.status, headers: response.headers, body, text: text.slice(0, 300) };
}

/** Dynamic client registration: open, or else with an initial access token issued by the admin. */
async function register(metadata) {
    let answer = await call(`${ISSUER}/register`, { method: 'POST', json: metadata, headers: await registrationHeaders() });
    if (answer.status === 401 && !state.initialAccessToken) {
        console.log(`  (registration is not open: ${answer.body?.error_description ?? answer.text}; using an initial access token)`);
        state.initialAccessToken = await initialAccessToken();
        answer = await call(`${ISSUER}/register`, { method: 'POST', json: metadata, headers: await registrationHeaders() });
    }
    check(answer.status === 201, `registering "${metadata.client_name}" answered ${answer.status}: ${answer.text}`);
    check(typeof answer.body.client_id === 'string' && answer.body.client_id.length > 0, 'no client_id was issued');
    return answer.body;
}

async function registrationHeaders() {
    return state.initialAccessToken ? { authorization: `Bearer ${state.initialAccessToken}` } : {};
}

/** An admin's approval through the admin API, of what a self-registered client may not do on its own; fields left out keep their value. */
async function approve(clientId, trust) {
    check(ADMIN_TOKEN, `ADMIN_TOKEN is not set; an admin must approve client ${clientId} for ${JSON.stringify(trust)}`);
    const answer = await call(`${BASE}/admin/api/clients/${encodeURIComponent(clientId)}/trust`, {
        method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, json: trust,
    });
    check(answer.status === 200, `approving client ${clientId} for ${JSON.stringify(trust)} answered ${answer.status}: ${answer.text}`);
    return answer.body;
}

/** Signs the admin in to the console (its own browser session) and issues an initial access token for two registrations. */
async function initialAccessToken() {
    const context = await loopbackContext(browser, BASE);
    try {
        const page = await context.newPage();
        await page.goto(`${BASE}/admin/`);
        await expectPage(page, 'login', 'sign-in (for the admin console)');
        await signIn(page);
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/consent') || u.pathname.startsWith('/admin/'), { waitUntil: 'load' });
        if (new URL(page.url()).pathname.startsWith('/oauth2/consent')) {
            await page.click('button[name=decision][value=approve]');
        }
        const admin = await (await page.waitForFunction(() => sessionStorage.getItem('bastion.access_token'))).jsonValue();
        const issued = await call(`${BASE}/admin/api/initial-access-tokens`, {
            method: 'POST', json: { uses: 2, expires_in: 600 }, headers: { authorization: `Bearer ${admin}` },
        });
        check(issued.status === 201 && typeof issued.body.token === 'string',
            `the admin API did not issue an initial access token: ${issued.status} ${issued.text}`);
        return issued.body.token;
    } catch (error) {
        if (error instanceof StepFailure) {
            throw error;
        }
        throw new StepFailure(`registration is not open (BASTION_REGISTRATION=open) and no initial access token could be had as ${USERNAME}: ${error.message}`);
    } finally {
        await context.close();
    }
}

function pkceChallenge(verifier) {
    return createHash('sha256').update(verifier).digest('base64url');
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

let browser;
/** The browser console's errors so far (CORS refusals are reported there), for a failure message. */
function consoleErrors() {
    const errors = state.consoleErrors.map((e) => e.replace(/\s+/g, ' ').slice(0, 400));
    return errors.length === 0 ? '' : `; browser console: ${errors.join(' | ')}`;
}

async function expectPage(page, path, what) {
    try {
        await page.waitForURL((u) => u.href.startsWith(`${ISSUER}/${path}`), { waitUntil: 'load' });
    } catch {
        throw new StepFailure(`expected the ${what} page, but the browser is at ${page.url()} showing: ${await pageText(page)}${consoleErrors()}`);
    }
}

async function screenshot(page, name) {
    await page?.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function signIn(page) {
    await page.fill('#username', USERNAME);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
}

const $ = (page, test) => page.locator(`[data-test="${test}"]`);

/** Waits until the app's status line says `expected` (or "failed"); fails with the app's error otherwise. */
async function expectAppStatus(page, expected) {
    await page.waitForFunction((wanted) => ['failed', wanted].includes(document.querySelector('[data-test="status"]')?.textContent), expected)
        .catch(() => {});
    const status = await $(page, 'status').textContent().catch(() => null);
    if (status !== expected) {
        const error = await $(page, 'error').textContent().catch(() => '');
        throw new StepFailure(`the app at ${page.url()} shows status "${status}", expected "${expected}"; its error: "${error}"${consoleErrors()}`);
    }
}

/** The app's call to Bastion's token endpoint seen by the browser: the form it sent and what came back. */
async function tokenExchange(responsePromise, what) {
    let response;
    try {
        response = await responsePromise;
    } catch {
        throw new StepFailure(`the browser made no ${what} request to ${state.smart.token_endpoint}${consoleErrors()}`);
    }
    const request = response.request();
    const sent = new URLSearchParams(request.postData() ?? '');
    const headers = await response.allHeaders();
    const text = await response.text().catch(() => '');
    let body = {};
    try {
        body = JSON.parse(text);
    } catch {
        // not JSON
    }
    equal(response.status(), 200, `${what} status (body ${text.slice(0, 200)})`);
    equal(request.headers().origin, APP_ORIGIN, `Origin of the ${what} request`);
    equal(headers['access-control-allow-origin'], APP_ORIGIN, `Access-Control-Allow-Origin of the ${what} response`);
    check(typeof body.access_token === 'string', `the ${what} response has no access_token: ${text.slice(0, 200)}`);
    equal(body.token_type?.toLowerCase(), 'bearer', `${what} token_type`);
    return { sent, body };
}

// ---------------------------------------------------------------------------------------------
// The journey

async function main() {
    await mkdir(SCREENSHOT_DIR, { recursive: true });

    await step('app-server', [], async () => {
        let fhirclient;
        try {
            fhirclient = dirname(createRequire(import.meta.url).resolve('fhirclient/package.json'));
        } catch (error) {
            throw new StepFailure(`fhirclient is not installed (npm ci in ${dirname(fileURLToPath(import.meta.url))}): ${error.message}`);
        }
        const files = {
            '/launch.html': [join(APP_DIR, 'launch.html'), 'text/html; charset=utf-8'],
            '/index.html': [join(APP_DIR, 'index.html'), 'text/html; charset=utf-8'],
            // fhirclient's browser build: window.FHIR
            '/fhir-client.js': [join(fhirclient, 'build', 'fhir-client.js'), 'text/javascript; charset=utf-8'],
        };
        state.server = await startApplication(files);
        for (const path of Object.keys(files)) {
            const answer = await fetch(`${APP_ORIGIN}${path}`);
            await answer.arrayBuffer();
            equal(answer.status, 200, `GET ${APP_ORIGIN}${path} status`);
        }
        const version = JSON.parse(await readFile(join(fhirclient, 'package.json'), 'utf8')).version;
        console.log(`  (fhirclient ${version}, app pages at ${APP_ORIGIN})`);
    });

    await step('smart-configuration', [], async () => {
        const answer = await call(`${FHIR_BASE}/.well-known/smart-configuration`);
        equal(answer.status, 200, 'smart-configuration status');
        const smart = answer.body;
        equal(smart.issuer, ISSUER, 'issuer');
        equal(smart.authorization_endpoint, `${ISSUER}/authorize`, 'authorization_endpoint');
        equal(smart.token_endpoint, `${ISSUER}/token`, 'token_endpoint');
        // fhirclient sends a PKCE challenge when, and only when, S256 is listed here.
        check(smart.code_challenge_methods_supported?.includes('S256'),
            `code_challenge_methods_supported is ${JSON.stringify(smart.code_challenge_methods_supported)}: fhirclient would not use PKCE`);
        for (const capability of ['launch-standalone', 'context-standalone-patient', 'client-public', 'permission-patient',
            'permission-offline', 'permission-v2', 'sso-openid-connect']) {
            check(smart.capabilities?.includes(capability), `capabilities lack ${capability}: ${JSON.stringify(smart.capabilities)}`);
        }
        state.smart = smart;
    });

    await step('backend-client', [], async () => {
        const backend = await register({
            client_name: `fhirclient journey backend ${RUN}`,
            token_endpoint_auth_method: 'client_secret_basic',
            grant_types: ['client_credentials'],
            scope: BACKEND_SCOPE,
        });
        check(typeof backend.client_secret === 'string', 'the confidential client was issued no client_secret');
        const basic = Buffer.from(`${encodeURIComponent(backend.client_id)}:${encodeURIComponent(backend.client_secret)}`).toString('base64');
        const requestToken = () => call(`${ISSUER}/token`, {
            method: 'POST', headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials', scope: BACKEND_SCOPE },
        });
        // A client that registered itself may not use client_credentials (nor system/ scopes) until an
        // admin approves it; otherwise anyone could register a backend service with system-wide access.
        const refused = await requestToken();
        check(refused.status === 400 && refused.body?.error === 'unauthorized_client',
            `client_credentials before an admin's approval answered ${refused.status} ${refused.text}, expected 400 unauthorized_client`);
        await approve(backend.client_id, { approved_grant_types: ['client_credentials'], approved_scope: BACKEND_SCOPE });
        const token = await requestToken();
        equal(token.status, 200, `client_credentials token status (body ${token.text})`);
        check(typeof token.body.access_token === 'string', `no access token: ${token.text}`);
        state.systemToken = token.body.access_token;
    });

    await step('patient', ['backend-client'], async () => {
        const headers = { authorization: `Bearer ${state.systemToken}`, accept: 'application/fhir+json' };
        const patient = await call(`${FHIR_BASE}/Patient`, {
            method: 'POST', headers, json: {
                resourceType: 'Patient',
                name: [{ use: 'official', family: FAMILY, given: [GIVEN] }],
                gender: 'female',
                birthDate: '1970-12-10',
            },
        });
        equal(patient.status, 201, `POST Patient status (body ${patient.text})`);
        const id = patient.body.id ?? patient.headers.get('location')?.match(/Patient\/([^/]+)/)?.[1];
        check(typeof id === 'string' && id.length > 0, `the created Patient has no id: ${patient.text}`);
        const observation = await call(`${FHIR_BASE}/Observation`, {
            method: 'POST', headers, json: {
                resourceType: 'Observation',
                status: 'final',
                code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
                subject: { reference: `Patient/${id}` },
                effectiveDateTime: new Date().toISOString(),
                valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
            },
        });
        equal(observation.status, 201, `POST Observation status (body ${observation.text})`);
        state.patientId = id;
    });

    await step('app-registration', ['smart-configuration'], async () => {
        // Bastion trusts a browser origin for CORS when a client lists it in bastion_cors_origins;
        // the origin of a redirect URI alone is not trusted.
        const app = await register({
            client_name: `fhirclient journey app ${RUN}`,
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [REDIRECT_URI],
            scope: APP_SCOPE,
            bastion_cors_origins: [APP_ORIGIN],
        });
        check(app.client_secret === undefined, 'a public client was issued a client_secret');
        equal(app.token_endpoint_auth_method, 'none', 'registered token_endpoint_auth_method');
        check(JSON.stringify(app.redirect_uris) === JSON.stringify([REDIRECT_URI]), `registered redirect_uris are ${JSON.stringify(app.redirect_uris)}`);
        state.clientId = app.client_id;
    });

    await step('cors', ['app-registration'], async () => {
        // Discovery is open to every origin; the node that registered the client trusts its origin at once for the rest.
        const discovery = await call(`${FHIR_BASE}/.well-known/smart-configuration`, { headers: { origin: APP_ORIGIN } });
        equal(discovery.headers.get('access-control-allow-origin'), '*', 'smart-configuration Access-Control-Allow-Origin');
        const answer = await call(`${FHIR_BASE}/Patient/${encodeURIComponent(state.patientId ?? 'x')}`, { headers: { origin: APP_ORIGIN } });
        equal(answer.headers.get('access-control-allow-origin'), APP_ORIGIN, 'FHIR API Access-Control-Allow-Origin right after registration');
        check(/origin/i.test(answer.headers.get('vary') ?? ''), `the FHIR API does not vary by Origin: Vary ${answer.headers.get('vary')}`);
        // The FHIR calls carry Authorization: the browser asks first.
        const preflight = await call(`${FHIR_BASE}/Patient/${encodeURIComponent(state.patientId ?? 'x')}`, {
            method: 'OPTIONS',
            headers: { origin: APP_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
        check(preflight.status === 200 || preflight.status === 204, `the FHIR preflight answered ${preflight.status}: ${preflight.text}`);
        equal(preflight.headers.get('access-control-allow-origin'), APP_ORIGIN, 'preflight Access-Control-Allow-Origin');
        check(/authorization/i.test(preflight.headers.get('access-control-allow-headers') ?? ''),
            `preflight Access-Control-Allow-Headers is ${preflight.headers.get('access-control-allow-headers')}`);
    });

    await step('standalone-launch', ['app-server', 'patient', 'cors'], async () => {
        const context = state.context = await loopbackContext(browser, BASE);
        const page = state.page = await context.newPage();
        page.on('console', (message) => {
            if (message.type() === 'error') {
                state.consoleErrors.push(message.text());
            }
        });
        page.on('pageerror', (error) => state.consoleErrors.push(error.message));

        const authorizeRequest = page.waitForRequest((r) => r.url().startsWith(state.smart.authorization_endpoint), { timeout: PAGE_TIMEOUT_MS });
        authorizeRequest.catch(() => {});
        const launch = new URL(`${APP_ORIGIN}/launch.html`);
        launch.searchParams.set('clientId', state.clientId);
        launch.searchParams.set('iss', FHIR_BASE);
        launch.searchParams.set('scope', APP_SCOPE);
        await page.goto(launch.href);
        let authorize;
        try {
            authorize = new URL((await authorizeRequest).url());
        } catch {
            throw new StepFailure(`fhirclient did not send the browser to ${state.smart.authorization_endpoint}; the page is at ${page.url()} `
                + `showing: ${await pageText(page)}${consoleErrors()}`);
        }
        const asked = authorize.searchParams;
        equal(asked.get('response_type'), 'code', 'authorize response_type');
        equal(asked.get('client_id'), state.clientId, 'authorize client_id');
        equal(asked.get('redirect_uri'), REDIRECT_URI, 'authorize redirect_uri');
        equal(asked.get('aud'), FHIR_BASE, 'authorize aud');
        check(sameScopes(asked.get('scope'), APP_SCOPE), `authorize scope is "${asked.get('scope')}", expected "${APP_SCOPE}"`);
        check(asked.get('state')?.length > 0, 'the authorize request has no state');
        check(/^[A-Za-z0-9_-]{43}$/.test(asked.get('code_challenge') ?? ''),
            `the authorize request has no S256 code_challenge (PKCE): ${JSON.stringify(asked.get('code_challenge'))}`);
        equal(asked.get('code_challenge_method'), 'S256', 'authorize code_challenge_method');
        state.authorize = asked;

        await expectPage(page, 'login', 'sign-in');
        await screenshot(page, 'fhirclient-login');
        await signIn(page);
        await expectPage(page, 'consent', 'consent');
        check(await page.isVisible('#patient_q'), `the consent page shows no patient picker: ${await pageText(page)}`);
        await page.fill('#patient_q', FAMILY);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.picker-search button[type=submit]')]);
        const choice = page.locator(`input[name=patient][value="${state.patientId}"]`);
        check(await choice.count() === 1, `the patient picker searched for "${FAMILY}" does not offer Patient/${state.patientId}: ${await pageText(page)}`);
        const offered = await page.$$eval('input[name=scope]', (boxes) => boxes.map((b) => b.value));
        check(sameScopes(offered.join(' '), APP_SCOPE), `the consent page offers ${JSON.stringify(offered)}, expected "${APP_SCOPE}"`);
        await choice.check();
        await screenshot(page, 'fhirclient-patient-picker');

        const tokenResponse = page.waitForResponse((r) => r.url() === state.smart.token_endpoint && r.request().method() === 'POST');
        tokenResponse.catch(() => {});
        const callbackRequest = page.waitForRequest((r) => r.url().startsWith(REDIRECT_URI) && r.isNavigationRequest());
        callbackRequest.catch(() => {});
        await page.click('button[name=decision][value=approve]');
        let callback;
        try {
            callback = new URL((await callbackRequest).url());
        } catch {
            throw new StepFailure(`the browser was not sent back to ${REDIRECT_URI}; it is at ${page.url()} showing: ${await pageText(page)}`);
        }
        check(callback.searchParams.get('error') === null,
            `Bastion answered the app with error ${callback.searchParams.get('error')}: ${callback.searchParams.get('error_description')}`);
        equal(callback.searchParams.get('state'), asked.get('state'), 'callback state');
        check(callback.searchParams.get('code')?.length > 0, `the callback has no code: ${callback.href}`);

        const { sent, body } = await tokenExchange(tokenResponse, 'code exchange');
        equal(sent.get('grant_type'), 'authorization_code', 'code exchange grant_type');
        equal(sent.get('client_id'), state.clientId, 'code exchange client_id');
        equal(sent.get('redirect_uri'), REDIRECT_URI, 'code exchange redirect_uri');
        const verifier = sent.get('code_verifier');
        check(typeof verifier === 'string' && verifier.length >= 43, `the code exchange sent no PKCE code_verifier: ${JSON.stringify(verifier)}`);
        equal(pkceChallenge(verifier), asked.get('code_challenge'), 'S256 of the code_verifier (the code_challenge)');
        equal(body.patient, state.patientId, 'token response patient');
        check(sameScopes(body.scope, APP_SCOPE), `token response scope is "${body.scope}", expected "${APP_SCOPE}"`);
        check(typeof body.id_token === 'string', 'the token response has no id_token although openid was granted');
        state.token = body;
        await expectAppStatus(page, 'ready');
    });

    await step('patient-read', ['standalone-launch'], async () => {
        const page = state.page;
        equal(await $(page, 'patient-name').textContent(), PATIENT_NAME, 'patient name shown by the app');
        equal(await $(page, 'patient-id').textContent(), state.patientId, 'patient id shown by the app');
        equal(await $(page, 'scope').textContent(), state.token.scope, 'granted scope shown by the app');
        const seen = await page.evaluate(() => ({
            patientId: window.smartClient.patient.id,
            tokenPatient: window.smartClient.getState('tokenResponse.patient'),
            serverUrl: window.smartClient.getState('serverUrl'),
        }));
        equal(seen.patientId, state.patientId, 'client.patient.id');
        equal(seen.tokenPatient, state.patientId, "client.getState('tokenResponse.patient')");
        equal(seen.serverUrl, FHIR_BASE, "client.getState('serverUrl')");
        check(!new URL(page.url()).searchParams.has('code'), `the code is left in the address bar: ${page.url()}`);
        await screenshot(page, 'fhirclient-app');
    });

    await step('observation-search', ['standalone-launch'], async () => {
        const page = state.page;
        const shown = await $(page, 'observations').textContent();
        check(shown.startsWith('1:') && shown.includes('Heart rate'), `the app shows observations "${shown}", expected the one heart rate`);
        const found = await page.evaluate(async (id) => {
            try {
                const resources = await window.smartClient.request(`Observation?patient=${encodeURIComponent(id)}`, { flat: true });
                return { subjects: resources.map((r) => `${r.resourceType} ${r.subject?.reference}`) };
            } catch (error) {
                return { error: String(error?.message ?? error) };
            }
        }, state.patientId);
        check(!found.error, `client.request('Observation?patient=…') failed: ${found.error}${consoleErrors()}`);
        check(JSON.stringify(found.subjects) === JSON.stringify([`Observation Patient/${state.patientId}`]),
            `client.request('Observation?patient=${state.patientId}') found ${JSON.stringify(found.subjects)}`);
    });

    await step('refresh', ['standalone-launch'], async () => {
        const page = state.page;
        check(scopes(state.token.scope).includes('offline_access'), `offline_access was not granted (scope "${state.token.scope}")`);
        check(typeof state.token.refresh_token === 'string', 'no refresh_token although offline_access was granted');
        const tokenResponse = page.waitForResponse((r) => r.url() === state.smart.token_endpoint && r.request().method() === 'POST');
        tokenResponse.catch(() => {});
        await $(page, 'refresh-button').click();
        const { sent, body } = await tokenExchange(tokenResponse, 'refresh');
        equal(sent.get('grant_type'), 'refresh_token', 'refresh grant_type');
        equal(sent.get('refresh_token'), state.token.refresh_token, 'refresh_token sent');
        // fhirclient's default: no client_id (SMART App Launch 2 asks none of a public client); the refresh token names it.
        equal(sent.get('client_id'), null, 'refresh client_id');
        check(body.access_token !== state.token.access_token, 'the refresh gave the same access token');
        check(typeof body.refresh_token === 'string' && body.refresh_token !== state.token.refresh_token,
            'the refresh token did not rotate');
        await expectAppStatus(page, 'refreshed');
        const shown = await $(page, 'refresh').textContent();
        equal(shown, `new access token; Patient/${state.patientId} read with it`, 'refresh result shown by the app');
        const current = await page.evaluate(() => window.smartClient.getState('tokenResponse.access_token'));
        equal(current, body.access_token, "client.getState('tokenResponse.access_token') after the refresh");
        await screenshot(page, 'fhirclient-app-refreshed');
    });
}

/** The app's static pages and fhirclient's browser build, on the app's own loopback origin. */
async function startApplication(files) {
    const server = createServer(async (request, response) => {
        const file = files[new URL(request.url, APP_ORIGIN).pathname];
        if (!file || request.method !== 'GET') {
            response.writeHead(404, { 'content-type': 'text/plain' });
            response.end('not found');
            return;
        }
        try {
            const content = await readFile(file[0]);
            response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
            response.end(content);
        } catch (error) {
            response.writeHead(500, { 'content-type': 'text/plain' });
            response.end(String(error.message));
        }
    });
    await new Promise((ok, fail) => {
        server.once('error', (error) => fail(new StepFailure(`cannot serve the app on ${APP_ORIGIN} (FHIRCLIENT_APP_PORT): ${error.message}`)));
        server.listen(APP_PORT, '127.0.0.1', ok);
    });
    server.unref();
    return server;
}

await run(async () => {
    browser = await launchChromium();
    return browser;
}, main, () => state.server?.close());
