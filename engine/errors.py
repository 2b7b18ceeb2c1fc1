"""Errors that the CLI turns into one-line messages and exit codes.

Exit codes are part of the interface (README, "Exit codes"): 0 ran and nothing at or
above the threshold failed, 1 failures at or above it, 2 usage or input error,
3 engine or collection error.
"""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_ENGINE = 3


class GenmeiError(Exception):
    """An expected failure with a message fit for one line on stderr."""

    exit_code = EXIT_ENGINE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(GenmeiError):
    """Bad user input: a file that is unreadable, malformed or off-schema, a bad option."""

    exit_code = EXIT_INPUT


class EngineError(GenmeiError):
    """The policy engine could not evaluate (compile error, server down, timeout)."""

    exit_code = EXIT_ENGINE


class CollectionError(GenmeiError):
    """Nothing at all could be read from the cloud."""

    exit_code = EXIT_ENGINE
