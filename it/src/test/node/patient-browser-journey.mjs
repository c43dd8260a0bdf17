// End-to-end journey through the sample SMART app at /apps/patient-browser/ in headless Chromium,
// on a server started with BASTION_DEMO=true (Synthea patients, demo-practitioner, demo-patient,
// and the public client patient-browser): a practitioner's standalone launch (patient list,
// search, paging, a patient's observations and vital-sign chart, the decoded token, sign-out),
// a patient user who sees only their own record and then revokes the app on Bastion's "My apps"
// page, and an EHR launch started from the console.
//
//   BASTION_URL          Bastion's base URL                    (default http://localhost:8080)
//   ADMIN_USERNAME       admin who signs in to the console     (default admin; or BASTION_USERNAME)
//   ADMIN_PASSWORD       that admin's password                 (default admin-pw; or BASTION_PASSWORD)
//   SCREENSHOTS          where page screenshots go             (default ./screenshots; or SCREENSHOT_DIR)
//   CHROMIUM             the Chromium executable               (default /usr/bin/chromium; or CHROMIUM_PATH)
//   SERVER_WAIT_SECONDS  how long to wait for Bastion          (default 180)
//
// One line per step, "PASS name" or "FAIL name: reason", then a JSON summary line
// {"passed":[...],"failed":[...]}. Exit code 0 only when every step passed.

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StepFailure, check, equal, journey, launchChromium, pageText } from './journey.mjs';

const BASE = (process.env.BASTION_URL || 'http://localhost:8080').replace(/\/+$/, '');
const APP = `${BASE}/apps/patient-browser/`;
const CONSOLE = `${BASE}/admin/`;
const FHIR_BASE = `${BASE}/fhir/r4`;
const ADMIN_USERNAME = process.env.ADMIN_USERNAME || process.env.BASTION_USERNAME || 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || process.env.BASTION_PASSWORD || 'admin-pw';
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOTS || process.env.SCREENSHOT_DIR || './screenshots');
const PAGE_TIMEOUT_MS = 30_000;

// The demo users (BASTION_DEMO=true): each one's password is the username.
const PRACTITIONER = 'demo-practitioner';
const PATIENT = 'demo-patient';
const BODY_WEIGHT = '29463-7';
const BLOOD_PRESSURE = '85354-9';

// ---------------------------------------------------------------------------------------------
// Step bookkeeping

const { step, run } = journey({
    probeUrl: `${BASE}/oauth2/.well-known/openid-configuration`,
    onFailure: (name) => screenshot(`failure-${name}`),
});

// ---------------------------------------------------------------------------------------------
// Browser helpers

let browser;
/** The page the current step works in; each user gets a browser context of their own. */
let page;
const state = {};

async function screenshot(name) {
    await page?.screenshot({ path: resolve(SCREENSHOT_DIR, `patient-browser-${name}.png`), fullPage: true });
}

/** The app marks its elements with data-testid, the console with data-test. */
const $ = (testId) => page.locator(`[data-testid="${testId}"]`);
const $console = (test) => page.locator(`[data-test="${test}"]`);


async function expectVisible(locator, what) {
    try {
        await locator.first().waitFor({ state: 'visible' });
    } catch {
        throw new StepFailure(`${what} did not appear; the browser is at ${page.url()} showing: ${await pageText(page, 'body')}`);
    }
}

/** Waits for a condition in the page, failing with what the page shows instead. */
async function waitUntil(what, predicate, arg) {
    try {
        await page.waitForFunction(predicate, arg);
    } catch {
        throw new StepFailure(`${what}; the browser is at ${page.url()} showing: ${await pageText(page, 'body')}`);
    }
}

async function newUserPage() {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    const fresh = await context.newPage();
    fresh.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    return fresh;
}

/**
 * Signs in on Bastion's own pages, approves the consent when asked, and waits until the browser
 * is back at returnTo.
 */
async function signInAtBastion(username, password, returnTo) {
    await page.waitForURL((u) => u.pathname.startsWith('/oauth2/login'), { waitUntil: 'load' })
        .catch(async () => { throw new StepFailure(`the browser was not sent to Bastion's sign-in page; it is at ${page.url()}: ${await pageText(page, 'body')}`); });
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    const back = (u) => u.href.startsWith(returnTo);
    await page.waitForURL((u) => u.pathname.startsWith('/oauth2/consent') || back(u), { waitUntil: 'load' })
        .catch(async () => { throw new StepFailure(`signing in as ${username} did not lead to the consent page or back to ${returnTo}; at ${page.url()}: ${await pageText(page, 'body')}`); });
    if (new URL(page.url()).pathname.startsWith('/oauth2/consent')) {
        await page.click('button[name=decision][value=approve]');
        await page.waitForURL(back, { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`approving the consent did not lead back to ${returnTo}; at ${page.url()}: ${await pageText(page, 'body')}`); });
    }
}

