// One patient: demographics, a chart of a vital sign over time, and all observations, newest first.

import { lineChart } from './chart.js';
import { entries } from './fhir.js';
import {
    age, categoryText, codeText, componentValues, formatDate, formatNumber, genderText, hasCode, mainIdentifier,
    observationDate, observationValue, personName, unitText,
} from './format.js';
import { card, empty, h, loading, pagedResults, table } from './ui.js';

const LOINC = 'http://loinc.org';
const OBSERVATIONS_PAGE = 50;
const CHART_MAX = 200;
/** More components than this (a questionnaire's answers) fold away behind their count. */
const INLINE_COMPONENTS = 3;

/** The vital signs the chart offers (LOINC codes of the FHIR vital signs profiles); blood pressure is one panel of two components. */
const VITALS = [
    { code: '29463-7', label: 'Body weight' },
    { code: '8302-2', label: 'Body height' },
    { code: '39156-5', label: 'Body mass index' },
    { code: '8867-4', label: 'Heart rate' },
    { code: '85354-9', label: 'Blood pressure', components: [['8480-6', 'Systolic'], ['8462-4', 'Diastolic']] },
    { code: '9279-1', label: 'Respiratory rate' },
    { code: '8310-5', label: 'Body temperature' },
];

function fact(label, value, test) {
    return value ? h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, label), h('span', { class: 'fact-value', 'data-testid': test }, value)) : null;
}

function initials(patient) {
    return personName(patient).split(/\s+/).filter((w) => /^\p{L}/u.test(w)).map((w) => w[0]).slice(0, 2).join('').toUpperCase() || '?';
}

function banner(patient) {
    const years = age(patient.birthDate, patient.deceasedDateTime);
    const identifier = mainIdentifier(patient);
    const address = (patient.address || [])[0];
    const phone = (patient.telecom || []).find((t) => t.system === 'phone')?.value;
    const deceased = patient.deceasedBoolean || patient.deceasedDateTime;
    return h('section', { class: 'patient-banner', 'data-testid': 'patient-header', 'data-patient-id': patient.id },
        h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(patient)),
        h('div', { class: 'banner-main' },
            h('div', { class: 'patient-title' },
                h('h1', { class: 'patient-name', 'data-testid': 'patient-name' }, personName(patient)),
                deceased ? h('span', { class: 'badge badge-muted' }, patient.deceasedDateTime ? `Deceased ${formatDate(patient.deceasedDateTime)}` : 'Deceased') : null),
            h('div', { class: 'banner-facts' },
                fact('Gender', genderText(patient.gender), 'patient-gender'),
                fact('Born', patient.birthDate ? `${formatDate(patient.birthDate)}${years !== null ? ` (${years} y)` : ''}` : null, 'patient-birth-date'),
                fact(identifier?.label, identifier?.value, 'patient-identifier'),
                fact('Phone', phone),
                fact('Address', address ? [address.city, address.state, address.country].filter(Boolean).join(', ') : null))));
}

/** The chart's series: the observation's own value, or one series per component (blood pressure). */
function seriesOf(vital, observations) {
    const parts = vital.components
        ? vital.components.map(([code, label]) => ({ label, quantity: (o) => (o.component || []).find((c) => hasCode(c.code, code))?.valueQuantity }))
        : [{ label: vital.label, quantity: (o) => o.valueQuantity }];
    return parts.map(({ label, quantity }) => ({
        label,
        points: observations
            .map((o) => ({ q: quantity(o), date: observationDate(o) }))
            .filter(({ q, date }) => typeof q?.value === 'number' && date)
            .map(({ q, date }) => ({ time: new Date(date), value: q.value, unit: unitText(q) })),
    }));
}

function chartOf(vital, observations) {
    const series = seriesOf(vital, observations).filter((s) => s.points.length > 0);
    if (series.length === 0) {
        return empty(`No ${vital.label.toLowerCase()} measurements with a numeric value.`, 'chart-empty');
    }
    const unit = series[0].points[0].unit;
    const latest = series.map((s) => s.points.reduce((a, b) => (b.time > a.time ? b : a)));
    const count = Math.max(...series.map((s) => s.points.length));
    return h('figure', { class: 'chart-figure', 'data-code': vital.code },
        lineChart({ series, unit, title: `${vital.label} over time${unit ? ` (${unit})` : ''}` }),
        h('figcaption', { class: 'chart-caption', 'data-testid': 'chart-caption' },
            `${count} measurement${count === 1 ? '' : 's'} · latest ${latest.map((p) => formatNumber(p.value)).join('/')} ${unit} on ${latest[0].time.toLocaleDateString(undefined, { dateStyle: 'medium' })}`));
}

