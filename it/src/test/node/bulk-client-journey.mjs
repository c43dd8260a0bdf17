// A Bulk Data client others use, unchanged: the Medplum CLI (@medplum/cli from the npm registry)
// exports from Bastion as a backend service (client_credentials), polls the status URL and
// downloads the NDJSON files; their line counts must equal Bastion's search totals.
//
//   BASTION_URL     Bastion's base URL
//   CLIENT_ID       a backend client an admin created, with system/*.rs
//   CLIENT_SECRET   its secret
//
// One line per step, "PASS name" or "FAIL name: reason", then a JSON summary line.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { check, equal, journey } from './journey.mjs';

const BASE = (process.env.BASTION_URL || 'http://localhost:8080').replace(/\/+$/, '');
const { CLIENT_ID, CLIENT_SECRET } = process.env;
const { step, run } = journey({ probeUrl: `${BASE}/fhir/r4/metadata` });

async function total(token, query) {
    const response = await fetch(`${BASE}/fhir/r4/${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
    const body = await response.json();
    check(response.ok, `${query}: ${response.status} ${JSON.stringify(body)}`);
    return body.total;
}

async function main() {
    await step('medplum-bulk-export', [], async () => {
        const home = await mkdtemp(join(tmpdir(), 'medplum-home-'));
        const out = await mkdtemp(join(tmpdir(), 'medplum-export-'));
        const { stdout, stderr } = await promisify(execFile)('node_modules/.bin/medplum', ['bulk', 'export',
            '--auth-type', 'client-credentials', '--base-url', `${BASE}/`, '--fhir-url-path', 'fhir/r4/', '--token-url', 'oauth2/token',
            '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--scope', 'system/*.rs',
            '--types', 'Patient,Observation', '--target-directory', out], { env: { ...process.env, HOME: home }, timeout: 120_000 });
        const files = await readdir(out);
        check(files.length === 2, `the client wrote ${JSON.stringify(files)}; its output: ${stdout} ${stderr}`);
        const token = await fetch(`${BASE}/oauth2/token`, {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
                'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs' }),
        }).then((r) => r.json()).then((b) => b.access_token);
        for (const type of ['Patient', 'Observation']) {
            const file = files.find((f) => f.startsWith(`${type}_`));
            check(file, `no ${type} file among ${JSON.stringify(files)}`);
            const lines = (await readFile(join(out, file), 'utf8')).split('\n').filter((l) => l.trim());
            for (const line of lines) {
                equal(JSON.parse(line).resourceType, type, `a line of ${file}`);
            }
            equal(lines.length, await total(token, `${type}?_summary=count`), `${type} lines against the search total`);
        }
    });
}

await run(async () => ({ close: async () => {} }), main);
