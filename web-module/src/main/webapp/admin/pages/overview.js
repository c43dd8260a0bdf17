// Overview: counts of what the server holds, its key settings and the latest audit events.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { badge, card, code, h, pageHeader, table } from '../ui.js';
import { auditColumns, auditRows } from './audit.js';

function stat(label, value, href, test) {
    return h('a', { class: 'stat', href, 'data-test': test },
        h('div', { class: 'stat-label' }, label),
        h('div', { class: 'stat-value' }, value));
}

export async function render() {
    const [settings, clients, users, keys, issuers, audit] = await Promise.all([
        api('GET', '/settings'),
        api('GET', '/clients', undefined, { _count: 1 }),
        api('GET', '/users', undefined, { _count: 100 }),
        api('GET', '/keys'),
        api('GET', '/issuers'),
        api('GET', '/audit', undefined, { _count: 6 }).catch(() => null),
    ]);
    const signing = keys.keys.find((k) => k.signing);
    const registration = settings.registration?.value;
    return h('div', { class: 'page', 'data-test': 'page-overview' },
        pageHeader(t('overview.title'), t('overview.lead')),
        h('div', { class: 'stats' },
            stat(t('overview.clients'), clients.total, '#/clients', 'stat-clients'),
            stat(t('overview.users'), users.length >= 100 ? '100+' : users.length, '#/users', 'stat-users'),
            stat(t('overview.keys'), keys.keys.length, '#/keys', 'stat-keys'),
            stat(t('overview.issuers'), issuers.length, '#/issuers', 'stat-issuers')),
        h('div', { class: 'grid-overview' },
            card(t('overview.server'),
                h('dl', { class: 'facts' },
                    h('dt', {}, t('overview.base')), h('dd', {}, code(settings.base_url?.value)),
                    h('dt', {}, t('overview.alg')), h('dd', {}, badge(settings.signing_alg?.value, 'info')),
                    h('dt', {}, t('overview.activeKey')), h('dd', {}, signing ? code(signing.kid) : '—'),
                    h('dt', {}, t('overview.registration')),
                    h('dd', {}, registration ? t(`settings.registration.${registration}`) : '—'))),
            card(t('overview.recent'),
                audit ? table(auditColumns().filter((c) => !c[2]), auditRows(audit), 'recent-audit') : '—')));
}
