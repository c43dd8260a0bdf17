#!/usr/bin/env bash
# An admin-created backend client with system/*.* for the benchmarks: signs in as the admin
# (admin-token.sh), then registers the client with the admin API, since a client that registers
# itself gets no system/ scopes.
#   benchmarks/backend-client.sh BASE_URL NAME   (BASTION_ADMIN_PASSWORD: the admin's password)
# Prints the admin API's answer: the client's JSON with client_id and client_secret.
set -euo pipefail
base=$1
name=$2
admin=$("$(cd "$(dirname "$0")" && pwd)/admin-token.sh" "$base")
curl -fsS -X POST "$base/admin/api/clients" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{\"client_name\":\"$name\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.*\"}"
