"""scripts/exercises: the reader's guide through the exercises (see exercises/README.md).

  scripts/exercises                  the list, done or not; then build and test the next unfinished one
  scripts/exercises NAME             build and test NAME (01-hello/upper, or just upper)
  scripts/exercises --list           the list only
  scripts/exercises --hint [NAME]    the hint for NAME (default: the next unfinished exercise)
  scripts/exercises --watch [NAME]   test again whenever a file of the exercise changes (Ctrl-C stops)
  scripts/exercises --serve [NAME]   serve your version on --port=N (default 8000) for curl or a browser
  scripts/exercises --solution NAME  test the reference solution instead of your work

Options for the project's own tests: --build-dir DIR (default build/dev), --no-build (test what is
built), --exercises-dir DIR (default exercises/), --progress FILE (default exercises/.progress.json).
Exit code: 0 when the exercise passes (or for --list and --hint), 1 when it does not, 2 for a usage error.
"""
import argparse
import os
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from exercise_runner import catch_report  # noqa: E402
from exercise_runner.build import DEFAULT_BUILD_DIR, build  # noqa: E402
from exercise_runner.catalog import ROOT, CatalogError, find, load  # noqa: E402
from exercise_runner.progress import Progress  # noqa: E402
from exercise_runner.terminal import Terminal  # noqa: E402

