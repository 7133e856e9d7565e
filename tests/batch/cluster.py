"""A real Ray cluster and a real ChromaDB server on loopback, started and stopped by a test.

The cluster follows the recipe of the design notes: a head on 127.0.0.2 and more nodes on
127.0.0.3, ..., each with its own ``--temp-dir``, a bounded object store and usage stats
off. Every node is a ``ray start --block`` in a session of its own, so stopping the cluster
signals exactly its process groups: never ``ray stop``, which ends every Ray on the machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _processes() -> dict[int, tuple[int, int]]:
    """Every live process: pid -> (parent pid, process group); zombies left out."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if state != "Z":
            table[int(entry)] = (int(ppid), int(pgrp))
    return table


def _group_members(groups: set[int]) -> list[int]:
    """Processes of the process groups ``groups`` and all their descendants (Ray puts each
    worker in a group of its own, under its node's raylet)."""
    table = _processes()
    members = {pid for pid, (_, pgrp) in table.items() if pgrp in groups}
    grew = True
    while grew:
        children = {pid for pid, (ppid, _) in table.items() if ppid in members} - members
        members |= children
        grew = bool(children)
    return sorted(members)


def _stop_groups(groups: set[int], timeout: float = 10.0) -> None:
    """SIGTERM the groups (and their descendants), then SIGKILL whatever is left."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        for pid in _group_members(groups):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _group_members(groups) and time.monotonic() < deadline:
            time.sleep(0.2)


class LoopbackRayCluster:
    """``cpus[0]`` CPUs on a head at 127.0.0.2, one more node per further entry."""

    def __init__(self, cpus: tuple[int, ...] = (1, 1)) -> None:
        self.cpus = cpus
        # Short: Ray's socket paths live under it, and a Unix socket path has 107 bytes.
        self.temp_dir = Path(tempfile.mkdtemp(prefix="rt-", dir="/tmp"))
        self.port = free_port("127.0.0.2")
        self.address = f"127.0.0.2:{self.port}"
        self.nodes: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "RAY_USAGE_STATS_ENABLED": "0",
            # Workers import this checkout's code, whatever else the venv has installed.
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }

    @property
    def groups(self) -> set[int]:
        return {node.pid for node in self.nodes}

    def _start_node(self, index: int, cpus: int) -> None:
        ip = f"127.0.0.{index + 2}"
        args = [str(BIN / "ray"), "start", "--block", f"--node-ip-address={ip}"]
        args += [f"--num-cpus={cpus}", f"--temp-dir={self.temp_dir}", "--disable-usage-stats"]
        args += [
            f"--dashboard-agent-listen-port={free_port(ip)}",
            f"--metrics-export-port={free_port(ip)}",
            f"--runtime-env-agent-port={free_port(ip)}",
        ]
        if index == 0:
            args += ["--head", f"--port={self.port}", "--include-dashboard=false"]
            args += ["--object-store-memory=1000000000"]
            args += [f"--ray-client-server-port={free_port(ip)}"]
            args += [f"--dashboard-port={free_port('127.0.0.1')}"]
        else:
            args += [f"--address={self.address}", "--object-store-memory=500000000"]
        log = (self.temp_dir / f"node{index}.log").open("wb")
        self.nodes.append(
            subprocess.Popen(
                args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    def start(self, timeout: float = 180.0) -> LoopbackRayCluster:
        try:
            self._start_node(0, self.cpus[0])
            self._wait_for_nodes(1, timeout)
            for index, cpus in enumerate(self.cpus[1:], start=1):
                self._start_node(index, cpus)
            self._wait_for_nodes(len(self.cpus), timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for_nodes(self, count: int, timeout: float) -> None:
        probe = (
            "import ray, sys, time\n"
            f"ray.init(address={self.address!r}, logging_level='ERROR', log_to_driver=False)\n"
            f"deadline = time.monotonic() + {timeout}\n"
            f"while sum(n['Alive'] for n in ray.nodes()) < {count}:\n"
            "    if time.monotonic() > deadline: sys.exit(1)\n"
            "    time.sleep(0.5)\n"
        )
        deadline = time.monotonic() + timeout
        while True:
            if any(node.poll() is not None for node in self.nodes):
                raise RuntimeError(f"a Ray node exited; see {self.temp_dir}/node*.log")
            done = subprocess.run(
                [sys.executable, "-c", probe],
                env=self.env,
                capture_output=True,
                timeout=timeout + 30,
            )
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Ray cluster did not come up: {done.stderr[-500:]!r}")
            time.sleep(1)

    def processes_running(self, task_name: str) -> list[int]:
        """This cluster's worker processes now running the task ``task_name``."""
        title = f"ray::{task_name}".encode()
        found = []
        for pid in _group_members(self.groups):
            try:
                argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
            except OSError:
                continue
            if argv0 == title:
                found.append(pid)
        return found

    def alive(self) -> list[int]:
        return _group_members(self.groups)

    def stop(self) -> None:
        _stop_groups(self.groups)
        for node in self.nodes:
            node.wait(timeout=10)
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> LoopbackRayCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ChromaServer:
    """``chroma run`` on 127.0.0.1 with its data under ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        args = [str(BIN / "chroma"), "run", "--path", str(self.path)]
        args += ["--host", "127.0.0.1", "--port", str(self.port)]
        log = (self.path.parent / f"chroma-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"chroma run did not start; see {log.name}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            _stop_groups({self.process.pid})
            self.process.wait(timeout=10)

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
