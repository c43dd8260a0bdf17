// Housekeeping: the size of the tables that grow with use, the last and the next run, and a run
// on demand. A panel of the settings page.

import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { attempt, badge, button, card, code, h, notice, table, toast } from '../ui.js';

const TONES = { completed: 'success', partial: 'warning', failed: 'danger' };

function lastRun(run) {
    if (!run) {
        return h('p', { 'data-test': 'housekeeping-last-run', 'data-run': '' }, t('housekeeping.never'));
    }
    const by = run.started_by === 'schedule' ? t('housekeeping.bySchedule') : t('housekeeping.byAdmin');
    return h('p', { 'data-test': 'housekeeping-last-run', 'data-run': run.id },
        t('housekeeping.last', { when: when(run.finished_at), node: run.node, by, total: run.deleted_total }), ' ',
        badge(t(`housekeeping.outcome.${run.outcome}`), TONES[run.outcome] || 'muted'),
        run.detail ? h('span', { class: 'hint' }, ` ${run.detail}`) : null);
}

function tables(state) {
    const deleted = state.last_run?.deleted || {};
    const rows = Object.entries(state.tables).map(([name, rowsNow]) => ({ name, rowsNow, deleted: deleted[name] }));
    return table([
        [t('housekeeping.table'), (r) => code(r.name)],
        [t('housekeeping.rows'), (r) => r.rowsNow.toLocaleString()],
        [t('housekeeping.deleted'), (r) => {
            if (r.deleted !== undefined) {
                return r.deleted.toLocaleString();
            }
            return state.last_run ? t('housekeeping.kept') : '—';
        }],
    ], rows, 'housekeeping-tables');
}

/** The panel; it redraws itself after a run. */
export async function housekeepingPanel() {
    const panel = h('div', { 'data-test': 'housekeeping' });
    const draw = (state) => {
        const run = button(t('housekeeping.run'), () => attempt(async () => {
            run.disabled = true;
            try {
                const done = await api('POST', '/housekeeping/run');
                toast(t('housekeeping.ran', { total: done.deleted_total }));
                draw(await api('GET', '/housekeeping'));
            } finally {
                run.disabled = false;
            }
        }), { kind: 'primary', test: 'housekeeping-run' });
        panel.replaceChildren(card(t('housekeeping.title'),
            h('p', { class: 'muted' }, t('housekeeping.lead')),
            state.running ? notice(t('housekeeping.running', { node: state.running.node }), 'info', 'housekeeping-running') : null,
            lastRun(state.last_run),
            h('p', { class: 'muted', 'data-test': 'housekeeping-next-run' }, t('housekeeping.next', { when: when(state.next_run) })),
            tables(state),
            h('div', { class: 'form-actions' }, run)));
    };
    try {
        draw(await api('GET', '/housekeeping'));
    } catch (error) {
        // the settings above stay usable when the counts cannot be had
        panel.replaceChildren(card(t('housekeeping.title'), notice(t('error.generic', { msg: error.message }), 'error', 'housekeeping-error')));
    }
    return panel;
}
