"""The exercises, in the order exercises/README.md lists them, and what each folder holds."""
import dataclasses
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A row of the table in exercises/README.md: | [01-hello/upper](01-hello/upper/README.md) | … |
LISTED = re.compile(r"^\|\s*\[(?P<id>\d\d-[\w-]+/[\w-]+)\]\((?P=id)/README\.md\)\s*\|", re.M)
HINT = re.compile(r"<details>\s*<summary>\s*Hint\s*</summary>(?P<hint>.*?)</details>", re.S | re.I)


class CatalogError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Exercise:
    id: str       # 01-hello/upper
    dir: Path

    @property
    def chapter(self):
        return self.id.split("/")[0]

    @property
    def name(self):
        return self.id.split("/")[1]

    @property
    def target(self):
        """The CMake target that builds the reader's version (exercises/CMakeLists.txt)."""
        return f"exercise_{self.chapter[:2]}_{self.name}"

    def binary(self, build_dir, solution=False):
        suffix = "_solution_test" if solution else "_test"
        return Path(build_dir) / "exercises" / self.id / f"{self.name}{suffix}"

    def server(self, build_dir):
        """The reader's version built as a server (exercises/serve.cpp)."""
        return Path(build_dir) / "exercises" / self.id / self.name

    def readme(self):
        return (self.dir / "README.md").read_text(encoding="utf-8")

    @property
    def title(self):
        """The README's heading without its "01-hello/upper: " prefix."""
        heading = next((line for line in self.readme().splitlines() if line.startswith("# ")), "# ")
        return heading[2:].split(": ", 1)[-1].strip()

    def hint(self):
        match = HINT.search(self.readme())
        return match["hint"].strip() if match else ""

    def reader_files(self):
        """The files the reader works in: everything but the README and the solution."""
        return sorted(path for path in self.dir.rglob("*")
                      if path.is_file() and ".solution" not in path.relative_to(self.dir).parts
                      and path.name != "README.md")

    def fingerprint(self):
        digest = hashlib.sha256()
        for path in self.reader_files():
            digest.update(str(path.relative_to(self.dir)).encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()


def load(exercises_dir):
    """Every exercise, in the README's order; an exercise folder the README misses is an error."""
    exercises_dir = Path(exercises_dir)
    listed = LISTED.findall((exercises_dir / "README.md").read_text(encoding="utf-8"))
    folders = {str(test.parent.relative_to(exercises_dir)) for test in exercises_dir.glob("*/*/*_test.cpp")}
    missing = sorted(folders - set(listed))
    if missing:
        raise CatalogError(f"exercises/README.md does not list {', '.join(missing)}")
    unknown = [exercise_id for exercise_id in listed if exercise_id not in folders]
    if unknown:
        raise CatalogError(f"exercises/README.md lists {', '.join(unknown)}, which has no *_test.cpp")
    return [Exercise(exercise_id, exercises_dir / exercise_id) for exercise_id in listed]


def find(exercises, wanted):
    """The exercise named wanted: its whole id (01-hello/upper) or its name alone (upper)."""
    wanted = wanted.strip("/").removeprefix("exercises/")
    matches = [e for e in exercises if wanted in (e.id, e.name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CatalogError(f"'{wanted}' is in several chapters: {', '.join(e.id for e in matches)}")
    raise CatalogError(f"no exercise '{wanted}' (scripts/exercises --list shows them all)")
