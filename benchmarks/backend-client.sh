#!/usr/bin/env bash
# An admin-created backend client with system/*.* for the benchmarks: signs in as the admin through
# the console's client (authorization code + PKCE, scope "openid admin"), then registers the client
# with the admin API, since a client that registers itself gets no system/ scopes.
#   benchmarks/backend-client.sh BASE_URL NAME   (BASTION_ADMIN_PASSWORD: the admin's password)
# Prints the admin API's answer: the client's JSON with client_id and client_secret.
set -euo pipefail
base=$1
name=$2
: "${BASTION_ADMIN_PASSWORD:?set BASTION_ADMIN_PASSWORD to the admin password the server was started with}"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
verifier=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
login=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" "$base/oauth2/authorize?response_type=code&client_id=bastion-console&redirect_uri=$base/admin/&scope=openid%20admin&state=b&code_challenge=$challenge&code_challenge_method=S256")
request=${login##*request=}
csrf=$(grep bastion_csrf "$jar" | cut -f7)
next=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -c "$jar" -d "request=$request" -d "csrf=$csrf" -d username=admin \
  --data-urlencode "password=$BASTION_ADMIN_PASSWORD" "$base/oauth2/login")
case "$next" in *consent*) next=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -d "request=$request" -d "csrf=$csrf" \
  -d scope=openid -d scope=admin -d decision=approve "$base/oauth2/consent");; esac
code=$(printf %s "$next" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
admin=$(curl -fsS -d grant_type=authorization_code -d "code=$code" -d "redirect_uri=$base/admin/" -d client_id=bastion-console \
  -d "code_verifier=$verifier" "$base/oauth2/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -fsS -X POST "$base/admin/api/clients" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{\"client_name\":\"$name\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.*\"}"
