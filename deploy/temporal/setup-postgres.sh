#!/bin/sh
# Temporal's databases on PostgreSQL: create them when missing, then bring both schemas up to
# the versions this admin-tools image carries. Run again on every start (and after an upgrade
# of TEMPORAL_VERSION / TEMPORAL_ADMINTOOLS_VERSION): it changes only what is behind.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
schema=/etc/temporal/schema/postgresql/v12
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p 5432 "$@"; }
for database in temporal temporal_visibility; do
  tool --db "$database" create || echo "database $database exists"
done
tool --db temporal setup-schema -v 0.0
tool --db temporal update-schema -d "$schema/temporal/versioned"
tool --db temporal_visibility setup-schema -v 0.0
tool --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo "Temporal schemas are up to date"
