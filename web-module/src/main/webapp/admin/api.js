// Sign-in through Bastion's own authorization server (authorization code + PKCE, RFC 7636) and
// calls to the admin REST API with the resulting access token.

import { lang } from './i18n.js';

export const CLIENT_ID = 'bastion-console';
const ORIGIN = window.location.origin;
export const REDIRECT_URI = `${ORIGIN}/admin/`;
const API = `${ORIGIN}/admin/api`;
const KEY = {
    verifier: 'bastion.pkce.verifier',
    state: 'bastion.pkce.state',
    route: 'bastion.return.route',
    access: 'bastion.access_token',
    idToken: 'bastion.id_token',
    expires: 'bastion.expires_at',
};

/** A server refusal: HTTP status plus the admin API's error JSON. */
export class ApiError extends Error {
    constructor(status, body) {
        super(body?.error_description || body?.error || `HTTP ${status}`);
        this.status = status;
        this.error = body?.error;
        this.field = body?.field;
    }
}

function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
    return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Starts the authorization request; the page leaves for the sign-in page. */
export async function signIn() {
    const verifier = randomString();
    const state = randomString();
    sessionStorage.setItem(KEY.verifier, verifier);
    sessionStorage.setItem(KEY.state, state);
    sessionStorage.setItem(KEY.route, window.location.hash || '#/');
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    // The admin API accepts only tokens of the console's client that carry the admin scope.
    const params = new URLSearchParams({
        response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'openid admin',
        state, code_challenge: challenge, code_challenge_method: 'S256',
    });
    if (lang() === 'ja') {
        params.set('ui_locales', 'ja');
    }
    window.location.assign(`${ORIGIN}/oauth2/authorize?${params}`);
}

/**
 * Completes the sign-in when the page is the redirect back from the authorization server.
 * Returns true when the console holds an access token afterwards.
 */
export async function completeSignIn() {
    const query = new URLSearchParams(window.location.search);
    if (query.has('error')) {
        throw new Error(`${query.get('error')}: ${query.get('error_description') || ''}`);
    }
    if (query.has('code')) {
        const expected = sessionStorage.getItem(KEY.state);
        const verifier = sessionStorage.getItem(KEY.verifier);
        sessionStorage.removeItem(KEY.state);
        sessionStorage.removeItem(KEY.verifier);
        // The state ties the response to the request this tab made (CSRF, RFC 6749 §10.12).
        if (!expected || query.get('state') !== expected || !verifier) {
            throw new Error('The sign-in response does not match the request (state); sign in again.');
        }
        const response = await fetch(`${ORIGIN}/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'authorization_code', code: query.get('code'), redirect_uri: REDIRECT_URI,
                client_id: CLIENT_ID, code_verifier: verifier,
            }),
        });
        const tokens = await response.json().catch(() => ({}));
        if (!response.ok || !tokens.access_token) {
            throw new Error(`${tokens.error || response.status}: ${tokens.error_description || 'no access token'}`);
        }
        sessionStorage.setItem(KEY.access, tokens.access_token);
        sessionStorage.setItem(KEY.idToken, tokens.id_token || '');
        sessionStorage.setItem(KEY.expires, String(Date.now() + (tokens.expires_in || 3600) * 1000));
        const route = sessionStorage.getItem(KEY.route) || '#/';
        sessionStorage.removeItem(KEY.route);
        window.history.replaceState(null, '', `/admin/${route}`);
    }
    return Boolean(accessToken());
}

function accessToken() {
    const expires = Number(sessionStorage.getItem(KEY.expires) || 0);
    return expires > Date.now() ? sessionStorage.getItem(KEY.access) : null;
}

/** The signed-in user's claims from the ID token (for display only; the API checks the access token). */
export function idClaims() {
    try {
        return JSON.parse(atob(sessionStorage.getItem(KEY.idToken).split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch {
        return {};
    }
}

export function signOut() {
    const idToken = sessionStorage.getItem(KEY.idToken);
    for (const key of Object.values(KEY)) {
        sessionStorage.removeItem(key);
    }
    const params = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: REDIRECT_URI });
    // The ID token proves the request is the console's own: without it the server asks the user first.
    if (idToken) {
        params.set('id_token_hint', idToken);
    }
    if (lang() === 'ja') {
        params.set('ui_locales', 'ja');
    }
    window.location.assign(`${ORIGIN}/oauth2/logout?${params}`);
}

/** Calls the admin API; a 401 means the token is gone or expired, so the console signs in again. */
export async function api(method, path, body, query) {
    const token = accessToken();
    if (!token) {
        await signIn();
        return new Promise(() => {});
    }
    const params = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')) : null;
    const url = `${API}${path}${params && [...params].length ? `?${params}` : ''}`;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json, application/fhir+json, application/fhir+ndjson' };
    // a file (an import's NDJSON) goes as it is; anything else as JSON
    const raw = typeof Blob !== 'undefined' && body instanceof Blob;
    if (body !== undefined) {
        headers['content-type'] = raw ? (body.type || 'application/fhir+ndjson') : 'application/json';
    }
    let response;
    try {
        response = await fetch(url, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    } catch (error) {
        throw new ApiError(0, { error: 'network', error_description: error.message });
    }
    if (response.status === 401) {
        sessionStorage.removeItem(KEY.access);
        await signIn();
        return new Promise(() => {});
    }
    const text = await response.text();
    if (response.ok && (response.headers.get('content-type') || '').includes('ndjson')) {
        // an error file: the lines as they are
        return text;
    }
    let data = null;
    try {
        data = text ? JSON.parse(text) : null;
    } catch {
        data = { error: 'unexpected_response', error_description: text.slice(0, 200) };
    }
    if (!response.ok) {
        throw new ApiError(response.status, data);
    }
    return data;
}
