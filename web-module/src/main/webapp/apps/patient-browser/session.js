// The login status: who is signed in, the launch context, the granted scopes, and the tokens
// decoded (JOSE header and claims) as a JWT debugger shows them.

import { formatEpoch } from './format.js';
import { decodeJwt, signedInUser } from './smart.js';
import { card, h } from './ui.js';

/** Plain words for the registered claims (RFC 7519 §4.1, RFC 9068, OpenID Connect Core, SMART App Launch 2). */
const CLAIM_NAMES = {
    alg: 'Signature algorithm', kid: 'Key ID', typ: 'Type',
    iss: 'Issuer', sub: 'Subject', aud: 'Audience', exp: 'Expires', nbf: 'Not before', iat: 'Issued at', jti: 'Token ID',
    auth_time: 'Signed in at', client_id: 'Client', scope: 'Scopes', fhirUser: 'FHIR user', patient: 'Patient context',
    encounter: 'Encounter context', nonce: 'Nonce', at_hash: 'Access token hash', name: 'Name',
    preferred_username: 'Username', azp: 'Authorized party', sid: 'Session ID',
};
const TIMES = new Set(['exp', 'nbf', 'iat', 'auth_time']);

function claimValue(name, value) {
    if (TIMES.has(name) && typeof value === 'number') {
        return [h('span', { class: 'mono' }, String(value)), ' ', h('span', { class: 'muted', 'data-testid': 'claim-time' }, formatEpoch(value))];
    }
    return h('span', { class: 'mono break' }, typeof value === 'string' ? value : JSON.stringify(value));
}

function claimsTable(object, test) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'table claims' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Claim'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Meaning'))),
        h('tbody', {}, Object.entries(object).map(([name, value]) => h('tr', { 'data-testid': test, 'data-claim': name },
            h('td', { class: 'mono strong' }, name), h('td', {}, claimValue(name, value)), h('td', { class: 'muted' }, CLAIM_NAMES[name] || ''))))));
}

/** The encoded token, its three parts coloured apart, behind a toggle. */
function rawToken(token, parts, test) {
    const raw = h('pre', { class: 'raw-token', hidden: true, 'data-testid': `${test}-raw` },
        parts ? parts.flatMap((part, i) => [i ? h('span', { class: 'raw-dot' }, '.') : null, h('span', { class: `raw-part raw-part-${i}` }, part)]) : token);
    const toggle = h('button', { class: 'btn btn-ghost', type: 'button', 'aria-expanded': 'false', 'data-testid': `${test}-raw-toggle` }, 'Show raw token');
    toggle.addEventListener('click', () => {
        raw.hidden = !raw.hidden;
        toggle.textContent = raw.hidden ? 'Show raw token' : 'Hide raw token';
        toggle.setAttribute('aria-expanded', String(!raw.hidden));
    });
    return [h('div', { class: 'card-actions' }, toggle), raw];
}

function tokenCard(title, token, test) {
    const decoded = decodeJwt(token);
    if (!decoded) {
        return h('section', { class: 'card', 'data-testid': test },
            h('h2', { class: 'card-title' }, title),
            h('p', { class: 'notice', 'data-testid': `${test}-opaque` }, 'This token is not a JWT: it is an opaque reference that only the server can read.'),
            rawToken(token, null, test));
    }
    return h('section', { class: 'card', 'data-testid': test },
        h('h2', { class: 'card-title' }, title),
        h('h3', { class: 'subhead' }, 'Header (JOSE)'),
        claimsTable(decoded.header, 'header-row'),
        h('h3', { class: 'subhead' }, 'Claims'),
        claimsTable(decoded.claims, 'claim-row'),
        h('p', { class: 'hint' }, 'Decoded here for reading only; the FHIR server checks the signature.'),
        rawToken(token, decoded.parts, test));
}

function facts(rows, test) {
    return h('dl', { class: 'facts', 'data-testid': test }, rows.filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([label, value, rowTest]) => [h('dt', {}, label), h('dd', { 'data-testid': rowTest }, value)]));
}

export async function render(ctx) {
    const { session } = ctx;
    const { tokens } = session;
    const user = signedInUser(session);
    const scopes = String(tokens.scope || '').split(/\s+/).filter(Boolean);
    const context = [
        ['Patient', tokens.patient ? h('a', { href: `#/patients/${encodeURIComponent(tokens.patient)}`, class: 'mono' }, tokens.patient) : null, 'context-patient'],
        ['Encounter', tokens.encounter ? h('span', { class: 'mono' }, tokens.encounter) : null, 'context-encounter'],
        ['Patient banner needed', tokens.need_patient_banner === undefined ? null : (tokens.need_patient_banner ? 'Yes' : 'No')],
        ['Style', tokens.smart_style_url ? h('span', { class: 'mono break' }, tokens.smart_style_url) : null],
    ];
    return h('div', { class: 'page', 'data-testid': 'page-session' },
        h('header', { class: 'page-header' },
            h('div', {}, h('h1', {}, 'Session'), h('p', { class: 'lead' }, 'Who is signed in, and what the tokens from the authorization server say.'))),
        h('div', { class: 'grid-2' },
            card('Signed in', facts([
                ['Name', user.name, 'user-name'],
                ['Username', user.username],
                ['FHIR user', user.fhirUser ? h('span', { class: 'mono break' }, user.fhirUser) : 'None (no fhirUser claim)', 'user-fhir-user'],
                ['Subject', user.subject ? h('span', { class: 'mono' }, user.subject) : null],
                ['Client', h('span', { class: 'mono' }, session.clientId)],
                ['FHIR server', h('span', { class: 'mono break' }, session.iss)],
                ['Access token expires', session.expiresAt ? new Date(session.expiresAt).toLocaleString() : null, 'token-expires'],
                ['Refresh token', tokens.refresh_token ? 'Yes (offline access)' : 'No'],
            ], 'user-facts')),
            h('section', { class: 'card', 'data-testid': 'launch-context' },
                h('h2', { class: 'card-title' }, 'Launch context'),
                context.some(([, value]) => value !== null)
                    ? facts(context, 'context-facts')
                    : h('p', { class: 'muted' }, 'None: the app was launched on its own and no patient was chosen at sign-in.'),
                h('h2', { class: 'card-title' }, 'Granted scopes'),
                h('ul', { class: 'chips', 'data-testid': 'scope-list' }, scopes.map((s) => h('li', { class: 'chip mono', 'data-testid': 'scope-item' }, s))))),
        tokenCard('Access token', tokens.access_token, 'claims-panel'),
        tokens.id_token ? tokenCard('ID token', tokens.id_token, 'id-token-panel') : null);
}
