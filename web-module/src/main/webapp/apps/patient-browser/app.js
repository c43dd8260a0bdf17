// The app's shell: the sign-in and signed-out screens, the header bar, and hash routing between
// the patient list, a patient, and the session page.

import { fhirClient } from './fhir.js';
import { personName } from './format.js';
import * as patientPage from './patient.js';
import * as patientsPage from './patients.js';
import * as sessionPage from './session.js';
import {
    appUrl, authorize, completeAuthorization, contextPatient, currentSession, loadSettings, referenceParts,
    refresh, rememberServer, signedInUser, signOut, takeSignedOut,
} from './smart.js';
import { errorBox, h, loading } from './ui.js';

const APP_NAME = 'Patient Browser';

/** A session confined to one patient opens on that patient instead of the list. */
const home = (ctx, m, query) => (ctx.patientId ? patientPage.render(ctx, ctx.patientId) : patientsPage.render(ctx, query));

const ROUTES = [
    [/^\/?$/, home],
    [/^\/patients$/, home],
    [/^\/patients\/([^/]+)$/, (ctx, m) => patientPage.render(ctx, decodeURIComponent(m[1]))],
    [/^\/session$/, (ctx) => sessionPage.render(ctx)],
];

function brandMark() {
    return h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '+');
}

/** The screen before sign-in: what the app is, which server it will use, and the way in. */
function welcome(settings, { signedOut = false, error = null } = {}) {
    const problem = h('div', {}, error ? errorBox(error) : null);
    const button = h('button', { class: 'btn btn-primary btn-lg', type: 'button', 'data-testid': 'sign-in' }, signedOut || error ? 'Sign in again' : 'Sign in');
    button.addEventListener('click', async () => {
        button.disabled = true;
        problem.replaceChildren();
        try {
            await authorize({ iss: settings.iss, clientId: settings.clientId, scope: settings.scope });
        } catch (failure) {
            problem.replaceChildren(errorBox(failure));
            button.disabled = false;
        }
    });
    document.title = APP_NAME;
    document.body.replaceChildren(h('div', { class: 'welcome' },
        h('section', { class: 'welcome-card', 'data-testid': signedOut ? 'signed-out-screen' : 'sign-in-screen' },
            h('div', { class: 'welcome-brand' }, brandMark(), h('span', { class: 'welcome-name' }, APP_NAME)),
            signedOut
                ? h('h1', { class: 'welcome-title', 'data-testid': 'signed-out' }, 'You are signed out')
                : h('h1', { class: 'welcome-title' }, 'Sign in to see your patients'),
            h('p', { class: 'lead' }, signedOut
                ? 'Patient Browser no longer holds any of your tokens in this browser tab.'
                : 'Patients, observations and vital-sign trends from a SMART on FHIR server.'),
            problem,
            h('dl', { class: 'facts facts-compact' },
                h('dt', {}, 'FHIR server'), h('dd', { class: 'mono break', 'data-testid': 'fhir-server' }, settings.iss),
                h('dt', {}, 'Client'), h('dd', { class: 'mono break', 'data-testid': 'client-id' }, settings.clientId)),
            button,
            h('p', { class: 'hint' }, 'You sign in on the server\'s own page; this app never sees your password.'))));
}

function fatal(error) {
    document.body.replaceChildren(h('div', { class: 'welcome' }, h('section', { class: 'welcome-card' },
        h('div', { class: 'welcome-brand' }, brandMark(), h('span', { class: 'welcome-name' }, APP_NAME)), errorBox(error))));
}

