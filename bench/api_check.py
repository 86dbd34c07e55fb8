"""`make api-check`: the live API against its own schema (issue 20).

Migrates a database of its own (a fresh SQLite file; DATABASE_URL for
another), loads the demo content, starts gunicorn on the production
settings on API_CHECK_PORT, and runs Schemathesis on the schema the server
itself serves (/api/v1/schema/): every operation, every check (server
errors, documented status codes, content types and headers, response
schemas, invalid input refused and valid input accepted, unsupported
methods), in every phase (examples, coverage, fuzzing, and stateful
sequences following the schema's links), with the one excuse of
bench/api_check_hooks.py (a made-up cursor is refused). Schemathesis sends
a token of its own where the schema offers one. Exits with Schemathesis's status:
non-zero on any failure.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import servers

API_CHECK_PORT = 17250
ROOT = Path(__file__).resolve().parent.parent
ISSUE_TOKEN = "from api.models import ApiToken; print(ApiToken(name='make api-check').issue(user=None))"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.api_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50, help="test cases per operation and phase")
    parser.add_argument("--port", type=int, default=API_CHECK_PORT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pressroom-api-check-") as folder:
        environment = servers.environment(
            DJANGO_SETTINGS_MODULE="pressroom.settings.main",
            DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/api-check.sqlite3",
            DEBUG="0",
            PRESSROOM_DEMO_APP="1",
            SECRET_KEY=secrets.token_urlsafe(50),
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=f"http://127.0.0.1:{args.port}",
            MEDIA_ROOT=f"{folder}/media",
            DOCUMENTS_ROOT=f"{folder}/documents",
            CELERY_BROKER_URL=f"filesystem://{folder}/queue",
            # Schemathesis sends thousands of requests from one address.
            PRESSROOM_API_RATE_LIMIT_REQUESTS="0",
            PRESSROOM_API_TOKEN_RATE_LIMIT_REQUESTS="0",
            REDIS_URL=None,
        )
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_demo"]):
            subprocess.run([sys.executable, "manage.py", *command], env=environment, cwd=ROOT, check=True)
        # A trusted tool's token, which Schemathesis sends where the schema
        # offers it (schemathesis.toml, [auth.openapi.apiToken]).
        token = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", ISSUE_TOKEN],
            env=environment,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        server = servers.Gunicorn(
            "pressroom.wsgi", port=args.port, workers=2, environment=environment, log_dir=folder, name="api-check"
        )
        with server:
            result = subprocess.run(
                [
                    str(Path(sys.executable).with_name("schemathesis")),
                    f"--config-file={Path(__file__).with_name('schemathesis.toml')}",
                    "run",
                    f"{server.origin}/api/v1/schema/?format=json",
                    "--checks=all",
                    "--phases=examples,coverage,fuzzing,stateful",
                    f"--max-examples={args.max_examples}",
                    "--workers=2",
                    "--request-timeout=30",
                    "--generation-database=none",
                    "--no-color",
                ],
                cwd=folder,
                env=servers.environment(
                    SCHEMATHESIS_HOOKS="bench.api_check_hooks", PYTHONPATH=str(ROOT), API_CHECK_TOKEN=token
                ),
            )
        if result.returncode:
            print((Path(folder) / "api-check-error.log").read_text()[-5000:], file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
