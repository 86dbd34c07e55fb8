"""gunicorn's settings for an app host (README, "Deployment"); the systemd
unit starts it with `gunicorn -c deploy/gunicorn.conf.py pressroom.wsgi`.
Every value can be changed from the environment of the unit."""

import multiprocessing
import os

bind = os.environ.get("PRESSROOM_BIND", "127.0.0.1:8000")
# Sync workers: a page is CPU and database work, and each worker holds one
# request; two per core plus one keeps the cores busy while others wait on
# the database. Threads only for hosts that wait on slow networks.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request is cut off after 30 s (the database's statement timeout is as
# long); a reload (SIGHUP) or stop lets requests in flight finish for as long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about 2,000 requests, at different times, so
# that no slow growth of memory lasts.
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm"
# The address of the client comes from the proxy's X-Forwarded-For, read by
# the app (PRESSROOM_TRUSTED_PROXIES); gunicorn trusts its scheme header
# only from the load balancer.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The request's id (serving/logs.py) beside each line, to find its log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'


def child_exit(server, worker):
    """A worker's metrics (PROMETHEUS_MULTIPROC_DIR) stop counting when it exits."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
