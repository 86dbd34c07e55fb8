#!/bin/bash
# Seeding with the search trigger of each version (issue 15, README
# "Searching in Azerbaijani, Russian and English"): fresh databases
# pr_search_seed_<version>, migrated, the trigger's function of 0003 (before
# folding) or 0018 put back with the reverse SQL of migrations 0017 and
# 0019, then `seed_releases --count N --seed 1` timed; versions in turns
# (ABC CBA). Usage: [PREFIX=pr_search_seed] bench/search_seeding.sh [N, default 20000]
set -e
cd "$(dirname "$0")/.."
count=${1:-20000}
server=postgres://postgres@127.0.0.1:5432
for version in 0003 0018 0019 0019 0018 0003; do
  db=${PREFIX:-pr_search_seed}_$version
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export DEBUG=1 DATABASE_URL=$server/$db
  .venv/bin/python manage.py migrate -v0
  if [ $version != 0019 ]; then
    reverse=$([ $version = 0003 ] && echo 0017_search_folding || echo 0019_search_fold_once)
    .venv/bin/python -c "import importlib; print(importlib.import_module('releases.migrations.$reverse').DROP_FUNCTIONS)" \
      | psql -q "$DATABASE_URL" 2>/dev/null
  fi
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s.%N)
  .venv/bin/python manage.py seed_releases --count "$count" --seed 1 > /dev/null
  echo "$version: $(echo "$(date +%s.%N) - $start" | bc) s (load average before: $load)"
  psql -q "$server/postgres" -c "DROP DATABASE $db"
done
