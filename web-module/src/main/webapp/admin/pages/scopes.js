// Scopes: the descriptions the consent page shows, in English and Japanese.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { attempt, button, card, code, confirmAction, field, form, h, pageHeader, rules, table, toast } from '../ui.js';

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-scopes' });
    const name = field('name', t('scopes.name'), { placeholder: 'patient/Immunization.rs', validate: [rules.required, rules.pattern(/^\S+$/, 'valid.scope')] });
    const en = field('description_en', t('scopes.en'), { validate: [rules.required] });
    const ja = field('description_ja', t('scopes.ja'));
    const list = h('div', {});
    const load = async () => {
        const scopes = await api('GET', '/scopes');
        list.replaceChildren(table([
            [t('scopes.name'), (s) => code(s.name)],
            [t('scopes.en'), (s) => s.description_en || '—'],
            [t('scopes.ja'), (s) => h('span', { lang: 'ja' }, s.description_ja || '—')],
            [t('common.actions'), (s) => h('div', { class: 'row-actions' },
                button(t('common.edit'), () => {
                    name.input.value = s.name;
                    en.input.value = s.description_en || '';
                    ja.input.value = s.description_ja || '';
                    name.input.scrollIntoView({ block: 'center' });
                    en.input.focus();
                }, { kind: 'ghost', test: 'scope-edit' }),
                button(t('common.delete'), () => attempt(async () => {
                    if (await confirmAction(t('scopes.delete.confirm', { name: s.name }), t('common.delete'))) {
                        await api('DELETE', `/scopes/${encodeURIComponent(s.name)}`);
                        toast(t('common.saved'));
                        await load();
                    }
                }), { kind: 'danger-ghost', test: 'scope-delete' }))],
        ], scopes, 'scopes-table'));
    };
    const editForm = form([name, en, ja], async (v) => {
        await api('PUT', '/scopes', { name: v.name.trim(), description_en: v.description_en.trim(), description_ja: v.description_ja.trim() || null });
        toast(t('common.saved'));
        for (const f of [name, en, ja]) {
            f.input.value = '';
        }
        await load();
    }, { test: 'scope-form' });
    await load();
    root.append(pageHeader(t('scopes.title'), t('scopes.lead')), card(t('scopes.add'), h('div', { class: 'form-grid form-grid-3' }, editForm)), card(null, list));
    return root;
}
