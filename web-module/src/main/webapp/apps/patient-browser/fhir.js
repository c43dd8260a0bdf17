// Calls to the FHIR server with the session's access token, and the parts of a Bundle the app reads.

/** A FHIR call that failed: the HTTP status (0 when there was no answer) and what the server said. */
export class FhirError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

function outcomeText(body) {
    if (body?.resourceType !== 'OperationOutcome') {
        return null;
    }
    const texts = (body.issue || []).map((issue) => issue.diagnostics || issue.details?.text || issue.code).filter(Boolean);
    return texts.length ? texts.join(' ') : null;
}

/** error_description of a WWW-Authenticate: Bearer challenge (RFC 6750 §3). */
function bearerError(header) {
    return /error_description="((?:[^"\\]|\\.)*)"/.exec(header || '')?.[1] || null;
}

/**
 * A client of one FHIR server. accessToken() gives the current token; renew() a new one (or null)
 * after a 401, so that an expired token is refreshed once before the user has to sign in again.
 */
export function fhirClient(base, { accessToken, renew }) {
    async function send(url, token) {
        try {
            return await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
        } catch (error) {
            throw new FhirError(0, `The FHIR server ${base} could not be reached (${error.message}).`);
        }
    }

    async function get(url) {
        // The token is meant for this server (its aud): it never goes elsewhere, not even to where a Bundle link points.
        if (!url.startsWith(`${base}/`)) {
            throw new FhirError(0, `${url} is not on the FHIR server ${base}; the app does not send its token there.`);
        }
        let response = await send(url, accessToken());
        if (response.status === 401) {
            const token = await renew();
            if (token) {
                response = await send(url, token);
            }
        }
        const body = await response.json().catch(() => null);
        if (!response.ok) {
            throw new FhirError(response.status, outcomeText(body) || bearerError(response.headers.get('www-authenticate'))
                || `The FHIR server answered HTTP ${response.status}.`);
        }
        return body;
    }

    return {
        base,
        read: (type, id) => get(`${base}/${type}/${encodeURIComponent(id)}`),
        search: (type, params) => get(`${base}/${type}?${new URLSearchParams(params)}`),
        /** A Bundle's next or previous link, used as given (search.html#paging). */
        follow: (url) => get(url),
    };
}

/** The URL of a Bundle link (R4 names them next and previous; some servers still say prev). */
export function link(bundle, relation) {
    const names = relation === 'previous' ? ['previous', 'prev'] : [relation];
    return (bundle.link || []).find((l) => names.includes(l.relation))?.url || null;
}

/** The resources of a type in a Bundle (leaving out an OperationOutcome about the search). */
export function entries(bundle, type) {
    return (bundle.entry || []).map((entry) => entry.resource).filter((resource) => resource?.resourceType === type);
}
