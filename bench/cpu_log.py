"""gunicorn's hooks in the benchmark's servers (bench/servers.py passes them
with `--config python:bench.cpu_log`): each request's CPU time in the
worker, `time.process_time()` from before the application is called to
after the response is written, appended to the file BENCH_CPU_LOG as
"<path>?<query> <microseconds>". A sync worker serves one request at a
time, so the process's CPU time between the two hooks is the request's."""

import os
import time


def post_fork(server, worker):
    worker.bench_cpu_log = os.open(os.environ["BENCH_CPU_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)


def pre_request(worker, req):
    req.bench_cpu_started = time.process_time()


def post_request(worker, req, environ, resp):
    micros = round((time.process_time() - req.bench_cpu_started) * 1_000_000)
    # One short write with O_APPEND: the two workers' lines never interleave.
    os.write(worker.bench_cpu_log, f"{req.path}?{req.query} {micros}\n".encode())
