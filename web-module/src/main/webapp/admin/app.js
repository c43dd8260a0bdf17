// The console's shell: sign-in, the left navigation, the language switch and hash routing.

import { api, completeSignIn, idClaims, signIn, signOut } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { h, notice } from './ui.js';
import * as overview from './pages/overview.js';
import * as settings from './pages/settings.js';
import * as clients from './pages/clients.js';
import * as users from './pages/users.js';
import * as scopes from './pages/scopes.js';
import * as keys from './pages/keys.js';
import * as issuers from './pages/issuers.js';
import * as tokens from './pages/tokens.js';
import * as audit from './pages/audit.js';
import * as iat from './pages/initial-access-tokens.js';
import * as apikeys from './pages/api-keys.js';
import * as packages from './pages/packages.js';
import * as launch from './pages/launch.js';
import * as bulk from './pages/bulk.js';

const NAV = [
    [null, [['overview', '#/', 'nav.overview', 'M3 12l9-8 9 8M5 10v10h14V10']]],
    ['nav.group.identity', [
        ['clients', '#/clients', 'nav.clients', 'M4 5h16v10H4zM8 19h8M12 15v4'],
        ['users', '#/users', 'nav.users', 'M12 12a4 4 0 100-8 4 4 0 000 8zM4 20c1-4 4-6 8-6s7 2 8 6'],
        ['scopes', '#/scopes', 'nav.scopes', 'M4 6h16M4 12h16M4 18h10'],
        ['tokens', '#/tokens', 'nav.tokens', 'M7 14a4 4 0 110-8 4 4 0 010 8zM11 10h10M17 10v4M20 10v3'],
    ]],
    ['nav.group.security', [
        ['keys', '#/keys', 'nav.keys', 'M15 7a4 4 0 11-3.9 5H4v3h3v3h3v-3h1.1A4 4 0 0115 7z'],
        ['issuers', '#/issuers', 'nav.issuers', 'M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7z'],
        ['iat', '#/initial-access-tokens', 'nav.iat', 'M5 11h14v9H5zM8 11V7a4 4 0 018 0v4'],
        ['packages', '#/packages', 'nav.packages', 'M4 7l8-4 8 4v10l-8 4-8-4zM4 7l8 4 8-4M12 11v10'],
        ['apikeys', '#/api-keys', 'nav.apikeys', 'M15 7a4 4 0 11-3.9 4.9L4 19v-3h3v-3h3l1.1-1.1A4 4 0 0115 7z'],
    ]],
    ['nav.group.ops', [
        ['launch', '#/launch', 'nav.launch', 'M6 4l13 8-13 8z'],
        ['bulk-exports', '#/bulk/exports', 'nav.bulkExports', 'M12 3v12M7 10l5 5 5-5M4 19h16'],
        ['bulk-imports', '#/bulk/imports', 'nav.bulkImports', 'M12 15V3M7 8l5-5 5 5M4 19h16'],
        ['audit', '#/audit', 'nav.audit', 'M6 3h9l4 4v14H6zM9 12h7M9 16h7M9 8h3'],
        ['settings', '#/settings', 'nav.settings', 'M12 15a3 3 0 100-6 3 3 0 000 6zM19 12l2-1-2-4-2 1-2-2V4h-4v2l-2 2-2-1-2 4 2 1v0l-2 1 2 4 2-1 2 2v2h4v-2l2-2 2 1 2-4z'],
    ]],
];

/** Route patterns to page modules; the first match wins. */
const ROUTES = [
    [/^\/?$/, 'overview', () => overview.render()],
    [/^\/settings$/, 'settings', () => settings.render()],
    [/^\/clients$/, 'clients', () => clients.renderList()],
    [/^\/clients\/new$/, 'clients', () => clients.renderCreate()],
    [/^\/clients\/([^/]+)(?:\/(details|credentials|trust))?$/, 'clients', (m) => clients.renderDetail(decodeURIComponent(m[1]), m[2] || 'details')],
    [/^\/users$/, 'users', () => users.renderList()],
    [/^\/users\/new$/, 'users', () => users.renderCreate()],
    [/^\/users\/([^/]+)$/, 'users', (m) => users.renderDetail(decodeURIComponent(m[1]))],
    [/^\/scopes$/, 'scopes', () => scopes.render()],
    [/^\/keys$/, 'keys', () => keys.render()],
    [/^\/issuers$/, 'issuers', () => issuers.render()],
    [/^\/tokens$/, 'tokens', (m, q) => tokens.render(q)],
    [/^\/audit$/, 'audit', (m, q) => audit.render(q)],
    [/^\/initial-access-tokens$/, 'iat', () => iat.render()],
    [/^\/api-keys$/, 'apikeys', () => apikeys.render()],
    [/^\/packages$/, 'packages', () => packages.render()],
    [/^\/launch$/, 'launch', () => launch.render()],
    [/^\/bulk\/exports$/, 'bulk-exports', () => bulk.renderExports()],
    [/^\/bulk\/imports$/, 'bulk-imports', () => bulk.renderImports()],
];

