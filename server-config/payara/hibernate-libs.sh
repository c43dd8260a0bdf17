#!/usr/bin/env bash
# Payara ships EclipseLink, not Hibernate ORM, and the EAR leaves Hibernate to the server (WildFly
# has it). For the EAR on Payara Server, this takes the Hibernate jars the payara WAR packs, to add
# to the domain once:
#   server-config/payara/hibernate-libs.sh web-module/target/bastion-web-*-payara.war hibernate-libs
#   asadmin add-library hibernate-libs/*.jar
set -euo pipefail
war=${1:?usage: hibernate-libs.sh PAYARA_WAR DIR}
dir=${2:?usage: hibernate-libs.sh PAYARA_WAR DIR}
mkdir -p "$dir"
unzip -q -o -j -d "$dir" "$war" 'WEB-INF/lib/hibernate-*.jar' 'WEB-INF/lib/jandex-*.jar' 'WEB-INF/lib/jboss-logging-*.jar' \
  'WEB-INF/lib/byte-buddy-*.jar' 'WEB-INF/lib/classmate-*.jar' 'WEB-INF/lib/antlr4-runtime-*.jar'
ls "$dir"/*.jar
