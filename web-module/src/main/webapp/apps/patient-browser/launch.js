// EHR launch (SMART App Launch 2 §2.0.4): the EHR opens launch.html?iss=<FHIR base>&launch=<handle>;
// the app asks that server to authorize it with the launch handle and comes back to index.html,
// whose token response then carries the patient the EHR launched it for.

import { appUrl, authorize, loadSettings, rememberServer } from './smart.js';
import { errorBox, h } from './ui.js';

const status = document.getElementById('launch-status');

async function launch() {
    const query = new URLSearchParams(window.location.search);
    if (!query.get('iss') || !query.get('launch')) {
        throw new Error('An EHR launch needs iss (the FHIR server) and launch (the launch handle) in the address, e.g. launch.html?iss=https://ehr.example.org/fhir/r4&launch=abc.');
    }
    rememberServer(query);
    const settings = await loadSettings();
    status.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), `Connecting to ${settings.iss}…`);
    await authorize({ iss: settings.iss, clientId: settings.clientId, scope: settings.launchScope, launch: query.get('launch') });
}

launch().catch((error) => {
    status.replaceWith(errorBox(error), h('p', {}, h('a', { href: appUrl(), 'data-testid': 'open-app' }, 'Open the app instead')));
});
