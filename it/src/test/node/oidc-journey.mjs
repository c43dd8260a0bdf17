// End-to-end journey of a certified OpenID Connect client library (openid-client) through every
// flow of Bastion's authorization server, with the real sign-in and consent pages driven in
// headless Chromium.
//
//   BASTION_URL       Bastion's base URL               (default http://localhost:8080)
//   BASTION_USERNAME  user who signs in                (default admin)
//   BASTION_PASSWORD  that user's password             (default admin-pw)
//   SCREENSHOT_DIR    where page screenshots go        (default ./screenshots)
//   ADMIN_TOKEN       an admin's access token (the console client's, with the admin scope), to
//                     approve what the self-registered clients may not do on their own
//   CHROMIUM_PATH     the Chromium executable          (default /usr/bin/chromium)
//   SERVER_WAIT_SECONDS  how long to wait for Bastion  (default 180)
//   APP_PORT          loopback port of the application's redirect URIs (default: a free one)
//   JOURNEY_DEBUG     when set, every browser request and response goes to stderr
//
// One line per step, "PASS name" or "FAIL name: reason", then a JSON summary line
// {"passed":[...],"failed":[...]}. Exit code 0 only when every step passed.

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import * as client from 'openid-client';
import * as jose from 'jose';
import { StepFailure, check, describe, equal, journey, launchChromium, loopbackContext, pageText } from './journey.mjs';

const BASE = (process.env.BASTION_URL || 'http://localhost:8080').replace(/\/+$/, '');
const ISSUER = `${BASE}/oauth2`;
const FHIR_BASE = `${BASE}/fhir/r4`;
const USERNAME = process.env.BASTION_USERNAME || 'admin';
const PASSWORD = process.env.BASTION_PASSWORD || 'admin-pw';
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR || './screenshots');
const ADMIN_TOKEN = process.env.ADMIN_TOKEN;

// The application's side: a tiny page server on a free loopback port (APP_PORT to fix it). A
// browser route cannot stand in for it: Playwright routes only the first request of a redirect
// chain, and Bastion reaches the redirect URI by redirects.
let APP_ORIGIN;
let CALLBACK;
let LOGGED_OUT;

const SPA_SCOPE = 'openid fhirUser profile offline_access user/*.rs';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PAGE_TIMEOUT_MS = 30_000;

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

// openid-client refuses plain-HTTP endpoints unless told otherwise; the test server is on loopback.
const INSECURE = new URL(ISSUER).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};

// ---------------------------------------------------------------------------------------------
// Step bookkeeping

const { step, run } = journey({
    probeUrl: `${ISSUER}/.well-known/openid-configuration`,
    describeError: describeOAuth,
});

/** A readable one-line reason, with the OAuth error and the HTTP status when the server refused. */
function describeOAuth(error) {
    return describe(error, (e) => {
        if (e instanceof client.ResponseBodyError) {
            return `${e.message}: HTTP ${e.status} ${e.error}: ${e.error_description ?? ''}`.trim();
        }
        if (e instanceof client.AuthorizationResponseError) {
            return `${e.message}: ${e.error}: ${e.error_description ?? ''}`.trim();
        }
        if (e instanceof client.WWWAuthenticateChallengeError) {
            return `${e.message}: HTTP ${e.status} ${JSON.stringify(e.cause)}`;
        }
        return null;
    });
}

/** Expects a token request to be refused with the given OAuth error code. */
async function expectOAuthError(promise, code, what) {
    try {
        await promise;
    } catch (error) {
        if (error instanceof client.ResponseBodyError) {
            check(error.error === code, `${what} was refused with ${error.error} (${error.error_description}), expected ${code}`);
            return error;
        }
        if (error instanceof client.WWWAuthenticateChallengeError) {
            // A 401 (invalid_client) names its scheme in WWW-Authenticate; openid-client reports the
            // challenge and leaves the RFC 6749 §5.2 error body unread.
            const body = await error.response.json().catch(() => ({}));
            check(body.error === code, `${what} was refused with HTTP ${error.status} ${body.error} (${body.error_description}), expected ${code}`);
            return error;
        }
        throw new StepFailure(`${what} failed, but not with the OAuth error ${code}: ${describeOAuth(error)}`);
    }
    throw new StepFailure(`${what} succeeded, expected the OAuth error ${code}`);
}