const main = h('main', { class: 'content', id: 'main', 'data-test': 'content' });
let navLinks = {};

function icon(path) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'nav-icon');
    svg.setAttribute('aria-hidden', 'true');
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', path);
    svg.append(p);
    return svg;
}

function sidebar() {
    navLinks = {};
    const groups = NAV.map(([group, items]) => h('div', { class: 'nav-group' },
        group ? h('div', { class: 'nav-group-title' }, t(group)) : null,
        items.map(([id, href, label, path]) => {
            navLinks[id] = h('a', { class: 'nav-link', href, 'data-test': `nav-${id}` }, icon(path), h('span', {}, t(label)));
            return navLinks[id];
        })));
    const switcher = h('select', { class: 'lang-select', 'data-test': 'lang-switch', 'aria-label': t('language'),
        onchange: (e) => { setLang(e.target.value); renderShell(); } },
        h('option', { value: 'en', selected: lang() === 'en' }, 'English'),
        h('option', { value: 'ja', selected: lang() === 'ja' }, '日本語'));
    // The ID token carries the user's id; the username comes from the admin API.
    const claims = idClaims();
    const user = h('div', { class: 'signed-in', 'data-test': 'signed-in-user' }, claims.preferred_username || '');
    if (!claims.preferred_username && claims.sub) {
        api('GET', `/users/${encodeURIComponent(claims.sub)}`).then((u) => { user.textContent = u.username; }).catch(() => {});
    }
    return h('aside', { class: 'sidebar' },
        h('div', { class: 'brand' },
            h('div', { class: 'brand-mark', 'aria-hidden': 'true' }, 'B'),
            h('div', {}, h('div', { class: 'brand-name', 'data-test': 'brand' }, 'Bastion'), h('div', { class: 'brand-sub' }, t('app.subtitle')))),
        h('nav', { class: 'nav' }, groups),
        h('div', { class: 'sidebar-foot' },
            user,
            h('label', { class: 'lang-label' }, h('span', {}, t('language')), switcher),
            h('button', { class: 'btn btn-ghost btn-block', type: 'button', 'data-test': 'sign-out', onclick: signOut }, t('signout'))));
}

function renderShell() {
    document.documentElement.lang = lang();
    document.title = `Bastion — ${t('app.subtitle')}`;
    document.body.replaceChildren(h('div', { class: 'layout' }, sidebar(), main));
    route();
}

let generation = 0;

async function route() {
    const hash = window.location.hash.replace(/^#/, '') || '/';
    const [path, queryString] = hash.split('?');
    const query = new URLSearchParams(queryString || '');
    const match = ROUTES.map(([re, nav, render]) => [re.exec(path), nav, render]).find(([m]) => m);
    const mine = ++generation;
    for (const [id, link] of Object.entries(navLinks)) {
        link.classList.toggle('active', Boolean(match) && id === match[1]);
    }
    main.replaceChildren(h('div', { class: 'loading' }, t('loading')));
    main.setAttribute('aria-busy', 'true');
    try {
        const content = match ? await match[2](match[0], query) : notice(`Not found: ${path}`, 'error');
        if (mine === generation) {
            main.replaceChildren(content);
        }
    } catch (error) {
        if (mine === generation) {
            main.replaceChildren(notice(t('error.generic', { msg: error.message }), 'error', 'page-error'));
        }
    } finally {
        if (mine === generation) {
            main.removeAttribute('aria-busy');
            main.setAttribute('data-route', path);
        }
    }
}

async function start() {
    setLang(lang());
    document.body.replaceChildren(h('div', { class: 'splash' }, h('div', { class: 'brand-mark' }, 'B'), t('signing.in')));
    try {
        if (!(await completeSignIn())) {
            await signIn();
            return;
        }
    } catch (error) {
        document.body.replaceChildren(h('div', { class: 'splash' },
            notice(error.message, 'error', 'signin-error'),
            h('button', { class: 'btn btn-primary', type: 'button', onclick: () => signIn() }, 'Sign in')));
        return;
    }
    window.addEventListener('hashchange', route);
    renderShell();
}

start();
