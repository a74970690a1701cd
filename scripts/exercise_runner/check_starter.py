#!/usr/bin/python3
"""CTest's check that an exercise's starter fails its tests: a test that cannot fail is no test.

Usage: check_starter.py CHAPTER/NAME TEST_PROGRAM

CTest runs this under WILL_FAIL, so the exit code says whether the starter failed as it must:
  1   every test case failed on an assertion (the check passes)
  0   some test case passed on the starter, or the program crashed (the check fails)
  77  it did not fail, but the reader has edited the starter: their work is not a defect (skipped;
      a clean clone, as in CI, always runs the check)
"""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from exercise_runner import catch_report  # noqa: E402
from exercise_runner.catalog import ROOT  # noqa: E402

FAILED_AS_IT_MUST, DID_NOT_FAIL, SKIPPED = 1, 0, 77


def edited_starter_files(exercise_id):
    """The starter's files that differ from git's HEAD. None outside a git checkout, and none for
    an exercise git does not know yet (a new one: its author is checking it)."""
    folder = f"exercises/{exercise_id}"

    def git(*arguments):
        try:
            result = subprocess.run(["git", *arguments, "--", folder], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        except OSError:
            return []
        return result.stdout.splitlines() if result.returncode == 0 else []

    if not git("ls-files"):
        return []
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=all")]
    return [path for path in changed
            if "/.solution/" not in path and not path.endswith(("_test.cpp", "README.md"))]


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    exercise_id, program = sys.argv[1], sys.argv[2]
    report = catch_report.run(program)
    if not report.complete:
        problem = f"the starter's test program did not run to its end (exit code {report.exit_code}):\n" \
                  + catch_report.tail(report.log)
    else:
        passing = [case.name for case in report.cases if case.passed]
        if report.cases and not passing:
            print(f"{exercise_id}: all {len(report.cases)} test cases fail on the starter, as they must")
            return FAILED_AS_IT_MUST
        problem = "these test cases pass on the starter, so they cannot tell a solved exercise from an " \
                  "unsolved one:\n  " + "\n  ".join(passing or ["(there are no test cases)"])
    edited = edited_starter_files(exercise_id)
    if edited:
        print(f"{exercise_id}: skipped: the starter is edited ({', '.join(edited)}), and {problem}")
        return SKIPPED
    print(f"{exercise_id}: {problem}")
    return DID_NOT_FAIL


if __name__ == "__main__":
    sys.exit(main())
