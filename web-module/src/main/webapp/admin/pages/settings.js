// Settings: each setting with where its value comes from; the editable ones in one form.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { badge, card, code, field, form, h, pageHeader, rules, toast } from '../ui.js';
import { housekeepingPanel } from './housekeeping.js';

const NUMBERS = {
    token_access_seconds: [60, 86_400],
    token_refresh_seconds: [300, 31_536_000],
    token_code_seconds: [5, 600],
    session_seconds: [60, 604_800],
    authorize_rate_limit: [0, 100_000],
    api_key_rate_limit: [0, 100_000],
};
/** Settings that may be left empty. */
const OPTIONAL = new Set(['outbound_allowed_origins']);
const CHOICES = {
    signing_alg: () => ['RS256', 'RS384', 'RS512', 'ES256'].map((v) => [v, v]),
    registration: () => [['open', t('settings.registration.open')], ['token', t('settings.registration.token')]],
    access_token_query: () => [['false', t('common.no')], ['true', t('common.yes')]],
    api_keys: () => [['off', t('common.no')], ['on', t('common.yes')]],
};

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-settings' });
    const housekeeping = await housekeepingPanel();
    const draw = (settings) => {
        const readOnly = Object.entries(settings).filter(([, s]) => !s.editable);
        const fields = Object.entries(settings).filter(([, s]) => s.editable).map(([name, s]) => {
            const options = { value: String(s.value ?? ''), hint: `${t('settings.accepts', { accepts: s.accepts ?? '' })} · ${t('settings.source', { source: s.source ?? '' })}` };
            if (NUMBERS[name]) {
                return field(name, t(`settings.${name}`), { ...options, kind: 'number', validate: [rules.required, rules.range(...NUMBERS[name])] });
            }
            if (CHOICES[name]) {
                return field(name, t(`settings.${name}`), { ...options, kind: 'select', options: CHOICES[name]() });
            }
            return field(name, t(`settings.${name}`), { ...options, validate: OPTIONAL.has(name) ? [] : [rules.required] });
        });
        const editForm = form(fields, async (values) => {
            // Only what changed: an untouched setting keeps its source (default or environment).
            const changed = Object.fromEntries(Object.entries(values).filter(([name, value]) => String(settings[name].value ?? '') !== value));
            draw(Object.keys(changed).length ? await api('PUT', '/settings', changed) : settings);
            toast(t('common.saved'));
        }, { test: 'settings-form' });
        root.replaceChildren(
            pageHeader(t('settings.title'), t('settings.lead')),
            readOnly.length ? card(t('settings.readonly'), h('dl', { class: 'facts' }, readOnly.map(([name, s]) => [
                h('dt', {}, t(`settings.${name}`)),
                h('dd', {}, code(String(s.value ?? '')), ' ', badge(s.source ?? '', 'muted'), h('div', { class: 'hint' }, s.accepts ?? ''))]))) : null,
            card(null, h('div', { class: 'form-grid' }, editForm)),
            housekeeping);
    };
    draw(await api('GET', '/settings'));
    return root;
}
