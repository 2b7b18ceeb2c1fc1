"""The AWS collector's progress bar: one step per read unit (account × region × service),
drawn by engine/console.py — on a terminal only, sized to it, never into logs or pipes."""

import threading

from genmei.engine import console


class Bar:
    def __init__(self, total: int):
        self._bar = console.bar(total, "AWS")
        self._lock = threading.Lock()

    def advance(self, label: str) -> None:
        with self._lock:
            self._bar.set_postfix_str(label, refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        self._bar.close()
