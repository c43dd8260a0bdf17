// FHIR R4 data types as people read them: names, identifiers, dates, codes, quantities and
// Observation values. Each function takes what the server sent and never throws on missing parts.

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
/** UCUM codes a clinician writes differently. */
const UNIT_LABELS = { 'mm[Hg]': 'mmHg', 'kg/m2': 'kg/m²', '[degF]': '°F', Cel: '°C', '{beats}/min': '/min' };
/** A UCUM annotation alone ({score}, {#}) counts things: no unit to show. */
const ANNOTATION_ONLY = /^\{[^}]*\}$/;
const MRN = 'MR';

/** The name to show: official, else usual, else the first (R4 HumanName.use). */
function pickName(names) {
    const list = names || [];
    return list.find((n) => n.use === 'official') || list.find((n) => n.use === 'usual') || list[0] || null;
}

/** "Given Family", as a heading says it. */
export function personName(resource) {
    const name = pickName(resource?.name);
    if (!name) {
        return '(no name)';
    }
    return name.text || [...(name.given || []), name.family].filter(Boolean).join(' ') || '(no name)';
}

/** "Family, Given", as a list sorted by family name shows it. */
export function listName(resource) {
    const name = pickName(resource?.name);
    if (!name || (!name.family && !name.given)) {
        return name?.text || '(no name)';
    }
    return [name.family, (name.given || []).join(' ')].filter(Boolean).join(', ');
}

/** The medical record number (identifier type MR, HL7 v2 table 0203), else the first identifier. */
export function mainIdentifier(patient) {
    const identifiers = (patient?.identifier || []).filter((i) => i.value);
    const mrn = identifiers.find((i) => (i.type?.coding || []).some((c) => c.code === MRN));
    if (mrn) {
        return { label: 'MRN', value: mrn.value };
    }
    return identifiers[0] ? { label: 'ID', value: identifiers[0].value } : null;
}

export function genderText(gender) {
    return gender ? gender.charAt(0).toUpperCase() + gender.slice(1) : '—';
}

/**
 * A FHIR date or dateTime. A date alone names a calendar day, not an instant, so it is shown
 * without a time zone shift; a partial date (1980, 1980-05) as far as it goes.
 */
export function formatDate(value) {
    if (!value) {
        return '—';
    }
    if (/^\d{4}$/.test(value)) {
        return value;
    }
    if (/^\d{4}-\d{2}$/.test(value)) {
        return new Date(`${value}-01T00:00:00Z`).toLocaleDateString(undefined, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return new Date(`${value}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
    }
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Seconds since the epoch (a JWT's exp, iat, nbf, auth_time) as a local date and time. */
export function formatEpoch(seconds) {
    return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Whole years of age from a birth date, at deceasedDateTime if given, else today. */
export function age(birthDate, until) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(birthDate || '')) {
        return null;
    }
    const born = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
    const end = until ? new Date(until) : new Date();
    let years = end.getUTCFullYear() - born.getUTCFullYear();
    if (end.getUTCMonth() < born.getUTCMonth() || (end.getUTCMonth() === born.getUTCMonth() && end.getUTCDate() < born.getUTCDate())) {
        years -= 1;
    }
    return years;
}

/** A CodeableConcept: its text, else the first coding's display, else its code. */
export function codeText(concept) {
    if (!concept) {
        return '—';
    }
    const coding = (concept.coding || []).find((c) => c.display) || (concept.coding || [])[0];
    return concept.text || coding?.display || coding?.code || '—';
}

export function unitText(quantity) {
    const unit = quantity?.unit || quantity?.code || '';
    return ANNOTATION_ONLY.test(unit) ? '' : UNIT_LABELS[unit] || unit;
}

export function formatNumber(value) {
    return numberFormat.format(value);
}

export function quantityText(quantity) {
    if (quantity?.value === undefined) {
        return '—';
    }
    return `${quantity.comparator || ''}${formatNumber(quantity.value)} ${unitText(quantity)}`.trim();
}

/** Whether a coding list holds a code (of any system when system is omitted). */
export function hasCode(concept, code, system) {
    return (concept?.coding || []).some((c) => c.code === code && (!system || c.system === system));
}

function valueText(element) {
    if (element.valueQuantity) {
        return quantityText(element.valueQuantity);
    }
    if (element.valueCodeableConcept) {
        return codeText(element.valueCodeableConcept);
    }
    if (element.valueString !== undefined) {
        return element.valueString;
    }
    if (element.valueBoolean !== undefined) {
        return element.valueBoolean ? 'Yes' : 'No';
    }
    if (element.valueInteger !== undefined) {
        return formatNumber(element.valueInteger);
    }
    if (element.valueDateTime) {
        return formatDate(element.valueDateTime);
    }
    if (element.valueRange) {
        return `${quantityText(element.valueRange.low)} – ${quantityText(element.valueRange.high)}`;
    }
    if (element.valueRatio) {
        return `${quantityText(element.valueRatio.numerator)} / ${quantityText(element.valueRatio.denominator)}`;
    }
    return null;
}

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/** An Observation's components as { label, value } (a questionnaire's answers, a panel's parts). */
export function componentValues(observation) {
    return (observation.component || []).map((c) => ({ label: codeText(c.code), value: valueText(c) ?? '—' }));
}

/** An Observation's value; a blood pressure as "120/80 mmHg", other components as "name: value" pairs. */
export function observationValue(observation) {
    const own = valueText(observation);
    if (own !== null) {
        return own;
    }
    const components = observation.component || [];
    const systolic = components.find((c) => hasCode(c.code, SYSTOLIC));
    const diastolic = components.find((c) => hasCode(c.code, DIASTOLIC));
    if (systolic?.valueQuantity && diastolic?.valueQuantity) {
        return `${formatNumber(systolic.valueQuantity.value)}/${formatNumber(diastolic.valueQuantity.value)} ${unitText(systolic.valueQuantity)}`;
    }
    if (components.length) {
        return componentValues(observation).map((c) => `${c.label}: ${c.value}`).join('; ');
    }
    return observation.dataAbsentReason ? `(${codeText(observation.dataAbsentReason)})` : '—';
}

/** When an Observation applies: effective[x], else when it was issued. */
export function observationDate(observation) {
    return observation.effectiveDateTime || observation.effectiveInstant || observation.effectivePeriod?.start || observation.issued || null;
}

export function categoryText(observation) {
    const categories = (observation.category || []).map(codeText).filter((text) => text !== '—');
    return categories.length ? categories.join(', ') : '—';
}
