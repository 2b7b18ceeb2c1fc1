"""A one-line progress bar on stderr, drawn only when stderr is a terminal (never into
logs, pipes or CI output)."""

import sys
import threading


class Bar:
    def __init__(self, total: int, stream=None, width: int = 24):
        self.total, self.done, self.width = max(total, 1), 0, width
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self._lock = threading.Lock()

    def advance(self, label: str) -> None:
        with self._lock:
            self.done += 1
            if self.shown:
                filled = self.width * self.done // self.total
                line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {label}"
                self.stream.write(line[:100].ljust(100))
                self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()