/** The claims of the access token as the app's session page shows them: name to displayed value. */
async function shownClaims() {
    await $('nav-session').click();
    await expectVisible($('claims-panel'), 'the decoded access token');
    return Object.fromEntries(await $('claims-panel').locator('[data-testid="claim-row"]').evaluateAll((rows) =>
        rows.map((row) => [row.dataset.claim, row.children[1].textContent.trim()])));
}

/**
 * A patient of the demo data set with body weight observations, found through the FHIR API with
 * a token of the demo's Postman client: {id, family}.
 */
async function patientWithBodyWeights() {
    const basic = Buffer.from('postman:postman-demo-secret').toString('base64');
    const tokenResponse = await fetch(`${BASE}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/Patient.rs system/Observation.rs' }),
    });
    const token = await tokenResponse.json();
    check(tokenResponse.ok, `the demo's postman client gets no token: ${JSON.stringify(token)}`);
    const get = async (path) => {
        const response = await fetch(`${BASE}/fhir/r4/${path}`, { headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/fhir+json' } });
        check(response.ok, `GET ${path} answered ${response.status}`);
        return response.json();
    };
    // the newest body weights may be other tests' (a HAPI client test records one, then deletes its patient): the first whose
    // patient is there and has a family name
    const weights = await get(`Observation?code=${encodeURIComponent(`http://loinc.org|${BODY_WEIGHT}`)}&_count=50`);
    const references = [...new Set((weights.entry ?? []).map((e) => e.resource?.subject?.reference).filter((r) => r?.startsWith('Patient/')))];
    for (const reference of references) {
        const response = await fetch(`${BASE}/fhir/r4/${reference}`, { headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/fhir+json' } });
        const patient = response.ok ? await response.json() : null;
        const family = patient?.name?.[0]?.family;
        if (family) {
            return { id: patient.id, family };
        }
    }
    check(false, `no body weight observation names a patient with a family name: ${JSON.stringify(weights).slice(0, 200)}`);
}

/** The patients on the list page: id and the name as listed ("Family, Given"). */
async function listedPatients() {
    return $('patient-row').evaluateAll((rows) => rows.map((row) => ({
        id: row.dataset.patientId,
        name: row.querySelector('[data-testid="patient-link"]').textContent.trim(),
    })));
}

const total = async () => Number(await $('patients-summary').getAttribute('data-total'));

// ---------------------------------------------------------------------------------------------
// The journey

async function main() {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    page = await newUserPage();

    // 1. A practitioner's standalone launch

    await step('practitioner-sign-in', [], async () => {
        await page.goto(APP);
        await expectVisible($('sign-in'), 'the sign-in button');
        equal((await $('fhir-server').textContent()).trim(), FHIR_BASE, 'the FHIR server the sign-in screen names');
        await screenshot('sign-in');
        await $('sign-in').click();
        await signInAtBastion(PRACTITIONER, PRACTITIONER, APP);
        await expectVisible($('patient-row'), 'the patient list after sign-in');
        const url = new URL(page.url());
        check(!url.searchParams.has('code') && !url.searchParams.has('state'), `the authorization response is left in the address bar: ${url.href}`);
    });

    await step('patient-list', ['practitioner-sign-in'], async () => {
        await waitUntil('the list does not show 10 patients', () => document.querySelectorAll('[data-testid="patient-row"]').length === 10);
        state.total = await total();
        check(state.total > 10, `the list says the server has ${state.total} patients, expected more than 10`);
        check(!(await $('patients-next').isDisabled()), 'Next is disabled on the first of several pages');
        check(await $('patients-prev').isDisabled(), 'Previous is enabled on the first page');
        state.firstPage = await listedPatients();
        check(state.firstPage.every((p) => p.id && p.name), `a row has no id or name: ${JSON.stringify(state.firstPage)}`);
        await screenshot('list');
    });

    await step('search-by-family-name', ['patient-list'], async () => {
        // A demo patient with body weights (the list's first rows may be other tests' patients, without names).
        const wanted = state.wanted = await patientWithBodyWeights();
        const family = wanted.family;
        await $('patient-search').fill(family);
        // A match may also come from another name of a patient (a maiden name), so the check is on the narrowing.
        await waitUntil(`searching "${family}" does not narrow the list to fewer than ${state.total} patients including Patient/${wanted.id}`, ([id, all]) => {
            const ids = [...document.querySelectorAll('[data-testid="patient-row"]')].map((r) => r.dataset.patientId);
            return ids.includes(id) && Number(document.querySelector('[data-testid="patients-summary"]')?.dataset.total) < all;
        }, [wanted.id, state.total]);
        check(new URL(page.url()).hash.includes(`name=${encodeURIComponent(family)}`), `the search is not in the address: ${page.url()}`);
        await screenshot('search');
        await $('patient-search').fill('');
        await waitUntil('clearing the search does not bring back all patients',
            (all) => Number(document.querySelector('[data-testid="patients-summary"]')?.dataset.total) === all, state.total);
    });

    await step('next-page', ['patient-list'], async () => {
        const firstId = state.firstPage[0].id;
        await $('patients-next').click();
        await waitUntil('Next does not show another page', (id) => {
            const first = document.querySelector('[data-testid="patient-row"]');
            return first && first.dataset.patientId !== id;
        }, firstId);
        const second = await listedPatients();
        check(second.every((p) => !state.firstPage.some((q) => q.id === p.id)), 'the second page repeats patients of the first');
        check((await $('patients-summary').textContent()).includes('11'), `the second page says "${await $('patients-summary').textContent()}"`);
        check(!(await $('patients-prev').isDisabled()), 'Previous is disabled on the second page');
        state.secondPage = second;
        await $('patients-prev').click();
        await waitUntil('Previous does not go back to the first page',
            (id) => document.querySelector('[data-testid="patient-row"]')?.dataset.patientId === id, firstId);
    });

    await step('patient-page', ['search-by-family-name'], async () => {
        const chosen = state.wanted;
        await $('patient-search').fill(chosen.family);
        await page.locator(`[data-testid="patient-row"][data-patient-id="${chosen.id}"]`).click();
        await expectVisible($('patient-header'), 'the patient header');
        equal(await $('patient-header').getAttribute('data-patient-id'), chosen.id, 'the patient the header shows');
        const name = (await $('patient-name').textContent()).trim();
        check(name.includes(chosen.family), `the header names "${name}", the server "${chosen.family}"`);
        await expectVisible($('observation-row'), 'the observations table');
        check(await $('observation-row').count() > 0, 'the patient has no observation rows');
        await expectVisible($('back-to-patients'), 'the "Back to patients" link');
        state.patient = { id: chosen.id, name };
        await screenshot('patient');
    });

    await step('vital-sign-chart', ['patient-page'], async () => {
        await waitUntil('the vital signs choice stays empty', () => {
            const select = document.querySelector('[data-testid="vital-select"]');
            return (select && !select.disabled) || document.querySelector('[data-testid="chart-empty"]');
        });
        const codes = await $('vital-select').locator('option').evaluateAll((options) => options.map((o) => o.value));
        check(codes.includes(BODY_WEIGHT), `the chart offers no body weight (LOINC ${BODY_WEIGHT}), only ${JSON.stringify(codes)}`);
        if (codes.includes(BLOOD_PRESSURE)) {
            await $('vital-select').selectOption(BLOOD_PRESSURE);
            await expectVisible(page.locator(`[data-code="${BLOOD_PRESSURE}"] [data-testid="vital-chart"]`), 'the blood pressure chart');
            const series = await page.locator('[data-testid="vital-chart"] [data-series]').count();
            equal(series, 2, 'the number of blood pressure lines (systolic and diastolic)');
        }
        await $('vital-select').selectOption(BODY_WEIGHT);
        const chart = page.locator(`[data-code="${BODY_WEIGHT}"] [data-testid="vital-chart"]`);
        await expectVisible(chart, 'the body weight chart');
        const points = await chart.locator('[data-testid="chart-point"]').count();
        check(points > 0, 'the body weight chart has no points');
        const unit = (await chart.locator('[data-testid="chart-unit"]').textContent()).trim();
        check(unit.length > 0, 'the body weight chart has no unit label');
        await $('vitals-card').scrollIntoViewIfNeeded();
        await screenshot('chart');
    });

    await step('claims', ['practitioner-sign-in'], async () => {
        const claims = await shownClaims();
        check(claims.sub?.length > 0, `the access token shows no sub: ${JSON.stringify(claims)}`);
        check(/(^|\/)Practitioner\/[^/]+$/.test(claims.fhirUser || ''), `the access token's fhirUser is "${claims.fhirUser}", expected Practitioner/...`);
        check(claims.scope?.split(' ').includes('openid'), `the access token's scope is "${claims.scope}"`);
        check(/\d{4}|:/.test(claims.exp || ''), `exp is not shown as a time: "${claims.exp}"`);
        const scopes = await $('scope-item').allTextContents();
        check(scopes.length > 1 && scopes.some((s) => s.startsWith('user/')), `the granted scopes shown are ${JSON.stringify(scopes)}`);
        await $('claims-panel-raw-toggle').click();
        state.practitionerToken = (await $('claims-panel-raw').textContent()).trim();
        check(state.practitionerToken.split('.').length === 3, 'the raw access token is not a JWT');
        await screenshot('claims');
    });

    await step('sign-out', ['practitioner-sign-in'], async () => {
        await $('logout').click();
        await expectVisible($('signed-out'), 'the signed-out message');
        equal((await $('signed-out').textContent()).trim(), 'You are signed out', 'the signed-out message');
        check(new URL(page.url()).href.startsWith(APP), `after sign-out the browser is at ${page.url()}`);
        await screenshot('signed-out');
        if (state.practitionerToken) {
            const response = await fetch(`${FHIR_BASE}/Patient?_count=1`, { headers: { authorization: `Bearer ${state.practitionerToken}` } });
            equal(response.status, 401, 'the FHIR answer to the access token revoked at sign-out');
        }
        // The server's sign-in session ended too: signing in again asks for the password.
        await $('sign-in').click();
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/login'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`after sign-out, Sign in did not ask for the password; at ${page.url()}: ${await pageText(page, 'body')}`); });
    });

    // 2. A patient user sees their own record and nobody else's

    await step('patient-user', [], async () => {
        page = await newUserPage();
        await page.goto(APP);
        await expectVisible($('sign-in'), 'the sign-in button');
        await $('sign-in').click();
        await signInAtBastion(PATIENT, PATIENT, APP);
        await expectVisible($('patient-header'), "the patient user's own record");
        state.ownId = await $('patient-header').getAttribute('data-patient-id');
        check(await $('back-to-patients').count() === 0, 'a patient user is offered "Back to patients"');
        check(await $('nav-patients').count() === 0, 'a patient user is offered the patient list');
        await expectVisible($('observation-row'), "the patient user's observations");
        await screenshot('patient-user');
        const claims = await shownClaims();
        const fhirUser = /(?:^|\/)Patient\/([^/]+)$/.exec(claims.fhirUser || '');
        check(fhirUser, `the patient user's fhirUser is "${claims.fhirUser}", expected Patient/...`);
        equal(fhirUser[1], state.ownId, "the record shown, by the patient user's fhirUser");
        // The token itself reaches exactly one Patient, whatever the app shows.
        await $('claims-panel-raw-toggle').click();
        const token = (await $('claims-panel-raw').textContent()).trim();
        state.patientToken = token;
        const bundle = await (await fetch(`${FHIR_BASE}/Patient?_count=50&_total=accurate`, { headers: { authorization: `Bearer ${token}` } })).json();
        equal(bundle.total, 1, "the number of Patients the patient user's token finds");
        equal(bundle.entry?.[0]?.resource?.id, state.ownId, "the one Patient the patient user's token finds");
    });

    await step('patient-user-cannot-open-another', ['patient-user', 'patient-list'], async () => {
        const other = [...state.firstPage, ...(state.secondPage || [])].find((p) => p.id !== state.ownId);
        await page.goto(`${APP}#/patients/${encodeURIComponent(other.id)}`);
        await expectVisible($('error-box'), `an error for another patient's record (${other.id})`);
        check(await $('patient-header').count() === 0, `the patient user sees the record of patient ${other.id}`);
        check(await $('observation-row').count() === 0, `the patient user sees observations of patient ${other.id}`);
        await screenshot('other-patient');
    });

    // 3. "My apps": the patient user sees the app they allowed on Bastion's account page and revokes it

    await step('my-apps', ['patient-user'], async () => {
        await page.goto(`${BASE}/oauth2/account`);
        const app = page.locator('[data-test="app"][data-client="patient-browser"]');
        await expectVisible(app, 'the sample app on the My apps page');
        const text = (await app.innerText()).replace(/\s+/g, ' ');
        check(/Patient\.rs/.test(text), `the permissions the patient allowed the app: ${text}`);
        check(!(await app.locator('[data-test="last-used"]').textContent()).includes('Not yet'), `the app's last use: ${text}`);
        await screenshot('my-apps');
        await app.locator('[data-test="revoke"]').click();
        await expectVisible(page.locator('[data-test="revoked"]'), 'the message that the access was revoked');
        equal(await page.locator('[data-test="app"][data-client="patient-browser"]').count(), 0, 'apps listed for patient-browser after revoking it');
        await screenshot('my-apps-revoked');
        const dead = await fetch(`${FHIR_BASE}/Patient?_count=1`, { headers: { authorization: `Bearer ${state.patientToken}` } });
        equal(dead.status, 401, "the status of the revoked app's access token at the FHIR API");
        // the app learns its token is dead and offers to sign in again, which has to ask for consent again
        await page.goto(APP);
        await expectVisible($('sign-in-again'), 'the "Sign in again" of the app whose token was revoked');
        check(/revoked/i.test(await pageText(page, 'body')), `the app says why its session ended: ${await pageText(page, 'body')}`);
        await screenshot('my-apps-app-revoked');
        await $('sign-in-again').click();
        await page.waitForURL((u) => u.pathname.startsWith('/oauth2/consent'), { waitUntil: 'load' })
            .catch(async () => { throw new StepFailure(`the app was not asked for consent again; at ${page.url()}: ${await pageText(page, 'body')}`); });
    });

    // 4. An EHR launch from the console

    await step('console-launch', ['patient-page'], async () => {
        page = await newUserPage();
        await page.goto(CONSOLE);
        await signInAtBastion(ADMIN_USERNAME, ADMIN_PASSWORD, CONSOLE);
        await expectVisible($console('page-overview'), 'the console overview');
        await $console('nav-launch').click();
        await expectVisible($console('page-launch'), 'the Launch an app page');
        const patientField = $console('field-patient');
        await patientField.fill('x');
        await patientField.fill('');
        check((await $console('error-patient').textContent()).trim().length > 0, 'an emptied patient id gives no inline message');
        await patientField.fill(state.patient.id);
        check((await $console('error-patient').textContent()).trim() === '', 'a patient id still shows a message');
        // the handle is for the app and for the practitioner who will open it, nobody else
        equal(await $console('field-client_id').inputValue(), 'patient-browser', 'the default app of the launch');
        await $console('field-username').fill(PRACTITIONER);
        equal(await $console('field-app').inputValue(), '/apps/patient-browser/launch.html', 'the default app launch URL');
        await $console('launch-form-submit').click();
        await expectVisible($console('launch-url'), 'the launch URL');
        const href = (await $console('launch-url').textContent()).trim();
        const url = new URL(href);
        equal(`${url.origin}${url.pathname}`, `${APP}launch.html`, 'the launched app');
        equal(url.searchParams.get('iss'), FHIR_BASE, 'the iss of the launch URL');
        check(url.searchParams.get('launch')?.length > 0, `the launch URL has no launch handle: ${href}`);
        equal(await $console('launch-open').getAttribute('href'), href, 'the Open link');
        equal(await $console('launch-open').getAttribute('target'), '_blank', 'the Open link target');
        state.launchUrl = href;
        await screenshot('console-launch');
    });

    await step('ehr-launch', ['console-launch'], async () => {
        // The admin's browser is signed in to Bastion as the admin: the practitioner opens the
        // link in a browser of their own, as a clinician would in the EHR.
        page = await newUserPage();
        await page.goto(state.launchUrl);
        await signInAtBastion(PRACTITIONER, PRACTITIONER, APP);
        await expectVisible($('patient-header'), 'the launched patient');
        equal(await $('patient-header').getAttribute('data-patient-id'), state.patient.id, 'the patient the app opened on');
        equal((await $('patient-name').textContent()).trim(), state.patient.name, "the launched patient's name");
        check(await $('back-to-patients').count() === 0, 'an EHR launch on one patient offers "Back to patients"');
        await expectVisible($('observation-row'), "the launched patient's observations");
        await screenshot('ehr-launch');
        await $('nav-session').click();
        await expectVisible($('context-patient'), 'the patient launch context');
        equal((await $('context-patient').textContent()).trim(), state.patient.id, 'the patient of the launch context');
    });
}

await run(async () => {
    browser = await launchChromium();
    return browser;
}, main);
