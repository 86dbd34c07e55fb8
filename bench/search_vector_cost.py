"""The cost of building search vectors (issue 15), as SQL for psql: the
formula of migration 0003 (before folding), the function of 0018 (folding,
translate() on the body) and the function the database has now (0019:
replace() and nothing folded where nothing changes), on the same releases,
interleaved, on one core; and a check that the last two give the same
vectors.

    .venv/bin/python -m bench.search_vector_cost [--releases 3000] [--rounds 3] \\
        | psql postgres://postgres@127.0.0.1:5432/<seeded database>
"""

import argparse
from importlib import import_module

OLD_FORMULA = (
    "setweight(to_tsvector(config, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector(config, coalesce(lead, '')), 'B')"
    " || setweight(to_tsvector(config, regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')), 'C')"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folding = import_module("releases.migrations.0018_search_fold_cost").CREATE_FUNCTIONS
    print("\\timing on")
    print("SET max_parallel_workers_per_gather = 0;")
    print(
        "CREATE TEMP TABLE sample AS SELECT language, title, lead, body, CASE language WHEN 'en' THEN 'english'"
        " WHEN 'ru' THEN 'russian' ELSE 'simple' END::regconfig AS config"
        f" FROM releases_release ORDER BY id LIMIT {args.releases};"
    )
    folding = folding.replace("SET LOCAL statement_timeout = 0;", "")
    print(folding.replace("OR REPLACE FUNCTION releases_search_vector", "FUNCTION pg_temp.folding_0018"))
    print(
        "SELECT 'vectors that differ', count(*) FROM sample WHERE"
        " pg_temp.folding_0018(language, title, lead, body) IS DISTINCT FROM"
        " releases_search_vector(language, title, lead, body);"
    )
    for _round in range(args.rounds):
        print(f"SELECT '0003, before folding', sum(length(({OLD_FORMULA})::text)) FROM sample;")
        print("SELECT '0018', sum(length(pg_temp.folding_0018(language, title, lead, body)::text)) FROM sample;")
        print("SELECT 'now', sum(length(releases_search_vector(language, title, lead, body)::text)) FROM sample;")


if __name__ == "__main__":
    main()
