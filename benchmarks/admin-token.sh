#!/usr/bin/env bash
# The admin's access token for the benchmarks: signs in as the admin through the console's client
# (authorization code + PKCE, scope "openid admin") and prints the token.
#   benchmarks/admin-token.sh BASE_URL   (BASTION_ADMIN_PASSWORD: the admin's password)
set -euo pipefail
base=$1
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
curl -fsS -d grant_type=authorization_code -d "code=$code" -d "redirect_uri=$base/admin/" -d client_id=bastion-console \
  -d "code_verifier=$verifier" "$base/oauth2/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
