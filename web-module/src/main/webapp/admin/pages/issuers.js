// External identity providers: register by discovery URL, list, remove, and check whether a
// given token would be accepted.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, badge, button, card, code, confirmAction, enabledBadge, field, form, h, notice, pageHeader, rules, table, toast,
} from '../ui.js';

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-issuers' });
    const list = h('div', {});
    const registered = h('div', { 'data-test': 'issuer-registered' });
    const load = async () => {
        const issuers = await api('GET', '/issuers');
        list.replaceChildren(table([
            [t('issuers.issuer'), (i) => h('div', {}, code(i.issuer), h('div', { class: 'hint' }, i.discovery_url))],
            [t('issuers.audience'), (i) => i.audience || '—'],
            [t('issuers.userClaim'), (i) => code(i.user_claim)],
            [t('issuers.patientClaim'), (i) => code(i.patient_claim)],
            [t('common.status'), (i) => enabledBadge(i.enabled)],
            [t('common.created'), (i) => when(i.created_at)],
            [t('common.actions'), (i) => button(t('common.remove'), () => attempt(async () => {
                if (await confirmAction(t('issuers.remove.confirm', { issuer: i.issuer }), t('common.remove'))) {
                    await api('DELETE', '/issuers', undefined, { issuer: i.issuer });
                    toast(t('common.saved'));
                    await load();
                }
            }), { kind: 'danger-ghost', test: 'issuer-remove' })],
        ], issuers, 'issuers-table'));
    };
    const fields = [
        field('discovery_url', t('issuers.discovery'), { hint: t('issuers.discovery.hint'), validate: [rules.required, rules.url] }),
        field('audience', t('issuers.audience')),
        field('user_claim', t('issuers.userClaim'), { placeholder: 'fhirUser' }),
        field('patient_claim', t('issuers.patientClaim'), { placeholder: 'patient' }),
    ];
    const registerForm = form(fields, async (v) => {
        const body = Object.fromEntries(Object.entries(v).map(([k, value]) => [k, value.trim() || undefined]));
        const issuer = await api('POST', '/issuers', body);
        for (const f of fields) {
            f.input.value = '';
        }
        registered.replaceChildren(notice(t('issuers.registered', { issuer: issuer.issuer }), 'success'),
            h('h3', { class: 'subhead' }, t('issuers.keys')),
            table([['kid', (k) => code(k.kid)], ['kty', (k) => k.kty], ['alg', (k) => (k.alg ? badge(k.alg, 'info') : '—')]], issuer.keys, 'issuer-keys'));
        await load();
    }, { submitLabel: t('issuers.register'), test: 'issuer-form' });

    const token = field('token', t('issuers.token'), { kind: 'textarea', validate: [rules.required] });
    const verdict = h('div', { 'data-test': 'token-test-result' });
    const testForm = form([token], async (v) => {
        const result = await api('POST', '/issuers/test', { token: v.token.trim() });
        verdict.replaceChildren(result.accepted
            ? h('div', { class: 'verdict verdict-ok' }, badge(t('issuers.accepted'), 'success'), h('dl', { class: 'facts' },
                h('dt', {}, t('issuers.issuer')), h('dd', {}, code(result.issuer)),
                h('dt', {}, t('issuers.subject')), h('dd', {}, code(result.subject)),
                h('dt', {}, t('issuers.scopes')), h('dd', {}, (result.scopes || []).map((s) => badge(s, 'muted'))),
                result.fhirUser ? [h('dt', {}, 'fhirUser'), h('dd', {}, code(result.fhirUser))] : null,
                result.patient ? [h('dt', {}, 'patient'), h('dd', {}, code(result.patient))] : null))
            : h('div', { class: 'verdict verdict-bad' }, badge(t('issuers.rejected'), 'danger'), h('p', {}, result.reason)));
    }, { submitLabel: t('issuers.check'), test: 'token-test' });

    await load();
    root.append(pageHeader(t('issuers.title'), t('issuers.lead')),
        h('div', { class: 'grid-2' }, card(t('issuers.register'), registerForm, registered), card(t('issuers.test'), testForm, verdict)),
        card(null, list));
    return root;
}
