// API keys (x-api-key) for system integrations that cannot obtain tokens: issue one for a client
// with some of its scopes (and optionally one patient, or an organization's patients), see each key's status and last use, revoke.
// The FHIR API accepts keys only while the setting api_keys is on; the page says so when it is off.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, badge, button, card, code, confirmAction, field, form, h, notice, pageHeader, rules, secretBox, table, toast, words,
} from '../ui.js';

const TONES = { active: 'success', expired: 'muted', revoked: 'danger' };

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-api-keys' });
    const list = h('div', {});
    const issued = h('div', {});
    const settings = await api('GET', '/settings');
    const off = settings.api_keys && settings.api_keys.value !== 'on'
        ? notice(t('apikeys.off'), 'info', 'api-keys-off') : null;
    const load = async () => {
        const keys = await api('GET', '/api-keys');
        list.replaceChildren(table([
            ['ID', (k) => code(k.id)],
            [t('apikeys.name'), (k) => k.name],
            [t('apikeys.client'), (k) => code(k.client_id)],
            [t('apikeys.scope'), (k) => words(k.scope).map((s) => badge(s, 'muted'))],
            [t('apikeys.patient'), (k) => k.patient || '—'],
            [t('apikeys.organization'), (k) => k.organization || '—'],
            [t('apikeys.status'), (k) => badge(t(`apikeys.status.${k.status}`), TONES[k.status] || 'muted', 'api-key-status')],
            [t('apikeys.expires'), (k) => when(k.expires_at)],
            [t('apikeys.lastUsed'), (k) => (k.last_used_at ? when(k.last_used_at) : '—')],
            [t('common.actions'), (k) => (k.status === 'revoked' ? '—' : button(t('common.revoke'), () => attempt(async () => {
                if (await confirmAction(t('apikeys.revoke.confirm', { name: k.name }), t('common.revoke'))) {
                    await api('DELETE', `/api-keys/${encodeURIComponent(k.id)}`);
                    toast(t('common.saved'));
                    await load();
                }
            }), { kind: 'danger-ghost', test: 'revoke-api-key' }))],
        ], keys, 'api-key-table'));
    };
    const fields = [
        field('name', t('apikeys.name'), { hint: t('apikeys.name.hint'), validate: [rules.required] }),
        field('client_id', t('apikeys.client'), { hint: t('apikeys.client.hint'), validate: [rules.required] }),
        field('scope', t('apikeys.scope'), { hint: t('apikeys.scope.hint'), placeholder: 'system/Observation.rs', validate: [rules.required, rules.scopes] }),
        field('patient', t('apikeys.patient'), { hint: t('apikeys.patient.hint'), validate: [rules.pattern(/^[A-Za-z0-9\-.]{1,64}$/, 'valid.patientId')] }),
        field('organization', t('apikeys.organization'), { hint: t('apikeys.organization.hint'), validate: [rules.pattern(/^[A-Za-z0-9\-.]{1,64}$/, 'valid.organizationId')] }),
        field('expires_in_days', t('apikeys.days'), { kind: 'number', value: '90', validate: [rules.required, rules.range(1, 365)] }),
    ];
    const issueForm = form(fields, async (v) => {
        const key = await api('POST', '/api-keys', {
            name: v.name.trim(), client_id: v.client_id.trim(), scope: words(v.scope).join(' '),
            ...(v.patient.trim() ? { patient: v.patient.trim() } : {}),
            ...(v.organization.trim() ? { organization: v.organization.trim() } : {}), expires_in_days: Number(v.expires_in_days),
        });
        await load();
        issued.replaceChildren(secretBox(t('apikeys.key'), key.key, 'api-key-value'),
            h('p', { class: 'hint' }, `${t('apikeys.expires')}: ${when(key.expires_at)}`));
    }, { submitLabel: t('apikeys.issue'), test: 'api-key-form' });
    await load();
    root.append(pageHeader(t('apikeys.title'), t('apikeys.lead')), off,
        card(t('apikeys.issue'), h('div', { class: 'form-grid' }, issueForm), issued), card(null, list));
    return root;
}
