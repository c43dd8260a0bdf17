// Launch an app as an EHR would (SMART App Launch 2 §2.0.4): a launch handle for a patient, given to
// the app's launch URL with this server's FHIR base as iss. The handle is for one app (client) and
// one user, lives five minutes and is good for one launch.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { button, card, code, field, form, h, pageHeader, rules } from '../ui.js';

const DEFAULT_APP = '/apps/patient-browser/launch.html';
const DEFAULT_CLIENT = 'patient-browser';
const USERNAME = /^[A-Za-z0-9._@-]{1,255}$/;
/** FHIR R4 id (datatypes.html#id), as the server checks it. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The app's launch URL: absolute, or a path resolved against this server; http(s) only. */
function launchUrl(value) {
    try {
        const url = new URL(String(value).trim(), window.location.origin);
        return ['http:', 'https:'].includes(url.protocol) ? url : null;
    } catch {
        return null;
    }
}

/** Copies the URL; where the clipboard is not available, selects it for the user to copy. */
function copyButton(valueEl) {
    const copy = button(t('common.copy'), async () => {
        try {
            await navigator.clipboard.writeText(valueEl.textContent);
        } catch {
            const range = document.createRange();
            range.selectNodeContents(valueEl);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
            if (!document.execCommand('copy')) {
                return;
            }
        }
        copy.textContent = t('common.copied');
    }, { test: 'launch-copy' });
    return copy;
}

function launched(href, launch, clientId, username) {
    const url = h('code', { class: 'mono', 'data-test': 'launch-url' }, href);
    return card(t('launch.ready'), h('dl', { class: 'facts' },
        h('dt', {}, t('launch.url')),
        h('dd', {}, url, copyButton(url),
            h('a', { class: 'btn btn-primary', href, target: '_blank', rel: 'noopener', 'data-test': 'launch-open' }, t('launch.open'))),
        h('dt', {}, t('launch.patientLabel')),
        h('dd', {}, code(`Patient/${launch.patient}`)),
        h('dt', {}, t('launch.clientLabel')),
        h('dd', { 'data-test': 'launch-client' }, code(launch.client_id || clientId)),
        h('dt', {}, t('launch.userLabel')),
        h('dd', { 'data-test': 'launch-user' }, launch.username || username || t('launch.you')),
        h('dt', {}, t('launch.expires')),
        h('dd', { 'data-test': 'launch-expires' }, when(launch.expires_at))),
    h('p', { class: 'hint', 'data-test': 'launch-once' }, t('launch.once')));
}

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-launch' });
    const result = h('div', { 'data-test': 'launch-result' });
    const patient = field('patient', t('launch.patient'), {
        hint: t('launch.patient.hint'), placeholder: '123', validate: [rules.required, rules.pattern(FHIR_ID, 'valid.fhirId')],
    });
    const app = field('app', t('launch.app'), {
        value: DEFAULT_APP, hint: t('launch.app.hint'), validate: [rules.required, (v) => (launchUrl(v) ? null : t('valid.launchUrl'))],
    });
    const client = field('client_id', t('launch.client'), { value: DEFAULT_CLIENT, hint: t('launch.client.hint'), validate: [rules.required] });
    const user = field('username', t('launch.username'), {
        hint: t('launch.username.hint'), validate: [rules.pattern(USERNAME, 'valid.username')],
    });
    const launchForm = form([patient, app, client, user], async (v) => {
        result.replaceChildren();
        const username = v.username.trim();
        const launch = await api('POST', '/launches', {
            patient: v.patient.trim(), client_id: v.client_id.trim(), ...(username ? { username } : {}),
        });
        const url = launchUrl(v.app);
        url.searchParams.set('iss', `${window.location.origin}/fhir/r4`);
        url.searchParams.set('launch', launch.launch);
        result.replaceChildren(launched(url.href, launch, v.client_id.trim(), username));
    }, { submitLabel: t('launch.submit'), test: 'launch-form' });
    root.append(pageHeader(t('launch.title'), t('launch.lead')), card(null, h('div', { class: 'form-grid' }, launchForm)), result);
    return root;
}
