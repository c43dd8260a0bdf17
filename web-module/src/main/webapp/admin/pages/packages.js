// Validation packages: FHIR NPM packages (.tgz) whose profiles, value sets and code systems the
// validator uses for $validate and validation on write; load one from a file, see what it gave,
// remove it. Validation on write itself is a setting (Settings).

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { attempt, button, card, code, confirmAction, form, h, notice, pageHeader, table, toast } from '../ui.js';

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-packages' });
    const list = h('div', {});
    const loaded = h('div', {});
    const file = h('input', { type: 'file', class: 'input', 'data-test': 'package-file', accept: '.tgz,.tar.gz,application/gzip' });
    const fileError = h('p', { class: 'field-error', 'data-test': 'error-package', role: 'alert' });
    const load = async () => {
        const packages = await api('GET', '/packages');
        list.replaceChildren(packages.length === 0 ? notice(t('packages.none'), 'info') : table([
            [t('packages.name'), (p) => code(p.name)],
            [t('packages.version'), (p) => p.version],
            [t('packages.fhir'), (p) => p.fhir_versions],
            [t('packages.resources'), (p) => String(p.resources)],
            [t('packages.loaded'), (p) => `${when(p.loaded_at)} · ${p.loaded_by}`],
            [t('common.actions'), (p) => button(t('common.delete'), () => attempt(async () => {
                if (await confirmAction(t('packages.delete.confirm', { name: p.name }), t('common.delete'))) {
                    await api('DELETE', `/packages/${encodeURIComponent(p.name)}`);
                    toast(t('common.saved'));
                    await load();
                }
            }), { kind: 'danger-ghost', test: 'delete-package' })],
        ], packages, 'package-table'));
    };
    const upload = form([], async () => {
        const chosen = file.files?.[0];
        fileError.textContent = chosen ? '' : t('packages.file.required');
        if (!chosen) {
            return;
        }
        try {
            const result = await api('POST', '/packages', new Blob([chosen], { type: 'application/gzip' }));
            loaded.replaceChildren(notice(t('packages.loaded.one', { name: result.name, version: result.version, count: result.resources }),
                'success', 'package-loaded'));
        } catch (e) {
            fileError.textContent = e.message;
            return;
        }
        await load();
    }, { submitLabel: t('packages.load'), test: 'package-form',
        extra: [h('div', { class: 'field' }, h('label', { class: 'label' }, t('packages.file')), file, fileError)] });
    await load();
    root.append(pageHeader(t('packages.title'), t('packages.lead')), card(t('packages.load'), upload, loaded), card(null, list));
    return root;
}
