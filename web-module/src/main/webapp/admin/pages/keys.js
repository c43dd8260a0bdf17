// Signing keys: which one signs, rotate to a new one, retire an old one.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { attempt, badge, button, card, code, confirmAction, h, pageHeader, table, toast } from '../ui.js';

export async function render() {
    const root = h('div', { class: 'page', 'data-test': 'page-keys' });
    const load = async () => {
        const keys = await api('GET', '/keys');
        const rotate = button(t('keys.rotate'), () => attempt(async () => {
            if (await confirmAction(t('keys.rotate.confirm'), t('keys.rotate'))) {
                const result = await api('POST', '/keys/rotate');
                toast(t('keys.rotated', { kid: result.kid }));
                await load();
            }
        }), { kind: 'primary', test: 'rotate-key' });
        root.replaceChildren(
            pageHeader(t('keys.title'), t('keys.lead'), rotate),
            card(null,
                h('p', { class: 'muted' }, `${t('keys.algorithm')}: `, badge(keys.algorithm, 'info')),
                table([
                    [t('keys.kid'), (k) => code(k.kid)],
                    [t('keys.kty'), (k) => k.kty],
                    [t('common.status'), (k) => (k.signing ? badge(t('keys.signing'), 'success') : badge(t('keys.verifying'), 'muted'))],
                    [t('common.actions'), (k) => (k.signing ? '' : button(t('keys.retire'), () => attempt(async () => {
                        if (await confirmAction(t('keys.retire.confirm', { kid: k.kid }), t('keys.retire'))) {
                            await api('POST', `/keys/${encodeURIComponent(k.kid)}/retire`);
                            toast(t('common.saved'));
                            await load();
                        }
                    }), { kind: 'danger-ghost', test: 'retire-key' }))],
                ], keys.keys, 'keys-table')));
    };
    await load();
    return root;
}