/**
 * An admin's approval through the admin API. A client that registered itself may use only the code
 * flow and refresh, with user-facing scopes, and introspect only its own tokens; client_credentials,
 * the JWT bearer grant, system/ scopes, acting for a user and introspecting others' tokens all wait
 * for an admin. Fields left out of `trust` keep their value.
 */
async function approve(clientId, trust) {
    check(ADMIN_TOKEN, `ADMIN_TOKEN is not set; an admin must approve client ${clientId} for ${JSON.stringify(trust)}`);
    const response = await fetch(`${BASE}/admin/api/clients/${encodeURIComponent(clientId)}/trust`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(trust),
        signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
    });
    const text = await response.text();
    check(response.status === 200, `approving client ${clientId} for ${JSON.stringify(trust)} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
}

function decodeJwt(token, what) {
    try {
        return { header: jose.decodeProtectedHeader(token), claims: jose.decodeJwt(token) };
    } catch (error) {
        throw new StepFailure(`${what} is not a JWT: ${error.message}`);
    }
}

function scopes(value) {
    return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

let browser;
/** Runs an action that should end with the browser at one of the application's URLs; returns that URL. */
async function navigateToApp(page, prefix, action) {
    const request = page.waitForRequest((r) => r.url().startsWith(prefix) && r.isNavigationRequest(), { timeout: PAGE_TIMEOUT_MS });
    request.catch(() => {});
    try {
        await action();
    } catch (error) {
        throw new StepFailure(`browser action failed at ${page.url()}: ${describeOAuth(error)}`);
    }
    try {
        return new URL((await request).url());
    } catch {
        throw new StepFailure(`the browser was not sent to ${prefix}; it is at ${page.url()} showing: ${await pageText(page)}`);
    }
}

async function expectPage(page, path, what) {
    try {
        await page.waitForURL((u) => u.href.startsWith(`${ISSUER}/${path}`), { waitUntil: 'load' });
    } catch {
        throw new StepFailure(`expected the ${what} page, but the browser is at ${page.url()} showing: ${await pageText(page)}`);
    }
}

async function screenshot(page, name) {
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function signIn(page) {
    await page.fill('#username', USERNAME);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
}

/** The scopes the consent page offers, each with whether it is ticked. */
async function consentChoices(page) {
    return page.$$eval('input[name=scope]', (boxes) => boxes.map((b) => ({ scope: b.value, checked: b.checked })));
}

async function authorizationRequest(config, extra = {}) {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: SPA_SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
    });
    return { url, codeVerifier, state, nonce };
}

async function redeem(config, callbackUrl, request) {
    return client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
    });
}

// ---------------------------------------------------------------------------------------------
// The journey

const jwks = jose.createRemoteJWKSet(new URL(`${ISSUER}/jwks`));

/** Verifies an access token as a resource server would (RFC 9068) and returns its claims. */
async function verifyAccessToken(token, what) {
    const { header } = decodeJwt(token, what);
    equal(header.typ, 'at+jwt', `${what} typ header`);
    try {
        const { payload } = await jose.jwtVerify(token, jwks, { issuer: ISSUER, audience: FHIR_BASE, typ: 'at+jwt' });
        for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope']) {
            check(payload[claim] !== undefined, `${what} has no ${claim} claim`);
        }
        check(typeof payload.scope === 'string', `${what} scope claim is ${JSON.stringify(payload.scope)}, not one space-delimited string`);
        return payload;
    } catch (error) {
        if (error instanceof StepFailure) {
            throw error;
        }
        throw new StepFailure(`${what} does not verify against ${ISSUER}/jwks: ${error.code || ''} ${error.message}`);
    }
}

async function main() {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const state = {};

    await step('discovery', [], async () => {
        const config = await client.discovery(new URL(ISSUER), 'discovery-only', undefined, undefined, INSECURE);
        const metadata = config.serverMetadata();
        equal(metadata.issuer, ISSUER, 'issuer');
        check(JSON.stringify(metadata.code_challenge_methods_supported) === '["S256"]',
            `code_challenge_methods_supported is ${JSON.stringify(metadata.code_challenge_methods_supported)}, expected ["S256"]`);
        for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint', 'userinfo_endpoint',
            'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'jwks_uri']) {
            check(typeof metadata[endpoint] === 'string', `discovery has no ${endpoint}`);
        }
        state.metadata = metadata;
    });

    await step('registration', ['discovery'], async () => {
        const spa = await client.dynamicClientRegistration(new URL(ISSUER), {
            client_name: 'Journey SPA',
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [CALLBACK],
            post_logout_redirect_uris: [LOGGED_OUT],
            scope: SPA_SCOPE,
            bastion_cors_origins: [APP_ORIGIN],
        }, client.None(), INSECURE);
        const registered = spa.clientMetadata();
        check(typeof registered.client_id === 'string' && registered.client_id.length > 0, 'no client_id was issued');
        check(registered.client_secret === undefined, 'a public client was issued a client_secret');
        equal(registered.token_endpoint_auth_method, 'none', 'registered token_endpoint_auth_method');
        check(JSON.stringify(registered.redirect_uris) === JSON.stringify([CALLBACK]),
            `registered redirect_uris are ${JSON.stringify(registered.redirect_uris)}`);
        check(JSON.stringify(registered.bastion_cors_origins) === JSON.stringify([APP_ORIGIN]),
            `registered bastion_cors_origins are ${JSON.stringify(registered.bastion_cors_origins)}, expected ["${APP_ORIGIN}"]`);
        // Check the ID tokens' signatures against the JWKS as well, not only their claims.
        client.enableNonRepudiationChecks(spa);
        state.spa = spa;
    });

    await step('authorization-code-pkce', ['registration'], async () => {
        state.context = await loopbackContext(browser, BASE);
        const page = state.page = await state.context.newPage();
        const request = await authorizationRequest(state.spa);
        await page.goto(request.url.href);
        await expectPage(page, 'login', 'sign-in');
        equal(await page.getAttribute('html', 'lang'), 'en', 'sign-in page lang');
        check(await page.isVisible('#username') && await page.isVisible('#password'), 'sign-in page has no username and password fields');
        await screenshot(page, 'login-en');
        await signIn(page);
        await expectPage(page, 'consent', 'consent');
        const choices = await consentChoices(page);
        const offered = choices.map((c) => c.scope).sort();
        check(JSON.stringify(offered) === JSON.stringify(scopes(SPA_SCOPE).sort()),
            `consent page offers ${JSON.stringify(offered)}, expected ${JSON.stringify(scopes(SPA_SCOPE).sort())}`);
        check(choices.every((c) => c.checked), 'not every scope on the consent page is ticked by default');
        await screenshot(page, 'consent-en');
        const callback = await navigateToApp(page, CALLBACK, () => page.click('button[name=decision][value=approve]'));
        check(callback.searchParams.get('iss') === ISSUER, `callback iss is ${callback.searchParams.get('iss')}`);

        const tokens = await redeem(state.spa, callback, request);
        const idToken = tokens.claims();
        check(idToken, 'no ID token was returned');
        equal(idToken.nonce, request.nonce, 'ID token nonce');
        equal(idToken.iss, ISSUER, 'ID token iss');
        check([].concat(idToken.aud).includes(state.spa.clientMetadata().client_id), `ID token aud ${JSON.stringify(idToken.aud)} lacks the client_id`);
        check(typeof tokens.refresh_token === 'string', 'no refresh token although offline_access was granted');
        const access = await verifyAccessToken(tokens.access_token, 'access token');
        equal(access.sub, idToken.sub, 'access token sub');
        equal(access.client_id, state.spa.clientMetadata().client_id, 'access token client_id');
        check(JSON.stringify(scopes(access.scope).sort()) === JSON.stringify(scopes(SPA_SCOPE).sort()),
            `access token scope is "${access.scope}", expected "${SPA_SCOPE}"`);
        state.tokens = tokens;
        state.sub = idToken.sub;
    });

    await step('fhir-read', ['authorization-code-pkce'], async () => {
        const response = await client.fetchProtectedResource(state.spa, state.tokens.access_token, new URL(`${FHIR_BASE}/Patient`), 'GET',
            undefined, new Headers({ accept: 'application/fhir+json' }));
        const body = await response.text();
        equal(response.status, 200, `GET ${FHIR_BASE}/Patient status (body ${body.slice(0, 200)})`);
        const bundle = JSON.parse(body);
        equal(bundle.resourceType, 'Bundle', 'resourceType');
        equal(bundle.type, 'searchset', 'Bundle type');
    });

    await step('userinfo', ['authorization-code-pkce'], async () => {
        const info = await client.fetchUserInfo(state.spa, state.tokens.access_token, state.sub);
        equal(info.sub, state.sub, 'userinfo sub');
        equal(info.preferred_username, USERNAME, 'userinfo preferred_username (profile was granted)');
    });

    await step('refresh-rotation', ['authorization-code-pkce'], async () => {
        const first = state.tokens.refresh_token;
        const refreshed = await client.refreshTokenGrant(state.spa, first);
        check(typeof refreshed.refresh_token === 'string', 'the refresh gave no new refresh token');
        check(refreshed.refresh_token !== first, 'the refresh token did not rotate');
        check(refreshed.access_token !== state.tokens.access_token, 'the refresh gave the same access token');
        await verifyAccessToken(refreshed.access_token, 'refreshed access token');
        await expectOAuthError(client.refreshTokenGrant(state.spa, first), 'invalid_grant', 'reusing the rotated-out refresh token');
        await expectOAuthError(client.refreshTokenGrant(state.spa, refreshed.refresh_token), 'invalid_grant',
            'the newest refresh token after the replay (the grant should be revoked)');
    });

    await step('sso-remembered-consent', ['authorization-code-pkce'], async () => {
        const page = state.page;
        const visited = [];
        const record = (r) => visited.push(r.url());
        page.on('request', record);
        try {
            const request = await authorizationRequest(state.spa);
            const callback = await navigateToApp(page, CALLBACK, () => page.goto(request.url.href));
            const pages = visited.filter((u) => u.startsWith(`${ISSUER}/login`) || u.startsWith(`${ISSUER}/consent`));
            check(pages.length === 0, `the browser was shown ${pages.join(', ')}`);
            const tokens = await redeem(state.spa, callback, request);
            equal(tokens.claims()?.sub, state.sub, 'ID token sub of the second authorization');
            state.ssoTokens = tokens;
        } finally {
            page.off('request', record);
        }
    });

    await step('japanese-pages', ['registration'], async () => {
        const context = await loopbackContext(browser, BASE);
        try {
            const page = await context.newPage();
            // The user has consented already; prompt=consent asks again, to show the page.
            const request = await authorizationRequest(state.spa, { ui_locales: 'ja', prompt: 'consent' });
            await page.goto(request.url.href);
            await expectPage(page, 'login', 'sign-in');
            equal(await page.getAttribute('html', 'lang'), 'ja', 'sign-in page lang');
            check(JAPANESE.test(await page.innerText('h1')), `sign-in heading "${await page.innerText('h1')}" is not Japanese`);
            await screenshot(page, 'login-ja');
            await signIn(page);
            await expectPage(page, 'consent', 'consent');
            equal(await page.getAttribute('html', 'lang'), 'ja', 'consent page lang');
            check(JAPANESE.test(await page.innerText('button[name=decision][value=approve]')), 'the approve button is not labelled in Japanese');
            check((await consentChoices(page)).length === scopes(SPA_SCOPE).length, 'the Japanese consent page does not offer every scope');
            await screenshot(page, 'consent-ja');
            const callback = await navigateToApp(page, CALLBACK, () => page.click('button[name=decision][value=approve]'));
            const tokens = await redeem(state.spa, callback, request);
            check(tokens.claims()?.sub && (!state.sub || tokens.claims().sub === state.sub), `ID token sub is ${tokens.claims()?.sub}, expected ${state.sub}`);
        } finally {
            await context.close();
        }
    });

    await step('introspection-revocation', ['registration'], async () => {
        const confidential = await client.dynamicClientRegistration(new URL(ISSUER), {
            client_name: 'Journey resource server',
            token_endpoint_auth_method: 'client_secret_basic',
            grant_types: ['client_credentials'],
            scope: 'system/*.rs',
        }, client.ClientSecretBasic(), INSECURE);
        const clientId = confidential.clientMetadata().client_id;
        check(typeof confidential.clientMetadata().client_secret === 'string', 'the confidential client was issued no client_secret');
        // Registering for client_credentials is not being allowed to use it: until an admin approves, the
        // grant is refused, or anyone could register a backend service with system-wide access.
        await expectOAuthError(client.clientCredentialsGrant(confidential, { scope: 'system/*.rs' }), 'unauthorized_client',
            'client_credentials by a self-registered client before an admin approved it');
        // resource_server: below, it introspects a user's token issued to another client.
        await approve(clientId, { approved_grant_types: ['client_credentials'], approved_scope: 'system/*.rs', resource_server: true });

        const own = await client.clientCredentialsGrant(confidential, { scope: 'system/*.rs' });
        const active = await client.tokenIntrospection(confidential, own.access_token);
        equal(active.active, true, 'introspection of a fresh access token: active');
        equal(active.client_id, clientId, 'introspected client_id');
        check(scopes(active.scope).includes('system/*.rs'), `introspected scope is ${JSON.stringify(active.scope)}`);
        await client.tokenRevocation(confidential, own.access_token);
        const revoked = await client.tokenIntrospection(confidential, own.access_token);
        equal(revoked.active, false, 'introspection after revocation: active');

        if (state.ssoTokens) {
            // A user's token of another (public) client; the public client revokes it itself.
            const userToken = state.ssoTokens.access_token;
            const user = await client.tokenIntrospection(confidential, userToken);
            equal(user.active, true, "introspection of the user's access token: active");
            equal(user.sub, state.sub, "introspected sub of the user's token");
            equal(user.client_id, state.spa.clientMetadata().client_id, "introspected client_id of the user's token");
            await expectOAuthError(client.tokenIntrospection(state.spa, userToken), 'invalid_client', 'introspection by a public client');
            await client.tokenRevocation(state.spa, userToken);
            equal((await client.tokenIntrospection(confidential, userToken)).active, false,
                "introspection of the user's token after the public client revoked it: active");
        }
    });

    await step('client-credentials-private-key-jwt', ['discovery'], async () => {
        const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
        const jwk = { ...(await jose.exportJWK(publicKey)), alg: 'ES256', use: 'sig' };
        jwk.kid = await jose.calculateJwkThumbprint(jwk);
        const backend = await client.dynamicClientRegistration(new URL(ISSUER), {
            client_name: 'Journey backend service',
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'ES256',
            grant_types: ['client_credentials'],
            jwks: { keys: [jwk] },
            scope: 'system/*.rs',
        }, client.PrivateKeyJwt({ key: privateKey, kid: jwk.kid }), INSECURE);
        const clientId = backend.clientMetadata().client_id;
        check(backend.clientMetadata().client_secret === undefined, 'a private_key_jwt client was issued a client_secret');
        // A self-registered client gets client_credentials and system/ scopes only from an admin.
        await approve(clientId, { approved_grant_types: ['client_credentials'], approved_scope: 'system/*.rs' });
        const tokens = await client.clientCredentialsGrant(backend, { scope: 'system/*.rs' });
        check(scopes(tokens.scope).includes('system/*.rs'), `token response scope is ${JSON.stringify(tokens.scope)}`);
        const access = await verifyAccessToken(tokens.access_token, 'access token');
        check(scopes(access.scope).includes('system/*.rs'), `access token scope is "${access.scope}"`);
        equal(access.sub, clientId, 'access token sub (the client itself)');
        check(tokens.refresh_token === undefined, 'client_credentials issued a refresh token');
    });

    await step('jwt-bearer-grant', ['discovery'], async () => {
        const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
        const jwk = { ...(await jose.exportJWK(publicKey)), alg: 'ES256', use: 'sig' };
        jwk.kid = await jose.calculateJwkThumbprint(jwk);
        const service = await client.dynamicClientRegistration(new URL(ISSUER), {
            client_name: 'Journey assertion client',
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'ES256',
            grant_types: [JWT_BEARER],
            jwks: { keys: [jwk] },
            scope: 'user/*.rs',
        }, client.PrivateKeyJwt({ key: privateKey, kid: jwk.kid }), INSECURE);
        const clientId = service.clientMetadata().client_id;
        // An assertion is single-use (by its jti), so each request signs a fresh one.
        const signAssertion = () => new jose.SignJWT({})
            .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
            .setIssuer(clientId)
            .setSubject(USERNAME)
            .setAudience(`${ISSUER}/token`)
            .setIssuedAt()
            .setExpirationTime('4m')
            .setJti(randomUUID())
            .sign(privateKey);
        // Approved in two parts: until the grant type is approved any assertion is refused with
        // unauthorized_client, which would hide the check that follows.
        await approve(clientId, { approved_grant_types: [JWT_BEARER] });
        // The grant alone lets the client assert only itself: a client that could name any user as sub
        // could act as anyone, so a user needs the admin's jwt_bearer_subjects as well.
        await expectOAuthError(client.genericGrantRequest(service, JWT_BEARER, { assertion: await signAssertion(), scope: 'user/*.rs' }),
            'invalid_grant', `an assertion with sub ${USERNAME} before an admin let the client act for that user`);
        await approve(clientId, { jwt_bearer_subjects: [USERNAME] });
        const assertion = await signAssertion();
        const tokens = await client.genericGrantRequest(service, JWT_BEARER, { assertion, scope: 'user/*.rs' });
        const access = await verifyAccessToken(tokens.access_token, 'access token');
        equal(access.client_id, clientId, 'access token client_id');
        check(access.sub !== USERNAME, `access token sub is the username ${USERNAME}; it must be the user's id`);
        if (state.sub) {
            equal(access.sub, state.sub, "access token sub (the user's id)");
        }
        check(scopes(access.scope).includes('user/*.rs'), `access token scope is "${access.scope}"`);
        await expectOAuthError(client.genericGrantRequest(service, JWT_BEARER, { assertion, scope: 'user/*.rs' }),
            'invalid_grant', 'replaying the same assertion (same jti)');
    });

    await step('logout', ['sso-remembered-consent'], async () => {
        const page = state.page;
        const logoutState = client.randomState();
        const endSession = client.buildEndSessionUrl(state.spa, {
            id_token_hint: state.ssoTokens.id_token,
            post_logout_redirect_uri: LOGGED_OUT,
            state: logoutState,
        });
        const back = await navigateToApp(page, LOGGED_OUT, () => page.goto(endSession.href));
        equal(`${back.origin}${back.pathname}`, LOGGED_OUT, 'post-logout redirect');
        equal(back.searchParams.get('state'), logoutState, 'post-logout state');

        const request = await authorizationRequest(state.spa, { prompt: 'none' });
        const callback = await navigateToApp(page, CALLBACK, () => page.goto(request.url.href));
        equal(callback.searchParams.get('error'), 'login_required', `error after logout (callback ${callback.href})`);
        try {
            await redeem(state.spa, callback, request);
            throw new StepFailure('openid-client accepted the error response');
        } catch (error) {
            check(error instanceof client.AuthorizationResponseError, `openid-client did not take the callback as an error response: ${describeOAuth(error)}`);
            equal(error.error, 'login_required', 'error seen by openid-client');
        }
    });
}

/** The application's pages: whatever the browser is sent to, it gets a small page back. */
async function startApplication() {
    const server = createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end('<!DOCTYPE html><html lang="en"><title>Application</title><p>The application received the redirect.</p></html>');
    });
    await new Promise((ok, fail) => {
        server.once('error', fail);
        server.listen(Number(process.env.APP_PORT || 0), '127.0.0.1', ok);
    });
    server.unref();
    APP_ORIGIN = `http://localhost:${server.address().port}`;
    CALLBACK = `${APP_ORIGIN}/callback`;
    LOGGED_OUT = `${APP_ORIGIN}/logged-out`;
    return server;
}

let application;
await run(async () => {
    application = await startApplication();
    browser = await launchChromium();
    return browser;
}, main, () => application?.close());
