// Initial access tokens (RFC 7591 §3): issue one for a developer, see who issued which, revoke.
// A token may carry an approval: the clients registered with it get those grant types and scopes
// beyond the registration policy.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import {
    attempt, badge, button, card, checkboxes, code, confirmAction, field, form, h, pageHeader, rules, secretBox, table, toast, words,
} from '../ui.js';
import { grantOptions } from './clients.js';

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-iat' });
    const list = h('div', {});
    const issued = h('div', {});
    const load = async () => {
        const tokens = await api('GET', '/initial-access-tokens');
        list.replaceChildren(table([
            ['ID', (k) => code(k.id)],
            [t('iat.createdBy'), (k) => k.created_by || '—'],
            [t('common.created'), (k) => when(k.created_at)],
            [t('iat.expires'), (k) => when(k.expires_at)],
            [t('iat.remaining'), (k) => String(k.remaining_uses)],
            [t('iat.approvedGrants'), (k) => ((k.approved_grant_types || []).length > 0 ? k.approved_grant_types.map((g) => badge(g, 'muted')) : '—')],
            [t('iat.approvedScope'), (k) => (words(k.approved_scope).length > 0 ? words(k.approved_scope).map((s) => badge(s, 'muted')) : '—')],
            [t('common.actions'), (k) => button(t('common.revoke'), () => attempt(async () => {
                if (await confirmAction(t('iat.revoke.confirm'), t('common.revoke'))) {
                    await api('DELETE', `/initial-access-tokens/${encodeURIComponent(k.id)}`);
                    toast(t('common.saved'));
                    await load();
                }
            }), { kind: 'danger-ghost', test: 'revoke-iat' })],
        ], tokens, 'iat-table'));
    };
    const fields = [
        field('uses', t('iat.uses'), { kind: 'number', value: '10', validate: [rules.required, rules.range(1, 1000)] }),
        field('expires_in', t('iat.expiresIn'), { kind: 'number', value: '86400', validate: [rules.required, rules.range(60, 31_536_000)] }),
        checkboxes('approved_grant_types', t('iat.approvedGrants'), grantOptions(), { hint: t('iat.approvedGrants.hint'), test: 'iat-grant' }),
        field('approved_scope', t('iat.approvedScope'), { hint: t('iat.approvedScope.hint'), placeholder: 'system/Patient.rs', validate: [rules.scopes] }),
    ];
    const issueForm = form(fields, async (v) => {
        const scope = words(v.approved_scope).join(' ');
        const token = await api('POST', '/initial-access-tokens', {
            uses: Number(v.uses), expires_in: Number(v.expires_in),
            ...(v.approved_grant_types.length > 0 ? { approved_grant_types: v.approved_grant_types } : {}),
            ...(scope ? { approved_scope: scope } : {}),
        });
        await load();
        issued.replaceChildren(secretBox(t('iat.token'), token.token, 'iat-token'),
            h('p', { class: 'hint' }, `${t('iat.expires')}: ${when(token.expires_at)} · ${t('iat.uses')}: ${token.uses}`));
    }, { submitLabel: t('iat.issue'), test: 'iat-form' });
    await load();
    root.append(pageHeader(t('iat.title'), t('iat.lead')),
        card(t('iat.issue'), h('div', { class: 'form-grid' }, issueForm), issued), card(null, list));
    return root;
}
