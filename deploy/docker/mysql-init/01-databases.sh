#!/bin/bash
# First-start initialisation of the docker-compose MySQL: one database per service (utf8mb4_unicode_ci, the
# collation that exists on both MySQL 8.4 and the dev machines' MariaDB 10.11) and one user per service,
# granted only on its own database (ARCHITECTURE.md §7).
#
# The mysql image runs this once, when the data volume is empty (after `docker compose down -v` again). It is
# sourced by the image's entrypoint (or executed, if it has the exec bit), while the server listens on its
# socket only; root's password is already set by then.
#
# The passwords come from the compose environment (OKC_<SERVICE>_DB_PASSWORD, set from .env or the shell). The
# defaults below are LOCAL-ONLY DEVELOPMENT PASSWORDS, the same defaults docker-compose.yml gives the services;
# never use them anywhere else.

okc_sql_string() {
  # Quote a value as a MySQL string literal: escape backslashes and single quotes.
  local v=${1//\\/\\\\}
  printf "'%s'" "${v//\'/\'\'}"
}

okc_root_option_file() {
  # Root's password as a client option file (kept off the command line), as the image's entrypoint does.
  local v=${MYSQL_ROOT_PASSWORD//\\/\\\\}
  printf '[client]\npassword="%s"\n' "${v//\"/\\\"}"
}

okc_db_sql() {
  # database / user name, password
  local name=$1 password
  password=$(okc_sql_string "$2")
  cat <<SQL
CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${name}'@'%' IDENTIFIED BY ${password};
ALTER USER '${name}'@'%' IDENTIFIED BY ${password};
GRANT ALL PRIVILEGES ON \`${name}\`.* TO '${name}'@'%';
SQL
}

{
  okc_db_sql okc_sso    "${OKC_SSO_DB_PASSWORD:-okc-local-sso}"
  okc_db_sql okc_pbx    "${OKC_PBX_DB_PASSWORD:-okc-local-pbx}"
  okc_db_sql okc_focus  "${OKC_FOCUS_DB_PASSWORD:-okc-local-focus}"
  okc_db_sql okc_statix "${OKC_STATIX_DB_PASSWORD:-okc-local-statix}"
  okc_db_sql okc_helper "${OKC_HELPER_DB_PASSWORD:-okc-local-helper}"
  echo 'FLUSH PRIVILEGES;'
} | mysql --defaults-extra-file=<(okc_root_option_file) \
    --protocol=socket --user=root --database=mysql
