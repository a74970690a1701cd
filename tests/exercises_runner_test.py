#!/usr/bin/python3
"""scripts/exercises, the exercises' runner, driven as a reader drives it, against the exercise
programs of a real build: the list, a failing starter in plain words, hints, progress, watch
mode, serving, colour on a terminal; and the CTest check that every starter fails.

Usage: tests/exercises_runner_test.py BUILD_DIR (CTest passes the build tree whose exercises ran).
"""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "scripts" / "exercises"
CHECK_STARTER = ROOT / "scripts" / "exercise_runner" / "check_starter.py"
BUILD_DIR = Path(sys.argv.pop(1) if len(sys.argv) > 1 else ROOT / "build" / "dev").resolve()
sys.path.insert(0, str(ROOT / "scripts"))
from exercise_runner import catalog, catch_report  # noqa: E402

EXERCISES = catalog.load(ROOT / "exercises")


def exercise_program(exercise_id, solution=False):
    return catalog.find(EXERCISES, exercise_id).binary(BUILD_DIR, solution)


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="exercises-runner-"))
        self.progress = self.scratch / "progress.json"

    def tearDown(self):
        shutil.rmtree(self.scratch)

    def runner(self, *arguments, exercises_dir=None, build_dir=None, env=None):
        command = [str(RUNNER), "--no-build", "--progress", str(self.progress),
                   "--build-dir", str(build_dir or BUILD_DIR)]
        if exercises_dir:
            command += ["--exercises-dir", str(exercises_dir)]
        return subprocess.run(command + list(arguments), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=300, env=env)

    def reader_copy(self, solved=(), unsolved=()):
        """An exercises folder and a build tree with some exercises: for a solved one, the reader's
        files are the solution's and the reader's program is the solution's program."""
        exercises_dir, build_dir = self.scratch / "exercises", self.scratch / "build"
        rows = []
        for exercise_id in [*solved, *unsolved]:
            source = ROOT / "exercises" / exercise_id
            shutil.copytree(source, exercises_dir / exercise_id)
            if exercise_id in solved:
                shutil.copytree(source / ".solution", exercises_dir / exercise_id, dirs_exist_ok=True)
            program = exercise_program(exercise_id, solution=exercise_id in solved)
            target = catalog.Exercise(exercise_id, exercises_dir / exercise_id).binary(build_dir)
            target.parent.mkdir(parents=True)
            target.symlink_to(program)
            rows.append(f"| [{exercise_id}]({exercise_id}/README.md) | |")
        (exercises_dir / "README.md").write_text("| exercise | |\n| --- | --- |\n" + "\n".join(rows) + "\n")
        return exercises_dir, build_dir

    def test_the_list_shows_every_exercise_in_order_and_marks_the_next(self):
        result = self.runner("--list")
        self.assertEqual(result.returncode, 0, result.stdout)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], f"Exercises: 0 of {len(EXERCISES)} done")
        self.assertEqual([re.search(r"\d\d-\w+/\w+", line)[0] for line in lines[1:]],
                         [exercise.id for exercise in EXERCISES])
        self.assertIn(EXERCISES[0].title, lines[1])
        self.assertGreaterEqual(len(EXERCISES), 12)

    def test_every_exercise_folder_is_listed_and_has_a_hint_and_a_solution(self):
        for exercise in EXERCISES:
            with self.subTest(exercise.id):
                self.assertTrue(exercise.hint(), "README.md has no <details><summary>Hint</summary>")
                self.assertTrue(any((exercise.dir / ".solution").iterdir()))
                self.assertTrue(exercise.binary(BUILD_DIR).exists())

    def test_a_failing_starter_is_told_in_plain_words(self):
        result = self.runner("01-hello/upper")
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("GET /upper/tornado answers TORNADO", result.stdout)
        self.assertIn("response.code should be 200, but it is 404", result.stdout)
        self.assertIn("at exercises/01-hello/upper/upper_test.cpp:", result.stdout)
        self.assertIn("0 of 3 test cases pass. Work in exercises/01-hello/upper/upper.cpp", result.stdout)
        self.assertNotIn("\033[", result.stdout, "no colour when the output is not a terminal")
        self.assertNotIn("<Expression", result.stdout)

    def test_an_exercise_is_found_by_its_name_alone_and_an_unknown_one_is_an_error(self):
        self.assertIn("01-hello/verbs: ", self.runner("verbs").stdout)
        unknown = self.runner("no_such_exercise")
        self.assertEqual(unknown.returncode, 2)
        self.assertIn("no exercise 'no_such_exercise'", unknown.stdout)

    def test_the_hint_is_shown_on_request_for_the_next_exercise_by_default(self):
        result = self.runner("--hint")
        self.assertEqual(result.returncode, 0)
        self.assertIn(f"Hint for {EXERCISES[0].id}", result.stdout)
        self.assertIn(EXERCISES[0].hint().splitlines()[0], result.stdout)
        self.assertNotIn("<details>", result.stdout)
        self.assertIn("Hint for 01-hello/verbs", self.runner("--hint", "verbs").stdout)

    def test_a_passing_exercise_is_done_until_its_files_change(self):
        exercises_dir, build_dir = self.reader_copy(solved=["01-hello/upper"], unsolved=["01-hello/verbs"])
        first = self.runner(exercises_dir=exercises_dir, build_dir=build_dir)
        self.assertEqual(first.returncode, 0, first.stdout)
        self.assertIn("Exercises: 0 of 2 done", first.stdout)
        self.assertIn("01-hello/upper is done!", first.stdout)
        self.assertIn("Next: 01-hello/verbs", first.stdout)

        listed = self.runner("--list", exercises_dir=exercises_dir, build_dir=build_dir)
        self.assertIn("Exercises: 1 of 2 done", listed.stdout)
        following = self.runner(exercises_dir=exercises_dir, build_dir=build_dir)
        self.assertEqual(following.returncode, 1)
        self.assertIn("01-hello/verbs: one resource, several HTTP verbs", following.stdout)

        with open(exercises_dir / "01-hello/upper/upper.cpp", "a") as source:
            source.write("// edited after it passed\n")
        relisted = self.runner("--list", exercises_dir=exercises_dir, build_dir=build_dir)
        self.assertIn("Exercises: 0 of 2 done", relisted.stdout)

    def test_watch_mode_tests_again_when_a_file_of_the_exercise_changes(self):
        exercises_dir, build_dir = self.reader_copy(unsolved=["01-hello/verbs"])
        command = [str(RUNNER), "--no-build", "--progress", str(self.progress), "--build-dir", str(build_dir),
                   "--exercises-dir", str(exercises_dir), "--watch", "verbs"]
        watcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            self.assertIn("watching", read_until(watcher.stdout, "watching"))
            time.sleep(0.5)
            (exercises_dir / "01-hello/verbs/verbs.cpp").write_text("// the reader saved a change\n")
            again = read_until(watcher.stdout, "watching")
            self.assertIn("01-hello/verbs: one resource, several HTTP verbs", again)
        finally:
            watcher.send_signal(signal.SIGINT)
            self.assertEqual(watcher.wait(timeout=30), 0)
            watcher.stdout.close()

    def test_watch_mode_moves_on_to_the_next_exercise_when_one_passes(self):
        exercises_dir, build_dir = self.reader_copy(solved=["01-hello/upper"], unsolved=["01-hello/verbs"])
        command = [str(RUNNER), "--no-build", "--progress", str(self.progress), "--build-dir", str(build_dir),
                   "--exercises-dir", str(exercises_dir), "--watch"]
        watcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output = read_until(watcher.stdout, "watching")
            self.assertIn("01-hello/upper is done!", output)
            self.assertIn("On to 01-hello/verbs.", output)
            self.assertIn("watching exercises/01-hello/verbs for changes", output)
        finally:
            watcher.send_signal(signal.SIGINT)
            self.assertEqual(watcher.wait(timeout=30), 0)
            watcher.stdout.close()

    def test_serve_runs_the_readers_version_on_a_port(self):
        command = [str(RUNNER), "--no-build", "--build-dir", str(BUILD_DIR), "--serve", "upper", "--port=0"]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = re.search(r"serving (http://\S+)", read_until(server.stdout, "serving"))[1]
            with urllib.request.urlopen(url) as response:
                self.assertEqual(response.read().decode(), "Hello, friendly user!")
            with self.assertRaises(urllib.error.HTTPError) as raised:
                urllib.request.urlopen(url + "upper/tornado")
            self.assertEqual(raised.exception.code, 404, "the starter has no /upper route yet")
        finally:
            server.terminate()
            self.assertEqual(server.wait(timeout=30), 0)
            server.stdout.close()

    def test_a_terminal_gets_colour_unless_NO_COLOR_is_set(self):
        self.assertIn("\033[", self.on_a_terminal("--list"))
        self.assertNotIn("\033[", self.on_a_terminal("--list", NO_COLOR="1"))

    def on_a_terminal(self, *arguments, **environment):
        main, child = pty.openpty()
        command = [str(RUNNER), "--no-build", "--progress", str(self.progress), "--build-dir", str(BUILD_DIR),
                   *arguments]
        process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child,
                                   env={**os.environ, **environment})
        os.close(child)
        output = b""
        while True:
            ready, _, _ = select.select([main], [], [], 30)
            try:
                chunk = os.read(main, 4096) if ready else b""
            except OSError:  # the terminal closed: the program ended
                chunk = b""
            if not chunk:
                break
            output += chunk
        os.close(main)
        process.wait(timeout=30)
        return output.decode("utf-8", "replace")


