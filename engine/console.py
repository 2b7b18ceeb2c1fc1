"""What genmei tells a person on stderr besides its one-line errors: progress, notes and
warnings, at the level set by --quiet, --verbose or --log-level.

- default: progress (and a progress bar) only when stderr is a terminal; notes and
  warnings always;
- --verbose (--log-level info): progress lines even into a pipe or a log, no bar;
- --log-level debug: also the details (each retry, each source's digest);
- --quiet (--log-level error): nothing but errors.

Output on stdout (tables, JSON, CSV) is never affected. The bar is tqdm's, imported only
when one is drawn (`genmei --version` stays light), sized to the terminal by tqdm and
never wider; nothing here is coloured, and the table's colours (engine/render/table.py)
honour NO_COLOR.
"""

import os
import sys
import threading

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
_state = {"level": None}  # None: the default (info on a terminal, warning elsewhere)
_lock = threading.Lock()


def configure(quiet: bool = False, verbose: bool = False, log_level: str | None = None) -> None:
    if log_level:
        _state["level"] = LEVELS[log_level]
    elif quiet:
        _state["level"] = LEVELS["error"]
    elif verbose:
        _state["level"] = LEVELS["info"]
    else:
        _state["level"] = None


def level() -> int:
    if _state["level"] is not None:
        return _state["level"]
    return LEVELS["info"] if _stderr_is_terminal() else LEVELS["warning"]


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _say(message: str) -> None:
    with _lock:
        print(f"genmei: {message}", file=sys.stderr, flush=True)


def debug(message: str) -> None:
    if level() <= LEVELS["debug"]:
        _say(message)


def progress(message: str) -> None:
    """What is being done now: on a terminal, or with --verbose."""
    if level() <= LEVELS["info"]:
        _say(message)


def note(message: str) -> None:
    if level() <= LEVELS["warning"]:
        _say(f"note: {message}")


def warn(message: str) -> None:
    if level() <= LEVELS["warning"]:
        _say(f"warning: {message}")


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass


def bar(total: int, description: str):
    """A progress bar on stderr, only on a terminal and at the default level or more
    (never into logs, pipes or CI output); an object that draws nothing otherwise."""
    if not _stderr_is_terminal() or level() > LEVELS["info"]:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=max(total, 1), desc=f"genmei: {description}", file=sys.stderr, dynamic_ncols=True,
                leave=False, unit="call", disable=None, ascii=os.environ.get("TERM") == "dumb")
