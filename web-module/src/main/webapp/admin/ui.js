// Small DOM building blocks. Data only ever reaches the page as text nodes or attributes, never
// as markup, so a client name or an audit entry cannot inject script.

import { t } from './i18n.js';

/** Creates an element: attrs may hold class, data-*, on<event> handlers and DOM properties. */
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            el.addEventListener(name.slice(2), value);
        } else if (name === 'class' || name.includes('-') || name === 'for' || name === 'role' || name === 'type'
            || name === 'name' || name === 'placeholder' || name === 'href' || name === 'id' || name === 'title') {
            el.setAttribute(name, value === true ? '' : String(value));
        } else {
            el[name] = value;
        }
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children.flat(Infinity)) {
        if (child === undefined || child === null || child === false) {
            continue;
        }
        el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

export function pageHeader(title, lead, ...actions) {
    return h('header', { class: 'page-header' },
        h('div', {}, h('h1', { 'data-test': 'page-title' }, title), lead ? h('p', { class: 'lead' }, lead) : null),
        h('div', { class: 'page-actions' }, actions));
}

export function card(title, ...children) {
    return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, children);
}

export function button(label, onclick, { kind = 'secondary', test, type = 'button', disabled } = {}) {
    return h('button', { class: `btn btn-${kind}`, type, onclick, 'data-test': test, disabled }, label);
}

export function badge(text, tone, test) {
    return h('span', { class: `badge badge-${tone}`, 'data-test': test }, text);
}

export function enabledBadge(enabled) {
    return enabled ? badge(t('common.enabled'), 'success') : badge(t('common.disabled'), 'muted');
}

export function code(text) {
    return h('code', { class: 'mono' }, text ?? '—');
}

/**
 * A table: columns are [heading, row => cell content]. An empty list shows a friendly line
 * instead of an empty grid.
 */
export function table(columns, rows, test) {
    if (!rows || rows.length === 0) {
        return h('div', { class: 'empty', 'data-test': test ? `${test}-empty` : undefined }, t('common.none'));
    }
    return h('div', { class: 'table-wrap' },
        h('table', { class: 'table', 'data-test': test },
            h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', {}, heading)))),
            h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row))))))));
}

/** Previous / next paging for the API's _count and _offset. */
/** Calls onSearch a moment after the user stops typing in a search box. */
export function onTyping(input, onSearch, delayMs = 250) {
    let timer;
    input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(onSearch, delayMs);
    });
}

export function pager({ offset, count, shown, total, onPage, test = 'pager' }) {
    const from = shown === 0 ? 0 : offset + 1;
    const to = offset + shown;
    const more = total !== undefined ? to < total : shown === count;
    return h('div', { class: 'pager', 'data-test': test },
        h('span', { class: 'muted' }, total !== undefined ? t('common.rangeOf', { from, to, total }) : t('common.range', { from, to })),
        h('div', { class: 'pager-buttons' },
            button(t('common.prev'), () => onPage(Math.max(0, offset - count)), { disabled: offset === 0, test: `${test}-prev` }),
            button(t('common.next'), () => onPage(offset + count), { disabled: !more, test: `${test}-next` })));
}

export function notice(text, tone = 'info', test) {
    return h('div', { class: `notice notice-${tone}`, role: tone === 'error' ? 'alert' : 'status', 'data-test': test }, text);
}

/** A value shown once (a secret or a token) with a Copy button. */
export function secretBox(label, value, test) {
    const copy = button(t('common.copy'), async () => {
        try {
            await navigator.clipboard.writeText(value);
        } catch {
            const range = document.createRange();
            range.selectNodeContents(valueEl);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
            document.execCommand('copy');
        }
        copy.textContent = t('common.copied');
    }, { kind: 'primary', test: `${test}-copy` });
    const valueEl = h('code', { class: 'secret-value', 'data-test': test }, value);
    return h('div', { class: 'secret-box' },
        h('div', { class: 'secret-label' }, label),
        h('div', { class: 'secret-row' }, valueEl, copy),
        h('p', { class: 'secret-warning' }, t('common.once')));
}

// ---------------------------------------------------------------------------------------------
// Forms that validate as the user types

