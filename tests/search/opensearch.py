"""A real OpenSearch cluster started by a test: scripts/opensearch/CarnetOpenSearch.java with the
Java and class path that scripts/with-opensearch.sh exports (CARNET_OPENSEARCH_JAVA,
CARNET_OPENSEARCH_CLASSPATH). Its nodes can be stopped one by one."""

import os
import queue
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.real_services import unavailable

LAUNCHER = Path(__file__).resolve().parents[2] / "scripts" / "opensearch" / "CarnetOpenSearch.java"


class OpenSearchCluster:
    """`with OpenSearchCluster(3) as cluster:` N nodes in one JVM; `cluster.urls`,
    `cluster.stop_node(i)` (asks, without waiting), `cluster.wait_stopped(i)`."""

    def __init__(self, nodes: int, *, heap: str = "1536m", timeout: float = 180):
        self.nodes, self.heap, self.timeout = nodes, heap, timeout
        self.urls: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()

    def __enter__(self):
        java = os.environ.get("CARNET_OPENSEARCH_JAVA")
        classpath_file = os.environ.get("CARNET_OPENSEARCH_CLASSPATH")
        if not (java and classpath_file and Path(classpath_file).is_file()):
            unavailable("no OpenSearch launcher (run under scripts/with-opensearch.sh)")
        self.log = tempfile.NamedTemporaryFile(prefix="carnet-opensearch-", suffix=".log")  # noqa: SIM115 - kept open while the cluster runs
        self.process = subprocess.Popen(  # noqa: S603 - our own launcher
            [
                java,
                f"-Xms{self.heap}",
                f"-Xmx{self.heap}",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                Path(classpath_file).read_text().strip(),
                str(LAUNCHER),
                str(self.nodes),
                "--stdin",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:
            while (line := self._next_line()) != "ready":
                if line.startswith("url "):
                    self.urls.append(line.split()[1])
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def _read(self):
        for line in self.process.stdout:
            self._lines.put(line.strip())
        self._lines.put(None)

    def _next_line(self) -> str:
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            line = None
        if line is None:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"the OpenSearch cluster stopped answering:\n{tail}")
        return line

    def stop_node(self, number: int) -> None:
        self.process.stdin.write(f"stop {number}\n")
        self.process.stdin.flush()

    def wait_stopped(self, number: int) -> None:
        while self._next_line() != f"stopped {number}":
            pass

    def __exit__(self, *exc):
        self.process.stdin.close()  # the launcher stops every node and deletes their data
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
