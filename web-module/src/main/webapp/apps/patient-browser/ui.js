// DOM building blocks. Server data only ever reaches the page as text nodes or attribute values,
// never as markup, so a patient name or an OperationOutcome cannot inject script.

import { link } from './fhir.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            el.addEventListener(name.slice(2), value);
        } else if (name === 'value' || name === 'disabled' || name === 'selected' || name === 'checked') {
            el[name] = value;
        } else {
            el.setAttribute(name, value === true ? '' : String(value));
        }
    }
    for (const child of children.flat(Infinity)) {
        if (child !== undefined && child !== null && child !== false) {
            el.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
    }
    return el;
}

/** An HTML element: attrs are attributes, on<event> handlers, or the properties value/disabled/selected/checked. */
export function h(tag, attrs = {}, ...children) {
    return build(document.createElement(tag), attrs, children);
}

/** An SVG element, with the same conventions as h. */
export function svg(tag, attrs = {}, ...children) {
    return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A table of rows: columns are [heading, row => cell content]; rowAttrs(row) gives each tr its attributes. */
export function table(columns, rows, { test, rowAttrs = () => ({}) } = {}) {
    return h('div', { class: 'table-wrap' },
        h('table', { class: 'table', 'data-testid': test },
            h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', { scope: 'col' }, heading)))),
            h('tbody', {}, rows.map((row) => h('tr', rowAttrs(row), columns.map(([, cell]) => h('td', {}, cell(row))))))));
}

export function card(title, ...children) {
    return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, children);
}

export function loading(text = 'Loading…') {
    return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function empty(text, test) {
    return h('div', { class: 'empty', 'data-testid': test }, text);
}

const TITLES = { 0: 'The server could not be reached', 401: 'Your session has ended', 403: 'Not allowed', 404: 'Not found' };

/**
 * What went wrong, in words: the server's own explanation (OperationOutcome diagnostics, OAuth
 * error_description) under a short title. A 401 offers to sign in again when signIn is given.
 */
export function errorBox(error, signIn) {
    const status = error?.status;
    const title = error?.error ? `Sign-in failed (${error.error})` : TITLES[status] || (status ? `The server refused (HTTP ${status})` : 'Something went wrong');
    return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'error-box', 'data-status': status },
        h('strong', { class: 'alert-title' }, title),
        h('p', { class: 'alert-text' }, error?.message || String(error)),
        status === 401 && signIn
            ? h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'sign-in-again', onclick: signIn }, 'Sign in again')
            : null);
}

/**
 * Search results paged with the Bundle's own next and previous links (R4 search.html#paging).
 * first() loads page one; draw(bundle) gives { content, shown }: what to show and how many
 * entries that was. noun names the entries in "Showing 1–10 of 24 patients".
 */
export function pagedResults({ first, follow, draw, pageSize, noun, test, onError }) {
    const el = h('div', { class: 'paged', 'data-testid': `${test}-results` });
    let generation = 0;

    async function show(load, offset) {
        const mine = ++generation;
        el.setAttribute('aria-busy', 'true');
        try {
            const bundle = await load();
            if (mine !== generation) {
                return;
            }
            const { content, shown } = draw(bundle);
            const next = link(bundle, 'next');
            const previous = link(bundle, 'previous');
            const range = shown === 0 ? 'No results' : `Showing ${offset + 1}–${offset + shown}`;
            const total = bundle.total !== undefined ? ` of ${bundle.total}` : '';
            el.replaceChildren(content, h('div', { class: 'pager' },
                h('span', { class: 'pager-summary', 'data-testid': `${test}-summary`, 'data-total': bundle.total }, `${range}${shown ? `${total} ${noun}` : ''}`),
                h('div', { class: 'pager-buttons' },
                    h('button', { class: 'btn btn-secondary', type: 'button', disabled: !previous, 'data-testid': `${test}-prev`,
                        onclick: () => show(() => follow(previous), Math.max(0, offset - pageSize)) }, '‹ Previous'),
                    h('button', { class: 'btn btn-secondary', type: 'button', disabled: !next, 'data-testid': `${test}-next`,
                        onclick: () => show(() => follow(next), offset + shown) }, 'Next ›'))));
        } catch (error) {
            if (mine === generation) {
                el.replaceChildren(onError(error));
            }
        } finally {
            if (mine === generation) {
                el.removeAttribute('aria-busy');
            }
        }
    }

    el.append(loading());
    return { el, reload: () => show(first, 0) };
}
