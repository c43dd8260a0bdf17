// SMART App Launch 2 for a browser app (a public client): discovery, the authorization code grant
// with PKCE S256 (RFC 7636), refresh, revocation (RFC 7009) and RP-initiated logout. Tokens live
// in sessionStorage: they end with the tab, and no other tab or origin can read them.

const KEY = {
    server: 'patient-browser.server',
    pending: 'patient-browser.pending',
    session: 'patient-browser.session',
    signedOut: 'patient-browser.signed-out',
};

/** A sign-in that cannot go on; error is the OAuth error code (RFC 6749 §4.1.2.1, §5.2) or our own. */
export class AuthError extends Error {
    constructor(error, description) {
        super(description || error);
        this.error = error;
    }
}

/** The app's own address, the folder of index.html without query: its redirect_uri and post_logout_redirect_uri. */
export function appUrl() {
    return new URL('./', window.location.href).href;
}

function withoutSlash(url) {
    return url.replace(/\/+$/, '');
}

function readJson(key) {
    try {
        return JSON.parse(sessionStorage.getItem(key) || 'null');
    } catch {
        return null;
    }
}

/** config.json, overridden by the FHIR server and client id this tab was given (?iss=, ?client_id=). */
export async function loadSettings() {
    const response = await fetch(new URL('config.json', appUrl()), { cache: 'no-cache' });
    if (!response.ok) {
        throw new Error(`The app's config.json could not be read (HTTP ${response.status}).`);
    }
    const config = await response.json();
    const chosen = readJson(KEY.server) || {};
    return {
        iss: withoutSlash(new URL(chosen.iss || config.fhirBaseUrl, window.location.origin).href),
        clientId: chosen.clientId || config.clientId,
        scope: config.scope,
        launchScope: config.launchScope,
    };
}

/** Keeps ?iss= and ?client_id= for this tab, so that they outlive the round trip through sign-in and sign-out. */
export function rememberServer(params) {
    const chosen = readJson(KEY.server) || {};
    if (params.get('iss')) {
        chosen.iss = params.get('iss');
    }
    if (params.get('client_id')) {
        chosen.clientId = params.get('client_id');
    }
    sessionStorage.setItem(KEY.server, JSON.stringify(chosen));
}

async function getJson(url, what) {
    let response;
    try {
        response = await fetch(url, { headers: { accept: 'application/json' } });
    } catch (error) {
        throw new Error(`${what} at ${url} could not be reached (${error.message}).`);
    }
    if (!response.ok) {
        throw new Error(`${what} at ${url} answered HTTP ${response.status}.`);
    }
    return response.json();
}

/** The server's SMART configuration (App Launch 2 §2.0.2.1): where to authorize, get and revoke tokens. */
export async function discover(iss) {
    const smart = await getJson(`${iss}/.well-known/smart-configuration`, 'The SMART configuration');
    if (!smart.authorization_endpoint || !smart.token_endpoint) {
        throw new Error(`The SMART configuration of ${iss} names no authorization_endpoint or token_endpoint.`);
    }
    return smart;
}

function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
    return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Sends the browser to the authorization endpoint. aud names the FHIR server the token is for
 * (App Launch 2 §2.0.5: it keeps a token from being requested for a server the user did not mean);
 * launch is the EHR's launch handle, for an EHR launch.
 */
export async function authorize({ iss, clientId, scope, launch }) {
    const smart = await discover(iss);
    const verifier = randomString();
    const state = randomString();
    sessionStorage.setItem(KEY.pending, JSON.stringify({
        state, verifier, iss, clientId, route: window.location.hash,
        issuer: smart.issuer, tokenEndpoint: smart.token_endpoint, revocationEndpoint: smart.revocation_endpoint,
    }));
    const url = new URL(smart.authorization_endpoint);
    const params = {
        response_type: 'code', client_id: clientId, redirect_uri: appUrl(), scope, state, aud: iss,
        code_challenge: base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
        code_challenge_method: 'S256',
    };
    if (launch) {
        params.launch = launch;
    }
    for (const [name, value] of Object.entries(params)) {
        url.searchParams.set(name, value);
    }
    window.location.assign(url.href);
}

async function tokenRequest(endpoint, form) {
    let response;
    try {
        response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: new URLSearchParams(form),
        });
    } catch (error) {
        throw new AuthError('network', `The token endpoint ${endpoint} could not be reached (${error.message}).`);
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
        throw new AuthError(body.error || `HTTP ${response.status}`, body.error_description || 'The token endpoint returned no access token.');
    }
    return body;
}

function store(session) {
    const expiresIn = Number(session.tokens.expires_in);
    const stored = { ...session, expiresAt: expiresIn > 0 ? Date.now() + expiresIn * 1000 : null };
    sessionStorage.setItem(KEY.session, JSON.stringify(stored));
    return stored;
}

/**
 * Completes the sign-in when the page is the redirect back (?code= or ?error=) and returns the
 * new session; null when the page is not such a redirect.
 */