FAILURES_SHOWN_PER_CASE = 2
MAX_LINES_PER_TEXT = 4  # of a failure's subject or value; longer ones end in …
WATCH_POLL_SECONDS = 0.3


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="scripts/exercises", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     usage="%(prog)s [NAME] [--list | --hint | --watch | --serve | --solution]",
                                     description=__doc__.split("\n\nOptions for")[0])
    parser.add_argument("name", nargs="?", help="an exercise: 01-hello/upper, or upper")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the exercises, done or not")
    mode.add_argument("--hint", action="store_true", help="show the exercise's hint")
    mode.add_argument("--watch", action="store_true", help="test again whenever a file of the exercise changes")
    mode.add_argument("--serve", action="store_true", help="serve your version on --port=N (default 8000)")
    mode.add_argument("--solution", action="store_true", help="test the reference solution instead of your work")
    parser.add_argument("--build-dir", default=str(DEFAULT_BUILD_DIR), help=argparse.SUPPRESS)
    parser.add_argument("--no-build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--exercises-dir", default=str(ROOT / "exercises"), help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    arguments, program_options = parser.parse_known_args(argv)
    if program_options and not arguments.serve:
        parser.error(f"unrecognized arguments: {' '.join(program_options)}")
    if arguments.solution and not arguments.name:
        parser.error("--solution needs the exercise's NAME")
    arguments.program_options = program_options
    return arguments


class Runner:
    def __init__(self, arguments, terminal):
        self.arguments = arguments
        self.out = terminal
        self.exercises = load(arguments.exercises_dir)
        self.progress = Progress(arguments.progress or Path(arguments.exercises_dir) / ".progress.json")

    # --- the list ---

    def show_list(self):
        done = sum(self.progress.is_done(exercise) for exercise in self.exercises)
        upcoming = self.progress.next_unfinished(self.exercises)
        self.out.say(self.out.bold(f"Exercises: {done} of {len(self.exercises)} done"))
        width = max(len(exercise.id) for exercise in self.exercises)
        for exercise in self.exercises:
            line = self.out.fit(f"{exercise.id:<{width}}  {exercise.title}", indent=4)
            if self.progress.is_done(exercise):
                mark, line = self.out.green(self.out.done_mark), self.out.dim(line)
            elif exercise == upcoming:
                mark, line = self.out.yellow(self.out.next_mark), self.out.bold(line)
            else:
                mark = " "
            self.out.say(f"  {mark} {line}")

    # --- one exercise ---

    def run(self, exercise, solution=False):
        """Builds and tests exercise; True when every test passes."""
        self.out.say(self.out.bold(f"{exercise.id}: {exercise.title}"))
        fingerprint = exercise.fingerprint()  # of the files as they are built, not as edited meanwhile
        if not self.arguments.no_build and not self.build(exercise, solution):
            return False
        binary = exercise.binary(self.arguments.build_dir, solution)
        if not binary.exists():
            self.out.say(self.out.red(f"{binary} is not built"))
            return False
        report = catch_report.run(binary)
        self.show_report(exercise, report)
        if not solution:
            self.progress.record(exercise, fingerprint, report.passed)
        if report.passed:
            self.show_success(exercise, solution)
        return report.passed

    def build(self, exercise, solution=False, target=None):
        target = target or exercise.target + ("_solution" if solution else "")
        first = not (Path(self.arguments.build_dir) / "framework" / "libtornado.a").exists()
        self.out.say(self.out.dim("building" + (" (the first build compiles the framework: a few minutes)"
                                                 if first else "") + self.out.ellipsis))
        result = build(target, self.arguments.build_dir, self.out.status)
        self.out.status("")
        if not result.ok:
            self.out.say(self.out.red(f"{self.out.fail_mark} {exercise.id} does not compile yet:"))
            self.out.say(result.errors())
        return result.ok

    def show_report(self, exercise, report):
        passed = sum(case.passed for case in report.cases)
        for case in report.cases:
            if case.passed:
                self.out.say(self.out.green(f"  {self.out.done_mark} ") + self.out.fit(case.name, 4))
                continue
            self.out.say(self.out.red(f"  {self.out.fail_mark} ") + self.out.bold(self.out.fit(case.name, 4)))
            notes_shown = []
            for failure in case.failures[:FAILURES_SHOWN_PER_CASE]:
                self.show_failure(failure, [note for note in failure.notes if note not in notes_shown])
                notes_shown = failure.notes
            hidden = len(case.failures) - FAILURES_SHOWN_PER_CASE
            if hidden > 0:
                self.out.say(self.out.dim(f"      (and {hidden} more failed check{'s' * (hidden > 1)})"))
        if not report.complete:
            self.out.say(self.out.red(f"  {self.out.fail_mark} the tests stopped before the end "
                                      f"(exit code {report.exit_code}); the last lines they printed:"))
            self.out.say("      " + catch_report.tail(report.log).replace("\n", "\n      "))
        if not report.passed:
            self.out.say()
            advice = (f"{passed} of {len(report.cases)} test cases pass. Work in "
                      f"{', '.join(self.starter_files(exercise))}; scripts/exercises --hint {exercise.id} "
                      "shows a hint, --watch tests again on every save.")
            self.out.say("\n".join(textwrap.wrap(advice, self.out.width)))

    def show_failure(self, failure, notes):
        """A failed check; notes are those of its notes not already shown for the check before."""
        indent = "      "
        room = self.out.width - len(indent)
        if failure.actual and len(failure.subject) + len(failure.actual) + 2 <= room:
            self.out.say(f"{indent}{failure.subject}, {self.out.red(failure.actual)}")
        else:
            self.say_wrapped(indent, failure.subject, MAX_LINES_PER_TEXT, lambda text: text)
            self.say_wrapped(indent, failure.actual, MAX_LINES_PER_TEXT, self.out.red)
        for note in notes:
            self.say_wrapped(indent + "note: ", note, 2, self.out.dim)
        self.out.say(self.out.dim(f"{indent}at {failure.location}"))

    def say_wrapped(self, indent, text, max_lines, paint):
        lines = textwrap.wrap(text, self.out.width - len(indent), max_lines=max_lines,
                              placeholder=" " + self.out.ellipsis, drop_whitespace=False)
        for number, line in enumerate(lines):
            self.out.say((indent if number == 0 else " " * len(indent)) + paint(line.strip()))

    def starter_files(self, exercise):
        """The files where the reader works: those that still say TODO, else every starter file."""
        files = [path for path in exercise.reader_files() if not path.name.endswith("_test.cpp")]
        with_todo = [path for path in files if "TODO" in path.read_text(encoding="utf-8", errors="replace")]
        return [str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path) for path in with_todo or files]

    def show_success(self, exercise, solution):
        if solution:
            self.out.say(self.out.green(f"{self.out.done_mark} the reference solution passes"))
            return
        upcoming = self.progress.next_unfinished(self.exercises)
        self.out.say(self.out.green(f"{self.out.done_mark} {exercise.id} is done!"))
        if upcoming:
            self.out.say(f"Next: {upcoming.id}, {upcoming.title} (exercises/{upcoming.id}/README.md)")
        else:
            self.out.say(f"That was the last one: all {len(self.exercises)} exercises are done.")

    # --- the modes ---

    def target(self):
        if self.arguments.name:
            return find(self.exercises, self.arguments.name)
        return self.progress.next_unfinished(self.exercises)

    def hint(self):
        exercise = self.target()
        if not exercise:
            self.out.say("Every exercise is done: no hint needed.")
            return 0
        self.out.say(self.out.bold(f"Hint for {exercise.id}: {exercise.title}"))
        self.out.say(exercise.hint() or "This exercise has no hint; its README.md says what to do.")
        return 0

    def default(self):
        if not self.arguments.name:
            self.show_list()
            self.out.say()
        exercise = self.target()
        if not exercise:
            self.out.say(self.out.green(f"All {len(self.exercises)} exercises are done."))
            return 0
        return 0 if self.run(exercise, self.arguments.solution) else 1

    def serve(self):
        """Builds the reader's version of the exercise as a server and becomes that server."""
        exercise = self.target()
        if not exercise:
            self.out.say("Every exercise is done: name one to serve it.")
            return 0
        if not self.arguments.no_build and not self.build(exercise, target=exercise.target + "_serve"):
            return 1
        program = exercise.server(self.arguments.build_dir)
        self.out.say(self.out.bold(f"{exercise.id}: {exercise.title}"))
        os.execv(program, [str(program), *self.arguments.program_options])

    def watch(self):
        """Tests the exercise, then again after each change to its files; moves on to the next
        unfinished exercise when this one passes, unless it was named."""
        exercise = self.target()
        while exercise:
            passed = self.run(exercise)
            if passed and not self.arguments.name:
                exercise = self.progress.next_unfinished(self.exercises)
                if exercise:
                    self.out.say(f"On to {exercise.id}.\n")
                    continue
                break
            self.out.say(self.out.dim(f"\nwatching exercises/{exercise.id} for changes (Ctrl-C stops){self.out.ellipsis}"))
            self.wait_for_change(exercise)
            self.out.clear()
        self.out.say(self.out.green(f"All {len(self.exercises)} exercises are done."))
        return 0

    def wait_for_change(self, exercise):
        def snapshot():
            try:
                return {path: path.stat().st_mtime_ns for path in exercise.reader_files()}
            except FileNotFoundError:  # a file went away while we looked: that is a change too
                return None
        before = snapshot()
        while snapshot() == before:
            time.sleep(WATCH_POLL_SECONDS)


def main(argv):
    arguments = parse_arguments(argv)
    terminal = Terminal()
    try:
        runner = Runner(arguments, terminal)
        if arguments.list:
            runner.show_list()
            return 0
        if arguments.hint:
            return runner.hint()
        if arguments.watch:
            return runner.watch()
        if arguments.serve:
            return runner.serve()
        return runner.default()
    except CatalogError as error:
        print(f"scripts/exercises: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        terminal.say()
        return 0
    except BrokenPipeError:  # the reader piped the output into head or less and quit it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
