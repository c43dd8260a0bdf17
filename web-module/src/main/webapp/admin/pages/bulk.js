// Bulk data: every client's exports with their progress, and imports — an admin's own import of a
// file, with a progress bar and the error file (each failed line with its number).

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { attempt, badge, button, card, code, confirmAction, field, form, h, notice, pageHeader, table, toast } from '../ui.js';

const TONES = { completed: 'success', running: 'info', accepted: 'muted', failed: 'danger', cancelled: 'muted' };
const POLL_MS = 1500;

function status(job) {
    return badge(t(`bulk.status.${job.status}`), TONES[job.status] || 'muted', 'bulk-status');
}

function progressBar(job) {
    const percent = Math.round((job.done || 0) * 100);
    return h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent),
        'aria-label': job.progress, 'data-test': 'bulk-progress', 'data-status': job.status },
    h('div', { class: `progress-bar progress-${job.status}`, style: `width: ${percent}%` }));
}

function counts(job) {
    const entries = Object.entries(job.counts || {});
    return entries.length ? entries.map(([type, n]) => h('span', { class: 'count' }, code(type), ` ${n.toLocaleString()}`)) : '—';
}

function running(jobs) {
    return jobs.some((job) => job.status === 'accepted' || job.status === 'running');
}

/** Draws the list again while a job runs, for as long as the page is shown. */
function refreshWhileRunning(root, jobs, load) {
    if (running(jobs)) {
        setTimeout(() => { if (root.isConnected) { attempt(load); } }, POLL_MS);
    }
}

function cancelButton(job, load) {
    if (job.status === 'cancelled') {
        return null;
    }
    return button(t('bulk.cancel'), () => attempt(async () => {
        if (await confirmAction(t('bulk.cancel.confirm', { id: job.id }), t('bulk.cancel'))) {
            await api('DELETE', `/bulk-jobs/${encodeURIComponent(job.id)}`);
            toast(t('bulk.cancelled'));
            await load();
        }
    }), { kind: 'danger-ghost', test: 'bulk-cancel' });
}

export async function renderExports() {
    const root = h('div', { class: 'page', 'data-test': 'page-bulk-exports' });
    const results = h('div', { 'data-test': 'bulk-exports-results' });
    const load = async () => {
        const jobs = await api('GET', '/bulk-jobs', undefined, { kind: 'export' });
        results.replaceChildren(jobs.length === 0 ? notice(t('bulk.exports.none'), 'info', 'bulk-exports-empty') : table([
            [t('common.created'), (j) => when(j.created_at)],
            [t('bulk.client'), (j) => code(j.client_id)],
            [t('common.status'), (j) => status(j)],
            [t('bulk.progress'), (j) => h('div', {}, progressBar(j), h('div', { class: 'hint' }, j.message || j.progress))],
            [t('bulk.resources'), (j) => counts(j)],
            [t('bulk.expires'), (j) => (j.expires_at ? when(j.expires_at) : '—')],
            [t('common.actions'), (j) => cancelButton(j, load)],
        ], jobs, 'bulk-exports-table'));
        results.querySelectorAll('[data-test="bulk-exports-table"] tbody tr').forEach((row, i) => row.setAttribute('data-job', jobs[i].id));
        refreshWhileRunning(root, jobs, load);
    };
    await load();
    root.append(pageHeader(t('bulk.exports.title'), t('bulk.exports.lead')), card(null, results));
    return root;
}

export async function renderImports() {
    const root = h('div', { class: 'page', 'data-test': 'page-bulk-imports' });
    const current = h('div', { 'data-test': 'bulk-import-current' });
    const list = h('div', { 'data-test': 'bulk-imports-results' });
    const type = field('type', t('bulk.type'), { value: 'Patient', hint: t('bulk.type.hint'),
        validate: [(v) => (/^[A-Z][A-Za-z]{1,63}$/.test(v.trim()) ? null : t('bulk.type.invalid'))] });
    const format = field('format', t('bulk.format'), { kind: 'select', value: 'ndjson',
        options: [['ndjson', t('bulk.format.ndjson')], ['json', t('bulk.format.json')]] });
    const file = h('input', { type: 'file', class: 'input', 'data-test': 'bulk-file', accept: '.ndjson,.json,application/json' });
    const fileError = h('p', { class: 'field-error', 'data-test': 'error-bulk-file', role: 'alert' });

    const loadList = async () => {
        const jobs = await api('GET', '/bulk-jobs', undefined, { kind: 'import' });
        list.replaceChildren(jobs.length === 0 ? notice(t('bulk.imports.none'), 'info') : table([
            [t('common.created'), (j) => when(j.created_at)],
            [t('bulk.client'), (j) => code(j.client_id)],
            [t('common.status'), (j) => status(j)],
            [t('bulk.resources'), (j) => counts(j)],
            [t('bulk.errors'), (j) => String(j.errors)],
            [t('common.actions'), (j) => cancelButton(j, loadList)],
        ], jobs, 'bulk-imports-table'));
        refreshWhileRunning(root, jobs, loadList);
    };

    const follow = async (id) => {
        const job = await api('GET', `/bulk-jobs/${encodeURIComponent(id)}`);
        const parts = [h('p', {}, status(job), ' ', h('span', { 'data-test': 'bulk-progress-text' }, job.message || job.progress)),
            progressBar(job), h('p', { 'data-test': 'bulk-counts' }, counts(job))];
        if (job.errors > 0 && job.status !== 'running' && job.status !== 'accepted') {
            const lines = await api('GET', `/bulk-jobs/${encodeURIComponent(id)}/errors.ndjson`);
            const text = String(lines).trim().split('\n').map((line) => {
                try {
                    return JSON.parse(line).issue.map((i) => i.diagnostics).join('; ');
                } catch {
                    return line;
                }
            }).join('\n');
            parts.push(h('h3', {}, t('bulk.errorFile', { count: job.errors })), h('pre', { class: 'error-file', 'data-test': 'bulk-errors' }, text));
        }
        current.replaceChildren(card(t('bulk.import.current'), parts));
        if (running([job]) && root.isConnected) {
            setTimeout(() => attempt(() => follow(id)), POLL_MS);
        } else {
            await loadList();
        }
    };

    const submit = form([type, format], async (v) => {
        const chosen = file.files?.[0];
        fileError.textContent = chosen ? '' : t('bulk.file.required');
        if (!chosen) {
            return;
        }
        const job = await api('POST', '/bulk-jobs/imports', chosen, { type: v.type.trim(), format: v.format });
        toast(t('bulk.import.started'));
        await follow(job.id);
    }, { submitLabel: t('bulk.import.start'), test: 'bulk-import-form',
        extra: [h('div', { class: 'field' }, h('label', { class: 'label' }, t('bulk.file')), file, fileError)] });

    await loadList();
    root.append(pageHeader(t('bulk.imports.title'), t('bulk.imports.lead')), card(t('bulk.import.new'), submit), current, card(t('bulk.imports.recent'), list));
    return root;
}
