"""Builds one exercise with CMake, in the dev preset's build tree unless told otherwise."""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUILD_DIR = ROOT / "build" / "dev"
# Progress and summary lines of make ([ 42%]) and of Ninja ([12/80], the dev preset's generator).
PROGRESS_LINE = re.compile(r"^\[\s*\d+%\]|^\[\d+/\d+\]|^(g?make|Consolidate|ninja: build stopped)|^-- ")


class BuildResult:
    def __init__(self, ok, output):
        self.ok = ok
        self.output = output

    def errors(self, limit=40):
        """The compiler's and linker's messages, without progress lines, at most limit lines."""
        lines = [line for line in self.output.splitlines() if line.strip() and not PROGRESS_LINE.match(line)]
        shown = lines[:limit]
        if len(lines) > limit:
            shown.append(f"({len(lines) - limit} more lines)")
        return "\n".join(shown)


def build(target, build_dir, on_progress=None):
    """Configures the dev preset when needed and builds target; on_progress gets each progress line."""
    build_dir = Path(build_dir)
    if not (build_dir / "CMakeCache.txt").exists():
        if build_dir.resolve() != DEFAULT_BUILD_DIR:
            return BuildResult(False, f"{build_dir} is not a CMake build tree")
        configure = subprocess.run(["cmake", "--preset", "dev"], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        if configure.returncode != 0:
            return BuildResult(False, configure.stdout)
    command = ["cmake", "--build", str(build_dir), "--target", target, "-j", str(os.cpu_count() or 2)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace")
    output = []
    for line in process.stdout:
        output.append(line)
        if on_progress and line.startswith("["):
            on_progress(line.strip())
    return BuildResult(process.wait() == 0, "".join(output))