def read_until(stream, needle, timeout=60):
    """What stream says up to and including the first line that holds needle. Reads the file
    descriptor itself, so that nothing waits unseen in a buffer."""
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 1)
        if not ready:
            continue
        chunk = os.read(stream.fileno(), 4096).decode("utf-8", "replace")
        if not chunk:
            break
        text += chunk
        line_end = text.find("\n", text.find(needle))
        if needle in text and line_end >= 0:
            return text
    raise AssertionError(f"no line with {needle!r} within {timeout} s; got:\n{text}")


class StarterCheckTest(unittest.TestCase):
    """The check CTest runs under WILL_FAIL for each exercise: exit 1 when every test case fails."""

    def check(self, program):
        return subprocess.run(["/usr/bin/python3", str(CHECK_STARTER), "01-hello/upper", str(program)],
                              stdout=subprocess.PIPE, text=True, timeout=300)

    def test_the_starter_fails_every_test_case(self):
        result = self.check(exercise_program("01-hello/upper"))
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("all 3 test cases fail on the starter", result.stdout)

    def test_a_program_whose_tests_pass_does_not_pass_for_a_starter(self):
        result = self.check(exercise_program("01-hello/upper", solution=True))
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("GET /upper/tornado answers TORNADO", result.stdout)


class PlainWordsTest(unittest.TestCase):
    """How Catch2's assertions read to a reader (catch_report.in_plain_words)."""

    def test_comparisons(self):
        self.assertEqual(catch_report.in_plain_words("CHECK", "response.code == 200", "404 == 200"),
                         ("response.code should be 200", "but it is 404"))
        self.assertEqual(catch_report.in_plain_words("CHECK", 'a.get("x") != ""', '"" != ""'),
                         ('a.get("x") should not be ""', 'but it is ""'))
        self.assertEqual(catch_report.in_plain_words("REQUIRE", "count >= 3", "1 >= 3"),
                         ("count should be at least 3", "but it is 1"))
        self.assertEqual(catch_report.in_plain_words("CHECK", "body == \"a == b\"", '"x"\n==\n"a == b"'),
                         ('body should be "a == b"', 'but it is "x"'))

    def test_matchers_and_truth(self):
        self.assertEqual(catch_report.in_plain_words("CHECK_THAT", 'page.body, Contains("<h1>")',
                                                     '"<p>hi</p>" contains: "<h1>"'),
                         ('page.body should contain "<h1>"', 'but it is "<p>hi</p>"'))
        self.assertEqual(catch_report.in_plain_words("CHECK_THAT", 'page.body, !Contains("x")',
                                                     '"xyz" not contains: "x"'),
                         ('page.body should not contain "x"', 'but it is "xyz"'))
        self.assertEqual(catch_report.in_plain_words("CHECK", "stats.is_object()", "false"),
                         ("stats.is_object() should be true", ""))
        self.assertEqual(catch_report.in_plain_words("CHECK_FALSE", "!(page.empty())", "!true"),
                         ("page.empty() should be false", ""))

    def test_catch2_hex_suffix_is_dropped(self):
        self.assertEqual(catch_report.without_hex("404 (0x194) == 200"), "404 == 200")


if __name__ == "__main__":
    unittest.main(verbosity=2)