function vitalsCard(ctx, patientId) {
    const select = h('select', { class: 'select', disabled: true, 'aria-label': 'Vital sign', 'data-testid': 'vital-select' });
    const area = h('div', { class: 'chart-area', 'data-testid': 'chart-area' }, loading());
    const search = (params) => ctx.fhir.search('Observation', { patient: patientId, ...params });
    let generation = 0;
    const draw = async () => {
        const vital = VITALS.find((v) => v.code === select.value);
        const mine = ++generation;
        area.setAttribute('aria-busy', 'true');
        try {
            const bundle = await search({ code: `${LOINC}|${vital.code}`, _sort: 'date', _count: CHART_MAX });
            if (mine === generation) {
                area.replaceChildren(chartOf(vital, entries(bundle, 'Observation')));
            }
        } catch (error) {
            if (mine === generation) {
                area.replaceChildren(ctx.error(error));
            }
        } finally {
            if (mine === generation) {
                area.removeAttribute('aria-busy');
            }
        }
    };
    select.addEventListener('change', draw);
    (async () => {
        try {
            // Offer only what the patient has; a server that gives no count leaves the vital sign on offer.
            const totals = await Promise.all(VITALS.map((v) => search({ code: `${LOINC}|${v.code}`, _summary: 'count' }).then((b) => b.total ?? 1)));
            const available = VITALS.map((v, i) => ({ ...v, total: totals[i] })).filter((v) => v.total > 0);
            if (available.length === 0) {
                area.replaceChildren(empty('No vital signs are recorded for this patient.', 'chart-empty'));
                return;
            }
            select.replaceChildren(...available.map((v) => h('option', { value: v.code }, v.label)));
            select.disabled = false;
            await draw();
        } catch (error) {
            area.replaceChildren(ctx.error(error));
        }
    })();
    return h('section', { class: 'card', 'data-testid': 'vitals-card' },
        h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Vital signs'),
            h('label', { class: 'inline-label' }, h('span', {}, 'Show'), select)),
        area);
}

function valueCell(observation) {
    const components = componentValues(observation);
    if (components.length <= INLINE_COMPONENTS) {
        return h('span', { class: 'value' }, observationValue(observation));
    }
    return h('details', { class: 'answers' },
        h('summary', {}, `${components.length} answers`),
        h('dl', { class: 'answer-list' }, components.map((c) => [h('dt', {}, c.label), h('dd', {}, c.value)])));
}

function observationsCard(ctx, patientId) {
    const results = pagedResults({
        first: () => ctx.fhir.search('Observation', { patient: patientId, _sort: '-date', _count: OBSERVATIONS_PAGE, _total: 'accurate' }),
        follow: ctx.fhir.follow,
        pageSize: OBSERVATIONS_PAGE,
        noun: 'observations',
        test: 'observations',
        onError: ctx.error,
        draw: (bundle) => {
            const observations = entries(bundle, 'Observation');
            const content = observations.length === 0
                ? empty('No observations are recorded for this patient.', 'observations-empty')
                : table([
                    ['Date', (o) => h('span', { class: 'nowrap' }, formatDate(observationDate(o)))],
                    ['Observation', (o) => codeText(o.code)],
                    ['Value', valueCell],
                    ['Category', (o) => categoryText(o)],
                ], observations, { test: 'observations-table', rowAttrs: (o) => ({ 'data-testid': 'observation-row', 'data-observation-id': o.id }) });
            return { content, shown: observations.length };
        },
    });
    results.reload();
    return card('Observations', results.el);
}

export async function render(ctx, patientId) {
    const patient = await ctx.fhir.read('Patient', patientId);
    return h('div', { class: 'page', 'data-testid': 'page-patient' },
        ctx.patientId ? null : h('a', { class: 'back-link', href: '#/patients', 'data-testid': 'back-to-patients' }, '← Back to patients'),
        banner(patient),
        vitalsCard(ctx, patient.id),
        observationsCard(ctx, patient.id));
}