export const rules = {
    required: (v) => (String(v ?? '').trim() === '' ? t('valid.required') : null),
    url: (v) => {
        if (!v || !String(v).trim()) {
            return null;
        }
        try {
            const url = new URL(String(v).trim());
            return ['http:', 'https:'].includes(url.protocol) ? null : t('valid.url');
        } catch {
            return t('valid.url');
        }
    },
    urls: (v) => String(v || '').split(/\s+/).filter(Boolean).map(rules.url).find(Boolean) || null,
    /** Web origins, one per line: scheme, host and port, nothing more (https://app.example.org). */
    origins: (v) => (String(v || '').split(/\s+/).filter(Boolean).some((o) => {
        try {
            return new URL(o).origin !== o;
        } catch {
            return true;
        }
    }) ? t('valid.origin') : null),
    range: (min, max) => (v) => {
        if (v === '' || v === undefined) {
            return null;
        }
        const n = Number(v);
        return /^\d+$/.test(String(v).trim()) && n >= min && n <= max ? null : t('valid.range', { min, max });
    },
    minLength: (min) => (v) => (v && String(v).length < min ? t('valid.min', { min }) : null),
    pattern: (re, key) => (v) => (v && !re.test(String(v).trim()) ? t(key) : null),
    /** Scope tokens separated by spaces (RFC 6749 §3.3): printable ASCII without quotes or backslashes. */
    scopes: (v) => (words(v).some((s) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)) ? t('valid.scopes') : null),
};

/** The words of a text field, separated by white space. */
export function words(value) {
    return String(value || '').split(/\s+/).filter(Boolean);
}

/** The entries of a text field, separated by white space or commas. */
export function entries(value) {
    return String(value || '').split(/[\s,]+/).filter(Boolean);
}

/**
 * A labelled input with an inline message. kind: text, password, number, textarea, select,
 * checkbox; options for a select as [value, label].
 */
