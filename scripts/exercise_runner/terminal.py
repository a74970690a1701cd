"""Output for a terminal: colour and UTF-8 marks when it is one, plain text when it is not."""
import os
import shutil
import sys


class Terminal:
    def __init__(self, stream=sys.stdout):
        self.stream = stream
        self.is_tty = stream.isatty()
        self.colour = self.is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        unicode = "utf" in (getattr(stream, "encoding", "") or "").lower()
        self.done_mark, self.fail_mark, self.next_mark = ("✓", "✗", "▸") if unicode else ("+", "x", ">")
        self.ellipsis = "…" if unicode else "..."

    @property
    def width(self):
        return max(40, shutil.get_terminal_size((80, 24)).columns)

    def paint(self, text, code):
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def green(self, text):
        return self.paint(text, "32")

    def red(self, text):
        return self.paint(text, "31")

    def yellow(self, text):
        return self.paint(text, "33")

    def bold(self, text):
        return self.paint(text, "1")

    def dim(self, text):
        return self.paint(text, "2")

    def fit(self, text, indent=0):
        """text cut to the terminal's width, for one-line entries."""
        room = self.width - indent
        return text if len(text) <= room else text[:room - len(self.ellipsis)] + self.ellipsis

    def say(self, text=""):
        print(text, file=self.stream, flush=True)

    def status(self, text):
        """Shows text on the current line, in place of the status before; only on a terminal."""
        if self.is_tty:
            self.stream.write("\r\033[K" + self.fit(text))
            self.stream.flush()

    def clear(self):
        if self.is_tty:
            self.stream.write("\033[2J\033[H")
            self.stream.flush()