function shell(session, settings) {
    let current = session;
    const main = h('main', { class: 'main', id: 'main', 'data-testid': 'main' });
    const ctx = {
        get session() {
            return current;
        },
        patientId: contextPatient(session),
        fhir: fhirClient(session.iss, {
            accessToken: () => current.tokens.access_token,
            renew: async () => {
                const renewed = await refresh(current);
                current = renewed || current;
                return renewed?.tokens.access_token || null;
            },
        }),
        navigate: (hash) => window.location.assign(hash),
        signIn: () => authorize({ iss: current.iss, clientId: current.clientId, scope: settings.scope }).catch((e) => main.replaceChildren(errorBox(e))),
        error: (error) => errorBox(error, ctx.signIn),
    };

    const user = signedInUser(session);
    const userName = h('span', { class: 'user-name', 'data-testid': 'signed-in-user' }, user.name || user.username || user.subject || 'Signed in');
    const fhirUser = referenceParts(user.fhirUser);
    if (fhirUser && !user.name) {
        // A person's own resource names them better than a username; failing that, the username stays.
        ctx.fhir.read(fhirUser.type, fhirUser.id).then((resource) => { userName.textContent = personName(resource); }).catch(() => {});
    }
    const logout = h('button', { class: 'btn btn-header', type: 'button', 'data-testid': 'logout' }, 'Sign out');
    logout.addEventListener('click', async () => {
        logout.disabled = true;
        window.removeEventListener('hashchange', route);
        if (!(await signOut())) {
            welcome(settings, { signedOut: takeSignedOut() });
        }
    });
    const links = {
        patients: ctx.patientId ? null : h('a', { class: 'nav-link', href: '#/patients', 'data-testid': 'nav-patients' }, 'Patients'),
        patient: ctx.patientId ? h('a', { class: 'nav-link', href: '#/', 'data-testid': 'nav-patient' }, 'Patient') : null,
        session: h('a', { class: 'nav-link', href: '#/session', 'data-testid': 'nav-session' }, 'Session'),
    };
    document.body.replaceChildren(h('div', { class: 'app' },
        h('header', { class: 'topbar' },
            h('a', { class: 'brand', href: '#/' }, brandMark(), h('span', {}, APP_NAME)),
            h('nav', { class: 'nav', 'aria-label': 'Main' }, Object.values(links)),
            h('div', { class: 'topbar-right' },
                h('span', { class: 'server', title: 'FHIR server' }, new URL(session.iss).host),
                h('a', { class: 'user', href: '#/session', title: 'Session details' }, h('span', { class: 'user-icon', 'aria-hidden': 'true' }), userName),
                logout)),
        main));

    let generation = 0;
    async function route() {
        const [path, queryString] = (window.location.hash.replace(/^#/, '') || '/').split('?');
        const query = new URLSearchParams(queryString || '');
        const match = ROUTES.map(([pattern, render]) => [pattern.exec(path), render]).find(([m]) => m);
        const mine = ++generation;
        const active = path.startsWith('/session') ? 'session' : ctx.patientId ? 'patient' : 'patients';
        for (const [name, link] of Object.entries(links)) {
            link?.classList.toggle('active', name === active);
        }
        main.setAttribute('aria-busy', 'true');
        main.replaceChildren(loading());
        try {
            const content = match
                ? await match[1](ctx, match[0], query)
                : errorBox({ status: 404, message: `There is no page at #${path} in this app.` });
            if (mine === generation) {
                main.replaceChildren(content);
                window.scrollTo(0, 0);
            }
        } catch (error) {
            if (mine === generation) {
                main.replaceChildren(ctx.error(error));
            }
        } finally {
            if (mine === generation) {
                main.removeAttribute('aria-busy');
            }
        }
    }
    window.addEventListener('hashchange', route);
    route();
}

async function start() {
    const query = new URLSearchParams(window.location.search);
    // An EHR configured with the app's address rather than launch.html still launches it.
    if (query.has('launch') && query.has('iss')) {
        window.location.replace(`${appUrl()}launch.html${window.location.search}`);
        return;
    }
    if ((query.has('iss') || query.has('client_id')) && !query.has('code') && !query.has('error')) {
        rememberServer(query);
        window.history.replaceState(null, '', appUrl() + window.location.hash);
    }
    document.body.replaceChildren(h('div', { class: 'welcome' }, loading('Starting…')));
    let settings;
    try {
        settings = await loadSettings();
    } catch (error) {
        fatal(error);
        return;
    }
    let session;
    try {
        session = (await completeAuthorization()) || currentSession();
    } catch (error) {
        welcome(settings, { error });
        return;
    }
    if (session) {
        shell(session, settings);
    } else {
        welcome(settings, { signedOut: takeSignedOut() });
    }
}

start();