export function field(name, label, { kind = 'text', value = '', hint, validate = [], options, placeholder, test, readonly, autocomplete } = {}) {
    const id = `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
    let input;
    if (kind === 'textarea') {
        input = h('textarea', { id, name, rows: 3, placeholder, 'data-test': test || `field-${name}` });
        input.value = value ?? '';
    } else if (kind === 'select') {
        input = h('select', { id, name, 'data-test': test || `field-${name}` },
            options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value) }, l)));
    } else if (kind === 'checkbox') {
        input = h('input', { id, name, type: 'checkbox', checked: Boolean(value), 'data-test': test || `field-${name}` });
    } else {
        input = h('input', { id, name, type: kind, placeholder, autocomplete: autocomplete || 'off', 'data-test': test || `field-${name}`, readOnly: readonly });
        input.value = value ?? '';
    }
    const message = h('div', { class: 'field-error', 'data-test': `error-${name}`, 'aria-live': 'polite' });
    const wrapper = kind === 'checkbox'
        ? h('div', { class: 'field field-check' }, h('label', { for: id }, input, ' ', label), hint ? h('div', { class: 'hint' }, hint) : null, message)
        : h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('div', { class: 'hint' }, hint) : null, message);
    const state = { touched: false };
    const f = {
        name, el: wrapper, input,
        value: () => (kind === 'checkbox' ? input.checked : input.value),
        setError(text) {
            message.textContent = text || '';
            wrapper.classList.toggle('invalid', Boolean(text));
            input.setAttribute('aria-invalid', text ? 'true' : 'false');
        },
        check(force) {
            if (force) {
                state.touched = true;
            }
            const problem = validate.map((rule) => rule(f.value())).find(Boolean) || null;
            f.setError(state.touched ? problem : null);
            return !problem;
        },
    };
    input.addEventListener('input', () => {
        state.touched = true;
        f.check();
    });
    input.addEventListener('blur', () => {
        state.touched = true;
        f.check();
    });
    return f;
}

/**
 * A group of checkboxes that is one field of a form: its value is the values of the ticked boxes,
 * in the order of options ([value, label]). Each box's data-test is `${test}-${value}`.
 */
export function checkboxes(name, label, options, { value = [], hint, test = `field-${name}` } = {}) {
    const ticked = new Set(value || []);
    const boxes = options.map(([v]) => h('input', { type: 'checkbox', name, value: v, checked: ticked.has(v), 'data-test': `${test}-${v}` }));
    const message = h('div', { class: 'field-error', 'data-test': `error-${name}`, 'aria-live': 'polite' });
    const wrapper = h('div', { class: 'field', role: 'group', 'aria-label': label },
        h('div', { class: 'label' }, label),
        h('div', { class: 'check-list' }, options.map(([v, l], i) => h('label', { title: v }, boxes[i], ' ', l))),
        hint ? h('div', { class: 'hint' }, hint) : null, message);
    const f = {
        name, el: wrapper, input: boxes[0],
        value: () => boxes.filter((b) => b.checked).map((b) => b.value),
        setError(text) {
            message.textContent = text || '';
            wrapper.classList.toggle('invalid', Boolean(text));
        },
        check() {
            f.setError(null);
            return true;
        },
    };
    return f;
}

/**
 * A form of fields: on submit every field is checked, then onSubmit runs; a 400 from the server
 * is shown next to the field it names, anything else above the buttons.
 */
export function form(fields, onSubmit, { submitLabel = t('common.save'), test, extra = [] } = {}) {
    const banner = h('div', { class: 'form-banner', 'data-test': test ? `${test}-error` : 'form-error' });
    const submit = h('button', { class: 'btn btn-primary', type: 'submit', 'data-test': test ? `${test}-submit` : 'submit' }, submitLabel);
    const el = h('form', { class: 'form', noValidate: true, 'data-test': test },
        fields.map((f) => f.el), extra, banner, h('div', { class: 'form-actions' }, submit));
    el.addEventListener('submit', async (event) => {
        event.preventDefault();
        banner.replaceChildren();
        const ok = fields.map((f) => f.check(true)).every(Boolean);
        if (!ok) {
            return;
        }
        submit.disabled = true;
        try {
            await onSubmit(Object.fromEntries(fields.map((f) => [f.name, f.value()])));
        } catch (error) {
            showError(error, fields, banner);
        } finally {
            submit.disabled = false;
        }
    });
    return el;
}

export function showError(error, fields, banner) {
    const target = error?.field && fields.find((f) => f.name === error.field);
    if (target) {
        target.setError(error.message);
        target.input.focus();
    } else {
        banner.replaceChildren(notice(error?.status === 0 ? t('error.network') : t('error.generic', { msg: error?.message ?? error }), 'error'));
    }
}

// ---------------------------------------------------------------------------------------------
// Confirmation of destructive actions

/** Asks in a modal dialog; resolves true when the user confirms. */
export function confirmAction(message, confirmLabel) {
    return new Promise((resolve) => {
        const dialog = h('dialog', { class: 'dialog', 'data-test': 'confirm-dialog' });
        const close = (answer) => {
            dialog.close();
            dialog.remove();
            resolve(answer);
        };
        dialog.append(
            h('h2', { class: 'dialog-title' }, t('common.confirm')),
            h('p', {}, message),
            h('div', { class: 'dialog-actions' },
                button(t('common.cancel'), () => close(false), { test: 'confirm-cancel' }),
                button(confirmLabel || t('common.confirm'), () => close(true), { kind: 'danger', test: 'confirm-ok' })));
        dialog.addEventListener('cancel', (event) => {
            event.preventDefault();
            close(false);
        });
        document.body.append(dialog);
        dialog.showModal();
    });
}

/** A short message in the corner that fades away. */
export function toast(text, tone = 'success') {
    const el = h('div', { class: `toast toast-${tone}`, role: 'status', 'data-test': 'toast' }, text);
    document.body.append(el);
    setTimeout(() => el.classList.add('hide'), 3500);
    setTimeout(() => el.remove(), 4200);
}

/** Runs an action from a button, showing a failure as a toast. */
export async function attempt(action) {
    try {
        return await action();
    } catch (error) {
        toast(t('error.generic', { msg: error.message }), 'error');
        return undefined;
    }
}
