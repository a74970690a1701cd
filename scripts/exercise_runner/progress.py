"""Which exercises the reader has finished: for each, the fingerprint of its files when its tests
last passed. An exercise whose files changed since is not done until its tests pass again."""
import json
from pathlib import Path


class Progress:
    def __init__(self, path):
        self.path = Path(path)
        try:
            self.passed = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.passed = {}

    def is_done(self, exercise):
        return self.passed.get(exercise.id) == exercise.fingerprint()

    def record(self, exercise, fingerprint, passed):
        if passed:
            self.passed[exercise.id] = fingerprint
        else:
            self.passed.pop(exercise.id, None)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.passed, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def next_unfinished(self, exercises):
        return next((exercise for exercise in exercises if not self.is_done(exercise)), None)
