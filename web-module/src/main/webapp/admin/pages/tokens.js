// Tokens: the active access tokens of a user or a client, each revocable.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { attempt, badge, button, card, code, confirmAction, field, form, h, pageHeader, pager, table, toast } from '../ui.js';

const PAGE_SIZE = 20;

export async function render(query) {
    const root = h('div', { class: 'page', 'data-test': 'page-tokens' });
    const results = h('div', { 'data-test': 'tokens-results' });
    const user = field('user', t('tokens.user'), { value: query.get('user') || '' });
    const client = field('client', t('tokens.client'), { value: query.get('client') || '' });
    let criteria = null;
    let offset = 0;
    const load = async () => {
        const tokens = await api('GET', '/tokens', undefined, { ...criteria, _count: PAGE_SIZE, _offset: offset });
        results.replaceChildren(
            table([
                [t('tokens.jti'), (k) => code(k.jti)],
                [t('tokens.client'), (k) => code(k.client_id)],
                [t('tokens.subject'), (k) => code(k.sub)],
                [t('clients.scope'), (k) => (k.scope || '').split(' ').filter(Boolean).map((s) => badge(s, 'muted'))],
                [t('tokens.issued'), (k) => when(k.issued_at)],
                [t('tokens.expires'), (k) => when(k.expires_at)],
                [t('common.actions'), (k) => button(t('common.revoke'), () => attempt(async () => {
                    if (await confirmAction(t('tokens.revoke.confirm', { jti: k.jti }), t('common.revoke'))) {
                        await api('POST', `/tokens/${encodeURIComponent(k.jti)}/revoke`);
                        toast(t('common.saved'));
                        await load();
                    }
                }), { kind: 'danger-ghost', test: 'revoke-token' })],
            ], tokens, 'tokens-table'),
            pager({ offset, count: PAGE_SIZE, shown: tokens.length, onPage: (o) => { offset = o; attempt(load); } }));
    };
    // One of the two is needed: the check runs on both fields together.
    const either = () => (user.value().trim() || client.value().trim() ? null : t('valid.oneOf'));
    user.input.addEventListener('input', () => client.setError(null));
    const search = form([user, client], async (v) => {
        const problem = either();
        client.setError(problem);
        if (problem) {
            return;
        }
        criteria = { user: v.user.trim(), client: v.client.trim() };
        offset = 0;
        await load();
    }, { submitLabel: t('tokens.find'), test: 'tokens-form' });
    if (user.value() || client.value()) {
        criteria = { user: user.value().trim(), client: client.value().trim() };
        await load();
    }
    root.append(pageHeader(t('tokens.title'), t('tokens.lead')), card(null, h('div', { class: 'form-inline' }, search)), card(null, results));
    return root;
}
