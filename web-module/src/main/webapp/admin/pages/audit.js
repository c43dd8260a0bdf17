// Audit log: AuditEvents of the server's FHIR, token and admin traffic, filtered and paged.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { attempt, badge, button, card, code, field, form, h, pageHeader, table } from '../ui.js';

const PAGE_SIZE = 25;

export function auditRows(bundle) {
    return (bundle?.entry || []).map((e) => e.resource);
}

function outcomeBadge(event) {
    const text = event.outcomeDesc || '';
    const status = Number(text.split(' ')[0]);
    const ok = event.outcome ? event.outcome === '0' : status > 0 && status < 400;
    const el = badge(text.split(' ')[0] || event.outcome || '—', ok ? 'success' : 'danger');
    el.title = text;
    return el;
}

/** Columns shared with the overview; the third element marks those only the full log shows. */
export function auditColumns() {
    return [
        [t('audit.recorded'), (e) => h('span', { class: 'nowrap' }, when(e.recorded))],
        [t('audit.request'), (e) => code(e.entity?.[0]?.description || e.subtype?.[0]?.code || '—')],
        [t('audit.interaction'), (e) => e.subtype?.[0]?.code || '—', 'wide'],
        [t('audit.user'), (e) => e.agent?.[0]?.who?.display || '—', 'wide'],
        [t('audit.client'), (e) => (e.agent?.[0]?.altId ? code(e.agent[0].altId) : '—'), 'wide'],
        [t('audit.resource'), (e) => e.entity?.[0]?.what?.reference || '—', 'wide'],
        [t('audit.outcome'), outcomeBadge],
    ];
}

function toInstant(local) {
    return local ? new Date(local).toISOString() : '';
}

export async function render(query) {
    const root = h('div', { class: 'page', 'data-test': 'page-audit' });
    const results = h('div', {});
    const fields = [
        field('since', t('audit.since'), { kind: 'datetime-local' }),
        field('until', t('audit.until'), { kind: 'datetime-local' }),
        field('subject', t('audit.user'), { value: query.get('subject') || '' }),
        field('client', t('audit.client'), { value: query.get('client') || '' }),
        field('resource', t('audit.resource'), { placeholder: 'Patient/123' }),
        field('outcome', t('audit.outcome'), { kind: 'select', options: [['', t('audit.any')], ['success', t('audit.outcome.success')], ['failure', t('audit.outcome.failure')]] }),
        field('category', t('audit.category'), { kind: 'select', options: [['', t('audit.any')], ['rest', 'REST'], ['token', 'Token'], ['admin', 'Admin']] }),
    ];
    let criteria = {};
    let offset = 0;
    const load = async () => {
        const bundle = await api('GET', '/audit', undefined, { ...criteria, _count: PAGE_SIZE, _offset: offset });
        const rows = auditRows(bundle);
        const hasNext = (bundle.link || []).some((l) => l.relation === 'next');
        results.replaceChildren(
            table(auditColumns(), rows, 'audit-table'),
            h('div', { class: 'pager', 'data-test': 'audit-pager' },
                h('span', { class: 'muted' }, rows.length ? t('common.range', { from: offset + 1, to: offset + rows.length }) : ''),
                h('div', { class: 'pager-buttons' },
                    button(t('common.prev'), () => { offset = Math.max(0, offset - PAGE_SIZE); attempt(load); }, { disabled: offset === 0, test: 'audit-prev' }),
                    button(t('common.next'), () => { offset += PAGE_SIZE; attempt(load); }, { disabled: !hasNext, test: 'audit-next' }))));
    };
    const filters = form(fields, async (v) => {
        criteria = { ...v, since: toInstant(v.since), until: toInstant(v.until) };
        offset = 0;
        await load();
    }, { submitLabel: t('common.apply'), test: 'audit-filters' });
    criteria = { subject: query.get('subject') || '', client: query.get('client') || '' };
    await load();
    root.append(pageHeader(t('audit.title'), t('audit.lead')), card(null, h('div', { class: 'form-grid form-grid-4' }, filters)), card(null, results));
    return root;
}
