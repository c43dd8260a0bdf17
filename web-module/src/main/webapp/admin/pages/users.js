// Users: list and search, create, edit the profile, reset the password, disable, and withdraw
// the consents a user gave to clients.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, onTyping, badge, button, card, code, confirmAction, enabledBadge, field, form, h, pageHeader, pager, rules, table, toast,
} from '../ui.js';

const PAGE_SIZE = 20;
const FHIR_USER = /^(Patient|Practitioner|PractitionerRole|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/;
const ROLE = /^[a-z0-9_-]+$/;

function rolesRule(v) {
    return String(v || '').split(',').map((r) => r.trim()).filter(Boolean).find((r) => !ROLE.test(r)) ? t('valid.role') : null;
}

function roles(value) {
    return String(value || '').split(',').map((r) => r.trim()).filter(Boolean);
}

function localeOptions() {
    return [['', '—'], ['en', 'English'], ['ja', '日本語']];
}

export async function renderList() {
    const root = h('div', { class: 'page', 'data-test': 'page-users' });
    const results = h('div', {});
    const search = h('input', { type: 'search', class: 'search', placeholder: t('users.search'), 'data-test': 'users-search' });
    let offset = 0;
    const load = async () => {
        const users = await api('GET', '/users', undefined, { q: search.value.trim(), _count: PAGE_SIZE, _offset: offset });
        results.replaceChildren(
            table([
                [t('users.username'), (u) => h('a', { href: `#/users/${encodeURIComponent(u.id)}`, class: 'strong', 'data-test': 'user-link' }, u.username)],
                [t('users.fhirUser'), (u) => (u.fhirUser ? code(u.fhirUser) : '—')],
                [t('users.roles'), (u) => (u.roles || []).map((r) => badge(r, r === 'admin' ? 'accent' : 'muted'))],
                [t('users.locale'), (u) => u.locale || '—'],
                [t('common.status'), (u) => enabledBadge(u.enabled)],
                [t('common.created'), (u) => when(u.created_at)],
            ], users, 'users-table'),
            pager({ offset, count: PAGE_SIZE, shown: users.length, onPage: (o) => { offset = o; attempt(load); } }));
    };
    onTyping(search, () => { offset = 0; attempt(load); });
    await load();
    root.append(
        pageHeader(t('users.title'), t('users.lead'), h('a', { class: 'btn btn-primary', href: '#/users/new', 'data-test': 'new-user' }, t('users.new'))),
        card(null, h('div', { class: 'toolbar' }, search), results));
    return root;
}

export async function renderCreate() {
    const fields = [
        field('username', t('users.username'), { validate: [rules.required, rules.pattern(/^[A-Za-z0-9._@-]{1,255}$/, 'valid.username')] }),
        field('password', t('users.password'), { kind: 'password', autocomplete: 'new-password', validate: [rules.required, rules.minLength(8)] }),
        field('fhirUser', t('users.fhirUser'), { hint: t('users.fhirUser.hint'), placeholder: 'Practitioner/123', validate: [rules.pattern(FHIR_USER, 'valid.fhirUser')] }),
        field('roles', t('users.roles'), { hint: t('users.roles.hint'), validate: [rolesRule] }),
        field('locale', t('users.locale'), { kind: 'select', options: localeOptions() }),
    ];
    const createForm = form(fields, async (v) => {
        const user = await api('POST', '/users', {
            username: v.username.trim(), password: v.password, fhirUser: v.fhirUser.trim() || undefined,
            roles: roles(v.roles), locale: v.locale || undefined,
        });
        toast(t('common.saved'));
        window.location.hash = `#/users/${encodeURIComponent(user.id)}`;
    }, { submitLabel: t('common.create'), test: 'user-form' });
    return h('div', { class: 'page', 'data-test': 'page-user-new' },
        pageHeader(t('users.create.title'), null, h('a', { class: 'btn btn-ghost', href: '#/users' }, t('common.back'))),
        card(null, h('div', { class: 'form-grid' }, createForm)));
}

async function consentsCard(user) {
    const body = h('div', {});
    const load = async () => {
        const consents = await api('GET', '/consents', undefined, { user: user.id });
        body.replaceChildren(table([
            [t('audit.client'), (c) => code(c.client_id)],
            [t('clients.scope'), (c) => (c.scope || '').split(' ').filter(Boolean).map((s) => badge(s, 'muted'))],
            [t('users.grantedAt'), (c) => when(c.granted_at)],
            [t('common.actions'), (c) => button(t('users.withdraw'), () => attempt(async () => {
                if (await confirmAction(t('users.withdraw.confirm', { client: c.client_id }), t('users.withdraw'))) {
                    await api('DELETE', `/consents/${encodeURIComponent(user.id)}/${encodeURIComponent(c.client_id)}`);
                    toast(t('common.saved'));
                    await load();
                }
            }), { kind: 'danger-ghost', test: 'withdraw-consent' })],
        ], consents, 'consents-table'));
    };
    await load();
    return card(t('users.consents'), body);
}

export async function renderDetail(id) {
    const root = h('div', { class: 'page', 'data-test': 'page-user-detail' });
    const path = `/users/${encodeURIComponent(id)}`;
    const draw = async (user) => {
        const profile = [
            field('fhirUser', t('users.fhirUser'), { value: user.fhirUser || '', hint: t('users.fhirUser.hint'), validate: [rules.pattern(FHIR_USER, 'valid.fhirUser')] }),
            field('roles', t('users.roles'), { value: (user.roles || []).join(', '), hint: t('users.roles.hint'), validate: [rolesRule] }),
            field('locale', t('users.locale'), { kind: 'select', value: user.locale || '', options: localeOptions() }),
            field('enabled', t('common.enabled'), { kind: 'checkbox', value: user.enabled }),
        ];
        const profileForm = form(profile, async (v) => {
            const updated = await api('PUT', path, { fhirUser: v.fhirUser.trim() || null, roles: roles(v.roles), locale: v.locale || null, enabled: v.enabled });
            toast(t('common.saved'));
            await draw(updated);
        }, { test: 'user-edit' });
        const password = field('password', t('users.newPassword'), { kind: 'password', autocomplete: 'new-password', validate: [rules.required, rules.minLength(8)] });
        const passwordForm = form([password], async (v) => {
            await api('POST', `${path}/password`, { password: v.password });
            password.input.value = '';
            toast(t('users.passwordChanged'));
        }, { submitLabel: t('users.reset'), test: 'password-form' });
        const toggle = button(user.enabled ? t('common.disable') : t('common.enable'), () => attempt(async () => {
            await draw(await api('PUT', path, { fhirUser: user.fhirUser ?? null, roles: user.roles || [], locale: user.locale ?? null, enabled: !user.enabled }));
        }), { test: user.enabled ? 'user-disable' : 'user-enable' });
        root.replaceChildren(
            pageHeader(user.username, user.fhirUser || null, h('span', { class: 'header-badges' }, enabledBadge(user.enabled)), toggle),
            h('div', { class: 'grid-2' }, card(t('users.edit.title'), profileForm), card(t('users.reset'), passwordForm)),
            await consentsCard(user));
    };
    await draw(await api('GET', path));
    return root;
}
