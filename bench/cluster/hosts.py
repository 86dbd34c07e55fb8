"""Test hosts in network namespaces (`ip netns`), each with a veth pair to
one bridge, and the processes that run on them.

Names start with `prc-` and addresses are in 10.217.0.0/24; the bridge
itself (10.217.0.1) is the machine that drives the test, where the SMTP sink
listens. `Network.remove` deletes everything it made, and what a previous
run left behind, whatever happened."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

PREFIX = "prc-"
BRIDGE = f"{PREFIX}br0"
SUBNET = "10.217.0"
DRIVER_ADDRESS = f"{SUBNET}.1"


def run(*command, check=True, **options):
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class Host:
    """One namespace, one address; processes started in it are kept to be
    killed, stopped or restarted by name."""

    def __init__(self, name, number, folder):
        self.name = name
        self.namespace = f"{PREFIX}{name}"
        self.address = f"{SUBNET}.{number}"
        self.folder = Path(folder) / name
        self.processes = {}

    def create(self):
        veth = f"{PREFIX}{self.name}"[:15]
        run("ip", "netns", "add", self.namespace)
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", self.namespace)
        run("ip", "link", "set", veth, "master", BRIDGE, "up")
        run("ip", "-n", self.namespace, "addr", "add", f"{self.address}/24", "dev", "eth0")
        run("ip", "-n", self.namespace, "link", "set", "eth0", "up")
        run("ip", "-n", self.namespace, "link", "set", "lo", "up")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)

    def command(self, *command, user=None):
        prefix = ["ip", "netns", "exec", self.namespace]
        if user:
            prefix += ["runuser", "-u", user, "--"]
        return prefix + [str(part) for part in command]

    def run(self, *command, env=None, user=None, cwd=None, check=True):
        return run(*self.command(*command, user=user), env=env, cwd=cwd, check=check)

    def start(self, key, *command, env=None, user=None, cwd=None):
        """Start `command` in a process group of its own, its output in
        <folder>/<key>.log (appended: a restart keeps what came before)."""
        log = open(self.folder / f"{key}.log", "ab")  # noqa: SIM115 (the process keeps it)
        process = subprocess.Popen(
            self.command(*command, user=user),
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes[key] = process
        return process

    def log(self, key):
        return (self.folder / f"{key}.log").read_text(errors="replace")

    def kill(self, key):
        """SIGKILL to the process and every process it started, as a host
        that dies."""
        process = self.processes[key]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self, key, signum=signal.SIGTERM, timeout=60):
        """Stop as systemd does (its own signal, to the main process), then
        SIGKILL to what is left after `timeout`."""
        process = self.processes[key]
        if process.poll() is None:
            process.send_signal(signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def kill_everything(self):
        for key in list(self.processes):
            self.kill(key)
        # Anything else still in the namespace (started by a process of ours).
        for pid in run("ip", "netns", "pids", self.namespace, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)


class Network:
    def __init__(self, folder, hosts):
        self.folder = Path(folder)
        self.hosts = {name: Host(name, number, folder) for name, number in hosts.items()}

    def __getitem__(self, name):
        return self.hosts[name]

    def create(self):
        self.remove()
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", f"{DRIVER_ADDRESS}/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        for host in self.hosts.values():
            host.create()

    def remove(self):
        for host in self.hosts.values():
            if host.processes:
                host.kill_everything()
        # What a previous run left (a namespace of ours is ours alone).
        for line in run("ip", "netns", "list", check=False).stdout.splitlines():
            namespace = line.split()[0] if line.split() else ""
            if namespace.startswith(PREFIX):
                for pid in run("ip", "netns", "pids", namespace, check=False).stdout.split():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)
                run("ip", "netns", "del", namespace, check=False)
        run("ip", "link", "del", BRIDGE, check=False)
