// Clients: search and page through them, create a backend service or a SMART app, and manage
// one client's details, credentials and trust (what an admin approved beyond its registration).

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, onTyping, badge, button, card, code, confirmAction, enabledBadge, field, form, h, notice, pageHeader, pager, rules,
    checkboxes, entries, secretBox, table, toast, words,
} from '../ui.js';

const PAGE_SIZE = 10;

/** Grant types an admin may approve for a self-registered client, beyond the registration policy. */
export const GRANT_TYPES = ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'authorization_code', 'refresh_token'];

/** A JWT bearer subject: a username, or role:<name> for every user with that role. */
const SUBJECT = /^(?:role:[a-z0-9_-]+|[A-Za-z0-9._@-]{1,255})$/;

/** The client's own registration metadata; trust is changed only through /trust. */
const TRUST_FIELDS = ['trust', 'approved_grant_types', 'approved_scope', 'jwt_bearer_subjects', 'resource_server'];

// A freshly issued secret, kept in memory only until the credentials tab has shown it once.
let oneTimeSecret = null;

export function typeBadge(client) {
    return client.client_type === 'public' ? badge(t('clients.public'), 'info') : badge(t('clients.confidential'), 'accent');
}

/** [value, label] of the grant types an admin may approve, for checkboxes(). */
export function grantOptions() {
    return GRANT_TYPES.map((g) => [g, t(`grant.${g.replace(/^.*:/, '')}`)]);
}

/**
 * admin (created by an admin), approved (self-registered, an admin approved more than the
 * registration policy) or unapproved (self-registered, the policy only).
 */
export function trustLevel(client) {
    if (client.trust !== 'self-registered') {
        return 'admin';
    }
    return (client.approved_grant_types || []).length > 0 || String(client.approved_scope || '').trim() !== '' ? 'approved' : 'unapproved';
}

const TRUST_TONE = { admin: 'success', approved: 'info', unapproved: 'warning' };

export function trustBadge(client) {
    const level = trustLevel(client);
    return badge(t(`clients.trust.${level}`), TRUST_TONE[level], 'client-trust');
}

function subjectsRule(v) {
    const wrong = entries(v).find((s) => !SUBJECT.test(s));
    return wrong ? t('valid.subject', { value: wrong }) : null;
}

export async function renderList() {
    const root = h('div', { class: 'page', 'data-test': 'page-clients' });
    const results = h('div', {});
    const search = h('input', { type: 'search', class: 'search', placeholder: t('clients.search'), 'data-test': 'clients-search' });
    let offset = 0;
    const load = async () => {
        const page = await api('GET', '/clients', undefined, { q: search.value.trim(), _count: PAGE_SIZE, _offset: offset });
        results.replaceChildren(
            table([
                [t('clients.name'), (c) => h('a', { href: `#/clients/${encodeURIComponent(c.client_id)}`, class: 'strong', 'data-test': 'client-link' }, c.client_name || c.client_id)],
                [t('clients.id'), (c) => code(c.client_id)],
                [t('clients.type'), typeBadge],
                [t('clients.trust'), trustBadge],
                [t('common.status'), (c) => enabledBadge(c.enabled)],
                [t('common.created'), (c) => when(c.created_at)],
            ], page.clients, 'clients-table'),
            pager({ offset, count: PAGE_SIZE, shown: page.clients.length, total: page.total, onPage: (o) => { offset = o; attempt(load); } }));
    };
    onTyping(search, () => { offset = 0; attempt(load); });
    await load();
    root.append(
        pageHeader(t('clients.title'), t('clients.lead'), h('a', { class: 'btn btn-primary', href: '#/clients/new', 'data-test': 'new-client' }, t('clients.new'))),
        card(null, h('div', { class: 'toolbar' }, search), results));
    return root;
}

