// Users: list and search, create, edit the profile and the patients a user may reach, reset the
// password, disable, delete, and withdraw the consents a user gave to clients.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, onTyping, badge, button, card, code, confirmAction, enabledBadge, entries, field, form, h, pageHeader, pager, rules, table,
    toast,
} from '../ui.js';

const PAGE_SIZE = 20;
const FHIR_USER = /^(Patient|Practitioner|PractitionerRole|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/;
const ROLE = /^[a-z0-9_-]+$/;
/** FHIR R4 id (datatypes.html#id), as the server checks it. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const REACH_TONE = { 'own-record': 'info', 'linked-patients': 'info', 'all-patients': 'accent', 'listed-patients': 'info', nothing: 'muted' };

function rolesRule(v) {
    return String(v || '').split(',').map((r) => r.trim()).filter(Boolean).find((r) => !ROLE.test(r)) ? t('valid.role') : null;
}

function roles(value) {
    return String(value || '').split(',').map((r) => r.trim()).filter(Boolean);
}

function reachBadge(reach) {
    return reach ? badge(t(`users.reach.${reach}`), REACH_TONE[reach] || 'muted') : '—';
}

function patientsRule(v) {
    const wrong = entries(v).find((id) => !FHIR_ID.test(id));
    return wrong ? t('valid.fhirIds', { value: wrong }) : null;
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
                [t('users.reach'), (u) => reachBadge(u.reach)],
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
        card(null, h('div', { class: 'toolbar' }, search), results),
        await throttlesCard());
    return root;
}

/** Account names and addresses that failed to sign in lately, whether they must wait, and lifting a wait. */
async function throttlesCard() {
    const body = h('div', { 'data-test': 'throttles' });
    const load = async () => {
        const throttles = await api('GET', '/sign-in-throttles');
        body.replaceChildren(throttles.length === 0 ? h('p', { class: 'muted', 'data-test': 'throttles-none' }, t('users.throttles.none')) : table([
            [t('users.throttles.key'), (e) => code(e.key)],
            [t('users.throttles.failures'), (e) => String(e.failures)],
            [t('users.throttles.last'), (e) => when(e.last_failure)],
            [t('common.status'), (e) => (e.waiting ? badge(t('users.throttles.waiting', { until: when(e.blocked_until) }), 'danger') : badge(t('users.throttles.counting'), 'muted'))],
            [t('common.actions'), (e) => button(t('users.throttles.lift'), () => attempt(async () => {
                await api('DELETE', '/sign-in-throttles', undefined, { key: e.key });
                toast(t('users.throttles.lifted', { key: e.key }));
                await load();
            }), { kind: 'ghost', test: 'lift-throttle' })],
        ], throttles, 'throttles-table'));
    };
    await load();
    return card(t('users.throttles'), h('p', { class: 'muted' }, t('users.throttles.lead')), body);
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

/** Which patients the user reaches, and the patients an admin grants besides their fhirUser. */
function reachCard(user, path, redraw) {
    const allPatients = field('all_patients', t('users.reach.all'), {
        kind: 'checkbox', value: user.all_patients, hint: t('users.reach.all.hint'), test: 'reach-all-patients',
    });
    const patients = field('patients', t('users.reach.patients'), {
        value: (user.patients || []).join(' '), hint: t('users.reach.patients.hint'), placeholder: '123 456', validate: [patientsRule],
    });
    const reachForm = form([allPatients, patients], async (v) => {
        const updated = await api('PUT', path, { all_patients: v.all_patients, patients: entries(v.patients) });
        toast(t('common.saved'));
        await redraw(updated);
    }, { test: 'reach-form' });
    const reach = user.reach || 'nothing';
    const el = card(t('users.reach'),
        h('dl', { class: 'facts' },
            h('dt', {}, t('users.reach.now')),
            h('dd', { 'data-test': 'user-reach-value', 'data-reach': reach }, reachBadge(reach),
                h('div', { class: 'hint' }, t(`users.reach.${reach}.hint`))),
            h('dt', {}, t('users.reach.listed')),
            h('dd', { 'data-test': 'user-reach-patients' }, (user.patients || []).length > 0 ? user.patients.map((p) => code(`Patient/${p}`)) : '—')),
        h('h3', { class: 'subhead' }, t('users.reach.grant')),
        reachForm);
    el.setAttribute('data-test', 'user-reach');
    return el;
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
            // Disabling or taking a role away ends the user's sessions and tokens at once.
            const removed = (user.roles || []).filter((r) => !roles(v.roles).includes(r));
            if (user.enabled && !v.enabled && !(await confirmAction(t('users.disable.confirm', { name: user.username }), t('common.disable')))) {
                return;
            }
            if (v.enabled && removed.length > 0
                && !(await confirmAction(t('users.roles.confirm', { name: user.username, roles: removed.join(', ') }), t('common.save')))) {
                return;
            }
            const updated = await api('PUT', path, { fhirUser: v.fhirUser.trim() || null, roles: roles(v.roles), locale: v.locale || null, enabled: v.enabled });
            toast(t('common.saved'));
            await draw(updated);
        }, { test: 'user-edit' });
        const password = field('password', t('users.newPassword'), { kind: 'password', autocomplete: 'new-password', validate: [rules.required, rules.minLength(8)] });
        const passwordForm = form([password], async (v) => {
            if (!(await confirmAction(t('users.reset.confirm', { name: user.username }), t('users.reset')))) {
                return;
            }
            await api('POST', `${path}/password`, { password: v.password });
            password.input.value = '';
            toast(t('users.passwordChanged'));
        }, { submitLabel: t('users.reset'), test: 'password-form' });
        const toggle = button(user.enabled ? t('common.disable') : t('common.enable'), () => attempt(async () => {
            if (user.enabled && !(await confirmAction(t('users.disable.confirm', { name: user.username }), t('common.disable')))) {
                return;
            }
            await draw(await api('PUT', path, { fhirUser: user.fhirUser ?? null, roles: user.roles || [], locale: user.locale ?? null, enabled: !user.enabled }));
        }), { test: user.enabled ? 'user-disable' : 'user-enable' });
        const remove = button(t('users.delete'), () => attempt(async () => {
            if (await confirmAction(t('users.delete.confirm', { name: user.username }), t('users.delete'))) {
                await api('DELETE', path);
                toast(t('users.deleted', { name: user.username }));
                window.location.hash = '#/users';
            }
        }), { kind: 'danger', test: 'user-delete' });
        root.replaceChildren(
            pageHeader(user.username, user.fhirUser || null, h('span', { class: 'header-badges' }, enabledBadge(user.enabled)), toggle, remove),
            h('div', { class: 'grid-2' }, card(t('users.edit.title'), profileForm), card(t('users.reset'), passwordForm)),
            reachCard(user, path, draw),
            await consentsCard(user));
    };
    await draw(await api('GET', path));
    return root;
}
