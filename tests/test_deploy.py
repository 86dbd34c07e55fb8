"""The files of deploy/ as the tools that read them see them (README,
"Deployment"): nginx's site through `nginx -t`, the systemd units through
`systemd-analyze verify`, gunicorn's settings through gunicorn itself. Each
is checked on a copy whose paths point into this checkout; a tool that is
not installed skips its test."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("pressroom*.*"))


def tool(name):
    path = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
    if path is None:
        pytest.skip(f"{name} not found: apt-get install {'nginx' if name == 'nginx' else 'systemd'}")
    return path


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = tool("nginx")
    # A self-signed pair where the site expects the certificate.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=press.example.org",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "pressroom.conf").read_text()
    site = site.replace("/etc/ssl/certs/press.example.org.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/private/press.example.org.key", str(tmp_path / "key.pem"))
    site = site.replace("/etc/nginx/snippets/pressroom-proxy.conf", str(DEPLOY / "nginx" / "pressroom-proxy.conf"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    systemd_analyze = tool("systemd-analyze")
    venv_bin = Path(sys.executable).parent
    for unit in UNITS:
        text = (
            unit.read_text()
            .replace("/srv/pressroom/.venv/bin/", f"{venv_bin}/")
            .replace("/srv/pressroom", str(settings.BASE_DIR))
        )
        text = re.sub(r"^(User|Group)=pressroom$", r"\1=root", text, flags=re.MULTILINE)
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *(str(tmp_path / unit.name) for unit in UNITS)],
        capture_output=True, text=True,
    )  # fmt: skip
    # Complaints about the machine (no systemd running here) are not about the units.
    complaints = [line for line in result.stderr.splitlines() if tmp_path.name in line or "pressroom" in line]
    assert complaints == []


def test_gunicorn_reads_its_settings():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [gunicorn, "-c", str(DEPLOY / "gunicorn.conf.py"), "--check-config", "--print-config", "pressroom.wsgi"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, env={**os.environ, "GUNICORN_WORKERS": "3"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert re.search(r"^workers\s+= 3$", result.stdout, flags=re.MULTILINE)
    assert re.search(r"^max_requests\s+= 2000$", result.stdout, flags=re.MULTILINE)
