"""Worker processes whose parent has died stop quietly, without a traceback.

Imported only in the forkserver that ``evx.parallel`` starts (its preload list), so it
changes nothing in the process that runs ``evx``. A worker forked from that server first
reads its start-up data (the pickled rule set) from the parent; when the parent is
killed meanwhile (SIGKILL, the OOM killer, a closed terminal), that read fails and the
standard library would print the traceback of a truncated pickle or a broken pipe for
every worker. Those errors mean only that there is no one left to work for; any other
error still prints in full.
"""

from __future__ import annotations

import pickle
import sys
from types import TracebackType

_PARENT_GONE = (EOFError, BrokenPipeError, ConnectionResetError, pickle.UnpicklingError)
_default = sys.excepthook


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, _PARENT_GONE):
        return
    _default(kind, value, tb)


sys.excepthook = _excepthook
