"""Drive a terminal program through a pseudo-terminal and time what it paints.

Times are taken from outside the program: from starting it (or writing a key) to the moment
the terminal receives the text that marks the new frame. Nothing inside the app is patched.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time


class Terminal:
    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        env.pop("CI", None)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program looks at it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.buffer = b""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.buffer += chunk
        return bool(chunk)

    def wait_for(self, pattern: str, timeout: float = 60.0) -> float:
        """Seconds until *pattern* appears in what the program wrote since the last wait."""
        regex = re.compile(pattern.encode())
        deadline = time.perf_counter() + timeout
        while not regex.search(self.buffer):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{pattern!r} did not appear within {timeout} s")
            self._read(0.05)
        found = time.perf_counter()
        self.buffer = b""
        return found

    def drain(self, quiet: float = 0.15) -> None:
        """Read until the program has been silent for *quiet* seconds (its frame is complete)."""
        while self._read(quiet):
            pass
        self.buffer = b""

    def key(self, text: str, pattern: str, timeout: float = 30.0) -> float:
        """Seconds from writing *text* to *pattern* appearing on the terminal."""
        self.buffer = b""
        sent = time.perf_counter()
        os.write(self.fd, text.encode())
        return self.wait_for(pattern, timeout) - sent

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q: Textual's quit
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self._read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)
