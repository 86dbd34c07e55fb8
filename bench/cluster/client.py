"""A reader's client through the load balancer, and wrk for load.

Which app host answered a request is read from its gunicorn access log,
where each line ends with the request's X-Request-ID (deploy/gunicorn.conf.py),
the id nginx gave it and the app echoes in its answer."""

import re
import subprocess
import time
import warnings

import requests
import urllib3

from .services import SITE

warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)


class Client:
    def __init__(self, cluster):
        self.cluster = cluster
        self.origin = f"https://{cluster.network['lb'].address}"
        self.session = requests.Session()
        self.session.verify = False
        self.session.headers.update({"Host": SITE})

    def get(self, path, **options):
        options.setdefault("timeout", 30)
        options.setdefault("allow_redirects", False)
        # Per request: a session's own `verify` loses to REQUESTS_CA_BUNDLE.
        options.setdefault("verify", False)
        return self.session.get(self.origin + path, **options)

    def post(self, path, data, **options):
        headers = {"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{path}"}
        return self.session.post(
            self.origin + path, data=data, headers=headers, timeout=30, allow_redirects=False, verify=False
        )

    def served_by(self, response):
        """The app host whose access log holds the response's request id."""
        request_id = response.headers.get("X-Request-ID", "")
        for name in ("app1", "app2"):
            # The access log is written as the response leaves.
            for _ in range(20):
                if request_id and request_id in self.cluster.network[name].log("gunicorn"):
                    return name
                time.sleep(0.05)
        return None

    def get_from(self, host_name, path, *, tries=8):
        """GET `path` through the load balancer until `host_name` answers it."""
        for _ in range(tries):
            response = self.get(path)
            if self.served_by(response) == host_name:
                return response
        raise AssertionError(f"{host_name} never answered {path} in {tries} requests")

    def sign_in(self, username, password):
        form = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        )


def wrk(origin, path, seconds, *, connections=8):
    """Start wrk against the load balancer; `result(process)` reads it."""
    return subprocess.Popen(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-H",
            f"Host: {SITE}",
            origin + path,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wrk_result(process):
    """(requests, failed, summary): failed counts non-2xx/3xx answers and
    socket errors (connect, read, write, timeout)."""
    output, _ = process.communicate(timeout=300)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    failed = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        failed += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        failed += sum(int(number) for number in match.groups())
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    return total, failed, f"{total} requests ({rate}/s), {failed} failed", output
