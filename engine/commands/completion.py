"""`genmei completion bash|zsh|fish`: the shell code that completes genmei's commands and
options, to source from the shell's start-up file. It is argcomplete's: the shell asks
genmei itself (with _ARGCOMPLETE set, engine/cli.py) for the words that may come next, so
the completions are always those of the installed genmei, offline."""

import sys

from ..errors import EXIT_OK

SHELLS = ("bash", "zsh", "fish")
HOW = {
    "bash": 'eval "$(genmei completion bash)"        # in ~/.bashrc',
    "zsh": 'eval "$(genmei completion zsh)"         # in ~/.zshrc',
    "fish": "genmei completion fish | source        # in ~/.config/fish/config.fish",
}


def cmd_completion(args) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["genmei"], shell=args.shell))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("completion", help="print the shell code that completes genmei's commands and options",
                       description="Print shell code completing genmei's commands and options:\n  "
                                   + "\n  ".join(HOW.values()))
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(func=cmd_completion)
