// The patient list: search by name, sorted by family name, ten a page.

import { entries } from './fhir.js';
import { formatDate, genderText, listName, mainIdentifier } from './format.js';
import { card, empty, h, pagedResults, svg, table } from './ui.js';

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 300;

function identifierCell(patient) {
    const identifier = mainIdentifier(patient);
    return identifier ? [h('span', { class: 'id-label' }, identifier.label), ' ', h('span', { class: 'mono' }, identifier.value)] : '—';
}

function searchIcon() {
    return svg('svg', { class: 'search-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true' },
        svg('circle', { cx: 10.5, cy: 10.5, r: 6.5 }), svg('path', { d: 'M15.5 15.5 21 21' }));
}

export async function render(ctx, query) {
    const search = h('input', {
        type: 'search', class: 'search-input', placeholder: 'Search by name', value: query.get('name') || '',
        autocomplete: 'off', 'aria-label': 'Search patients by name', 'data-testid': 'patient-search',
    });
    const results = pagedResults({
        first: () => {
            const params = { _count: PAGE_SIZE, _sort: 'family,given', _total: 'accurate' };
            if (search.value.trim()) {
                params.name = search.value.trim();
            }
            return ctx.fhir.search('Patient', params);
        },
        follow: ctx.fhir.follow,
        pageSize: PAGE_SIZE,
        noun: 'patients',
        test: 'patients',
        onError: ctx.error,
        draw: (bundle) => {
            const patients = entries(bundle, 'Patient');
            const open = (patient) => ctx.navigate(`#/patients/${encodeURIComponent(patient.id)}`);
            const content = patients.length === 0
                ? empty(search.value.trim() ? `No patients match "${search.value.trim()}".` : 'There are no patients on this server.', 'patients-empty')
                : table([
                    ['Name', (p) => h('a', { href: `#/patients/${encodeURIComponent(p.id)}`, class: 'strong', 'data-testid': 'patient-link' }, listName(p))],
                    ['Gender', (p) => genderText(p.gender)],
                    ['Birth date', (p) => formatDate(p.birthDate)],
                    ['Identifier', identifierCell],
                ], patients, {
                    test: 'patients-table',
                    rowAttrs: (p) => ({ class: 'clickable', 'data-testid': 'patient-row', 'data-patient-id': p.id, onclick: () => open(p) }),
                });
            return { content, shown: patients.length };
        },
    });
    let timer;
    search.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
            const name = search.value.trim();
            // The search is part of the address, so that Back and a reload keep it.
            window.history.replaceState(null, '', `#/patients${name ? `?${new URLSearchParams({ name })}` : ''}`);
            results.reload();
        }, TYPING_DELAY_MS);
    });
    await results.reload();
    return h('div', { class: 'page', 'data-testid': 'page-patients' },
        h('header', { class: 'page-header' },
            h('div', {}, h('h1', {}, 'Patients'), h('p', { class: 'lead' }, 'Choose a patient to see their observations and vital signs.'))),
        card(null, h('div', { class: 'toolbar' }, h('label', { class: 'search' }, searchIcon(), search)), results.el));
}
