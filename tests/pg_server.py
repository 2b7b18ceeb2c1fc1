"""A real PostgreSQL server for the store tests: the machine's PostgreSQL binaries
(initdb, pg_ctl; .ci/run installs Debian's `postgresql`), a fresh cluster in a temporary
directory listening on a random loopback port, password authentication (scram-sha-256),
run as the `postgres` user when the tests run as root (PostgreSQL refuses root). One
server per test process, started on first use and stopped at exit; each test gets a
database of its own. Without the binaries the tests that need it are skipped, never passed."""

import atexit
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

USER = "genmei"
_server = None


def find_bin(name: str) -> str | None:
    """PATH first, then Debian's /usr/lib/postgresql/<version>/bin (newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def available() -> bool:
    return all(find_bin(n) for n in ("initdb", "pg_ctl", "postgres"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="genmei-pg-")
        self.data = os.path.join(self.root, "data")
        self.password = secrets.token_hex(12)
        self.as_user = []
        if os.geteuid() == 0:
            pg = pwd.getpwnam("postgres")
            os.chown(self.root, pg.pw_uid, pg.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        pwfile = os.path.join(self.root, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        if self.as_user:
            os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
        self._run(find_bin("initdb"), "-D", self.data, "-U", USER, "--pwfile", pwfile, "--auth", "scram-sha-256",
                  "-E", "UTF8", "--locale", "C")
        for attempt in range(5):
            self.port = _free_port()
            opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=60"
            proc = subprocess.run([*self.as_user, find_bin("pg_ctl"), "-D", self.data, "-o", opts, "-w", "-t", "60",
                                   "-l", os.path.join(self.root, "log"), "start"], capture_output=True, text=True)
            if proc.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"pg_ctl start failed: {proc.stderr}{self.log()}")
        self._n = 0

    def _run(self, *cmd):
        proc = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"{cmd[0]} failed: {proc.stdout}{proc.stderr}")

    def log(self) -> str:
        try:
            with open(os.path.join(self.root, "log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def url(self, database: str = "postgres", password: bool = True) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its URL (with the password)."""
        import psycopg

        self._n += 1
        name = f"t{os.getpid()}_{self._n}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self):
        subprocess.run([*self.as_user, find_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def server() -> Server:
    global _server
    if _server is None:
        _server = Server()
        atexit.register(_server.stop)
    return _server