export async function renderCreate() {
    let kind = 'confidential';
    const name = field('client_name', t('clients.name'), { validate: [rules.required] });
    const redirects = field('redirect_uris', t('clients.redirects'), {
        kind: 'textarea', hint: t('clients.redirects.hint'), placeholder: 'https://app.example.org/callback',
        validate: [(v) => (kind === 'public' ? rules.required(v) : null), rules.urls],
    });
    const origins = originsField([]);
    const scope = field('scope', t('clients.scope'), { hint: t('clients.scope.hint'), value: 'system/*.rs' });
    const kinds = h('div', { class: 'choice-group', role: 'radiogroup' }, ['confidential', 'public'].map((k) => h('label', { class: 'choice' },
        h('input', { type: 'radio', name: 'kind', value: k, checked: k === kind, 'data-test': `kind-${k}`, onchange: () => switchKind(k) }),
        h('span', { class: 'choice-body' }, h('strong', {}, t(`clients.kind.${k}`)), h('span', { class: 'hint' }, t(`clients.kind.${k}.hint`))))));
    const switchKind = (k) => {
        kind = k;
        redirects.el.hidden = k !== 'public';
        origins.el.hidden = k !== 'public';
        if (k === 'public' && scope.input.value === 'system/*.rs') {
            scope.input.value = 'openid fhirUser launch/patient patient/*.rs';
        } else if (k === 'confidential' && scope.input.value.startsWith('openid fhirUser')) {
            scope.input.value = 'system/*.rs';
        }
    };
    switchKind(kind);
    const createForm = form([name, redirects, origins, scope], async (values) => {
        const metadata = kind === 'public'
            ? { grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none', response_types: ['code'],
                redirect_uris: lines(values.redirect_uris), ...corsOrigins(values) }
            : { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' };
        const created = await api('POST', '/clients', { client_name: values.client_name.trim(), scope: values.scope.trim() || undefined, ...metadata });
        oneTimeSecret = created.client_secret ? { clientId: created.client_id, secret: created.client_secret } : null;
        window.location.hash = `#/clients/${encodeURIComponent(created.client_id)}/credentials`;
    }, { submitLabel: t('common.create'), test: 'client-form', extra: [] });
    createForm.prepend(h('div', { class: 'field' }, h('div', { class: 'label' }, t('clients.kind')), kinds));
    return h('div', { class: 'page', 'data-test': 'page-client-new' },
        pageHeader(t('clients.create.title'), null, h('a', { class: 'btn btn-ghost', href: '#/clients' }, t('common.back'))),
        card(null, createForm));
}

function lines(text) {
    return text.split(/\s+/).filter(Boolean);
}

function originsField(values) {
    return field('bastion_cors_origins', t('clients.origins'), {
        kind: 'textarea', value: values.join('\n'), hint: t('clients.origins.hint'), placeholder: 'https://app.example.org', validate: [rules.origins],
    });
}

/** The bastion_cors_origins metadata of the form's origins, or nothing when there are none. */
function corsOrigins(values) {
    const origins = lines(values.bastion_cors_origins);
    return origins.length > 0 ? { bastion_cors_origins: origins } : {};
}

function detailsTab(client, redraw) {
    const name = field('client_name', t('clients.name'), { value: client.client_name || '', validate: [rules.required] });
    const redirects = field('redirect_uris', t('clients.redirects'), {
        kind: 'textarea', value: (client.redirect_uris || []).join('\n'), hint: t('clients.redirects.hint'), validate: [rules.urls],
    });
    const origins = originsField(client.bastion_cors_origins || []);
    const scope = field('scope', t('clients.scope'), { value: client.scope || '', hint: t('clients.scope.hint') });
    const editForm = form([name, redirects, origins, scope], async (values) => {
        const registered = Object.fromEntries(Object.entries(client).filter(([k]) => k !== 'bastion_cors_origins' && !TRUST_FIELDS.includes(k)));
        const updated = await api('PUT', `/clients/${encodeURIComponent(client.client_id)}`, {
            ...registered, client_name: values.client_name.trim(), scope: values.scope.trim(),
            redirect_uris: lines(values.redirect_uris), ...corsOrigins(values),
        });
        toast(t('common.saved'));
        redraw(updated);
    }, { test: 'client-edit' });
    return h('div', { class: 'grid-2' },
        card(t('common.edit'), editForm),
        card(t('clients.id'), h('dl', { class: 'facts' },
            h('dt', {}, t('clients.id')), h('dd', {}, code(client.client_id)),
            h('dt', {}, t('clients.type')), h('dd', {}, typeBadge(client)),
            h('dt', {}, t('clients.registration')), h('dd', {}, t(`clients.${client.registration}`)),
            h('dt', {}, t('clients.grants')), h('dd', {}, (client.grant_types || []).map((g) => badge(g, 'muted'))),
            h('dt', {}, t('clients.auth')), h('dd', {}, code(client.token_endpoint_auth_method)),
            h('dt', {}, t('common.created')), h('dd', {}, when(client.created_at)))));
}

function credentialsTab(client, redraw) {
    const parts = [h('div', { class: 'field' }, h('div', { class: 'label' }, t('clients.id')),
        h('div', { class: 'secret-row' }, h('code', { class: 'secret-value', 'data-test': 'credentials-client-id' }, client.client_id)))];
    if (client.client_type === 'public') {
        parts.push(notice(t('clients.secret.none'), 'info'));
    } else {
        if (oneTimeSecret && oneTimeSecret.clientId === client.client_id) {
            parts.push(secretBox(t('clients.secret'), oneTimeSecret.secret, 'client-secret'));
            oneTimeSecret = null;
        } else {
            parts.push(notice(t('clients.secret.hidden'), 'info', 'secret-hidden'));
        }
        parts.push(h('div', { class: 'form-actions' }, button(t('clients.regenerate'), () => attempt(async () => {
            if (await confirmAction(t('clients.regenerate.confirm'), t('clients.regenerate'))) {
                const result = await api('POST', `/clients/${encodeURIComponent(client.client_id)}/secret`);
                oneTimeSecret = { clientId: result.client_id, secret: result.client_secret };
                redraw(client);
            }
        }), { test: 'regenerate-secret' })));
    }
    return card(t('clients.tab.credentials'), parts);
}

/** What an admin decided about the client; message: shown after a save, on the redrawn page. */
function trustTab(client, redraw, message) {
    const path = `/clients/${encodeURIComponent(client.client_id)}/trust`;
    const selfRegistered = client.trust === 'self-registered';
    const save = async (body) => {
        const updated = await api('PUT', path, body);
        toast(t('common.saved'));
        redraw(updated, t('clients.trust.saved'));
    };
    const grants = checkboxes('approved_grant_types', t('clients.trust.grants'), grantOptions(), {
        value: client.approved_grant_types || [], hint: t('clients.trust.grants.hint'), test: 'trust-grant',
    });
    const scope = field('approved_scope', t('clients.trust.scope'), {
        value: client.approved_scope || '', hint: t('clients.trust.scope.hint'), placeholder: 'system/Patient.rs', validate: [rules.scopes],
    });
    const subjects = field('jwt_bearer_subjects', t('clients.trust.subjects'), {
        value: (client.jwt_bearer_subjects || []).join(' '), hint: t('clients.trust.subjects.hint'), placeholder: 'nurse.smith role:clinician',
        validate: [subjectsRule],
    });
    const resourceServer = field('resource_server', t('clients.trust.resourceServer'), {
        kind: 'checkbox', value: client.resource_server, hint: t('clients.trust.resourceServer.hint'), test: 'trust-resource-server',
    });
    // Approval beyond the registration policy means something only for a self-registered client.
    const trustForm = form(selfRegistered ? [grants, scope, subjects, resourceServer] : [subjects, resourceServer], (v) => save({
        ...(selfRegistered ? { approved_grant_types: v.approved_grant_types, approved_scope: words(v.approved_scope).join(' ') } : {}),
        jwt_bearer_subjects: entries(v.jwt_bearer_subjects), resource_server: v.resource_server,
    }), { test: 'trust-form' });
    const level = trustLevel(client);
    const parts = [
        message ? notice(message, 'success', 'trust-saved') : null,
        h('dl', { class: 'facts' },
            h('dt', {}, t('clients.trust.level')),
            h('dd', { 'data-test': 'trust-level', 'data-level': level }, badge(t(`clients.trust.${level}`), TRUST_TONE[level])),
            selfRegistered ? [
                h('dt', {}, t('clients.trust.registeredGrants')),
                h('dd', { 'data-test': 'trust-registered-grants' }, (client.grant_types || []).map((g) => badge(g, 'muted'))),
                h('dt', {}, t('clients.trust.registeredScope')),
                h('dd', { 'data-test': 'trust-registered-scope' }, words(client.scope).map((s) => badge(s, 'muted'))),
            ] : null),
        notice(t(selfRegistered ? 'clients.trust.policy' : 'clients.trust.adminCreated'), 'info', 'trust-policy'),
    ];
    if (selfRegistered) {
        parts.push(h('div', { class: 'form-actions' }, button(t('clients.trust.approveRegistered'), () => attempt(() => save({
            approved_grant_types: client.grant_types || [], approved_scope: words(client.scope).join(' '),
        })), { kind: 'primary', test: 'trust-approve-registered' })));
    }
    parts.push(h('h3', { class: 'subhead' }, t('clients.trust.decisions')), h('div', { class: 'form-grid' }, trustForm));
    const el = card(t('clients.tab.trust'), parts);
    el.setAttribute('data-test', 'client-trust-card');
    return el;
}

const TABS = { details: detailsTab, credentials: credentialsTab, trust: trustTab };

export async function renderDetail(id, tab) {
    const root = h('div', { class: 'page', 'data-test': 'page-client-detail' });
    const path = `/clients/${encodeURIComponent(id)}`;
    const draw = (client, message) => {
        const toggle = client.enabled
            ? button(t('common.disable'), () => attempt(async () => draw(await api('POST', `${path}/disable`))), { test: 'client-disable' })
            : button(t('common.enable'), () => attempt(async () => draw(await api('POST', `${path}/enable`))), { test: 'client-enable' });
        const remove = button(t('common.delete'), () => attempt(async () => {
            if (await confirmAction(t('clients.delete.confirm', { name: client.client_name || client.client_id }), t('common.delete'))) {
                await api('DELETE', path);
                toast(t('common.saved'));
                window.location.hash = '#/clients';
            }
        }), { kind: 'danger', test: 'client-delete' });
        const tabs = h('nav', { class: 'tabs' }, Object.keys(TABS).map((name) => h('a', {
            class: `tab${name === tab ? ' active' : ''}`, href: `#/clients/${encodeURIComponent(id)}/${name}`, 'data-test': `tab-${name}`,
        }, t(`clients.tab.${name}`))));
        root.replaceChildren(
            pageHeader(client.client_name || client.client_id, null,
                h('span', { class: 'header-badges' }, typeBadge(client), trustBadge(client), enabledBadge(client.enabled)), toggle, remove),
            tabs,
            TABS[tab](client, draw, message));
    };
    draw(await api('GET', path));
    return root;
}