export async function completeAuthorization() {
    const query = new URLSearchParams(window.location.search);
    if (!query.has('code') && !query.has('error')) {
        return null;
    }
    const pending = readJson(KEY.pending);
    sessionStorage.removeItem(KEY.pending);
    // The code is single-use: a reload must not send it again, and it must not stay in the history.
    window.history.replaceState(null, '', appUrl() + (pending?.route || ''));
    // The state ties the response to a request this tab made (RFC 6749 §10.12, CSRF).
    if (!pending || query.get('state') !== pending.state) {
        throw new AuthError('state_mismatch', 'This sign-in response does not belong to a sign-in started in this tab. Sign in again.');
    }
    if (query.has('error')) {
        throw new AuthError(query.get('error'), query.get('error_description'));
    }
    // RFC 9207: a response naming another issuer than the one asked is a mix-up attack.
    if (query.has('iss') && pending.issuer && query.get('iss') !== pending.issuer) {
        throw new AuthError('invalid_issuer', `The response names the issuer ${query.get('iss')}, not ${pending.issuer}.`);
    }
    const tokens = await tokenRequest(pending.tokenEndpoint, {
        grant_type: 'authorization_code', code: query.get('code'), redirect_uri: appUrl(),
        client_id: pending.clientId, code_verifier: pending.verifier,
    });
    sessionStorage.removeItem(KEY.signedOut);
    const { iss, clientId, issuer, tokenEndpoint, revocationEndpoint } = pending;
    return store({ iss, clientId, issuer, tokenEndpoint, revocationEndpoint, tokens });
}

export function currentSession() {
    const session = readJson(KEY.session);
    return session?.tokens?.access_token ? session : null;
}

/** A fresh access token from the refresh token (offline_access); null when there is none or it is refused. */
export async function refresh(session) {
    if (!session?.tokens.refresh_token) {
        return null;
    }
    try {
        const tokens = await tokenRequest(session.tokenEndpoint, {
            grant_type: 'refresh_token', refresh_token: session.tokens.refresh_token, client_id: session.clientId,
        });
        // A refresh response may leave out the launch context and the ID token: they still hold.
        return store({ ...session, tokens: { ...session.tokens, ...tokens } });
    } catch {
        return null;
    }
}

/** Whether the user has just signed out in this tab (asked once: a reload shows the sign-in screen). */
export function takeSignedOut() {
    const signedOut = sessionStorage.getItem(KEY.signedOut) === 'true';
    sessionStorage.removeItem(KEY.signedOut);
    return signedOut;
}

async function revoke(session) {
    if (!session.revocationEndpoint) {
        return;
    }
    const revokeOne = (token, hint) => fetch(session.revocationEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: hint, client_id: session.clientId }),
        signal: AbortSignal.timeout(5000),
    }).catch(() => {});
    // Revoking the refresh token first ends its whole family; the access token is revoked for servers that keep them apart.
    if (session.tokens.refresh_token) {
        await revokeOne(session.tokens.refresh_token, 'refresh_token');
    }
    await revokeOne(session.tokens.access_token, 'access_token');
}

async function endSessionEndpoint(session) {
    if (!session.issuer) {
        return null;
    }
    try {
        return (await getJson(`${withoutSlash(session.issuer)}/.well-known/openid-configuration`, 'The OpenID configuration')).end_session_endpoint || null;
    } catch {
        return null;
    }
}

/**
 * Signs out: revokes the tokens where the server offers revocation (failures do not matter, the
 * tokens are forgotten anyway), then ends the server's sign-in session (OpenID Connect RP-Initiated
 * Logout) when there is an ID token to name it. Returns false when the browser stays on the app.
 */
export async function signOut() {
    const session = currentSession();
    sessionStorage.removeItem(KEY.session);
    sessionStorage.removeItem(KEY.pending);
    sessionStorage.setItem(KEY.signedOut, 'true');
    if (!session) {
        return false;
    }
    await revoke(session);
    const endSession = session.tokens.id_token ? await endSessionEndpoint(session) : null;
    if (!endSession) {
        return false;
    }
    const url = new URL(endSession);
    url.searchParams.set('id_token_hint', session.tokens.id_token);
    url.searchParams.set('client_id', session.clientId);
    url.searchParams.set('post_logout_redirect_uri', appUrl());
    window.location.assign(url.href);
    return true;
}

function base64urlText(part) {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/**
 * The JOSE header and claims of a JWT, for display; null for an opaque token. Not verified: the
 * FHIR server verifies the access token, and the ID token came straight from the token endpoint
 * over TLS (OpenID Connect Core §3.1.3.7), used here only to name the user and as a logout hint.
 */
export function decodeJwt(token) {
    const parts = String(token || '').split('.');
    if (parts.length !== 3) {
        return null;
    }
    try {
        return { header: JSON.parse(base64urlText(parts[0])), claims: JSON.parse(base64urlText(parts[1])), parts };
    } catch {
        return null;
    }
}

/** Type and id at the end of a reference or resource URL (fhirUser is often an absolute URL). */
export function referenceParts(reference) {
    const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(String(reference || ''));
    return match ? { type: match[1], id: match[2] } : null;
}

/** Who is signed in, from the ID token (fhirUser also from the access token, when the ID token lacks it). */
export function signedInUser(session) {
    const id = decodeJwt(session.tokens.id_token)?.claims || {};
    const access = decodeJwt(session.tokens.access_token)?.claims || {};
    return {
        name: id.name || null,
        username: id.preferred_username || null,
        subject: id.sub || access.sub || null,
        fhirUser: id.fhirUser || access.fhirUser || null,
    };
}

/** The patient the session is confined to: the launch context, or the signed-in user when that is a Patient. */
export function contextPatient(session) {
    if (session.tokens.patient) {
        return session.tokens.patient;
    }
    const user = referenceParts(signedInUser(session).fhirUser);
    return user?.type === 'Patient' ? user.id : null;
}
