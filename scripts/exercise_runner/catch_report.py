"""Runs an exercise's Catch2 test program and says, in plain words, which checks failed.

The program runs with Catch2's XML reporter; each failed assertion becomes a Failure whose text
reads like "response.code should be 200, but it is 404".
"""
import dataclasses
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPERATORS = ("==", "!=", "<=", ">=", "<", ">")
OPERATOR_WORDS = {"==": "be", "!=": "not be", "<=": "be at most", ">=": "be at least", "<": "be less than",
                  ">": "be more than"}
# Catch2's string matchers describe themselves so; the verb is what the value should do.
MATCHER_WORDS = (("not contains: ", "not contain"), ("contains: ", "contain"), ("equals: ", "equal"),
                 ("starts with: ", "start with"), ("ends with: ", "end with"), ("matches ", "match"))


@dataclasses.dataclass
class Failure:
    location: str        # exercises/01-hello/upper/upper_test.cpp:6
    subject: str         # what was checked: "response.code should be 200"
    actual: str          # "but it is 404"; empty when there is nothing to add
    notes: list          # the test's INFO messages and sections around the check


@dataclasses.dataclass
class TestCase:
    name: str
    passed: bool
    failures: list


@dataclasses.dataclass
class Report:
    cases: list
    complete: bool       # the program ran to its end; False when it crashed or hung
    exit_code: int
    log: str             # what the program printed (the server's log lines)

    @property
    def passed(self):
        return self.complete and self.exit_code == 0 and all(case.passed for case in self.cases)


def run(binary, timeout=300):
    """Runs the Catch2 program binary and returns its Report."""
    with tempfile.TemporaryDirectory() as scratch:
        xml_path = Path(scratch) / "report.xml"
        try:
            process = subprocess.run([str(binary), "--reporter", "xml", "--out", str(xml_path)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
            log, exit_code = process.stdout.decode("utf-8", "replace"), process.returncode
        except subprocess.TimeoutExpired as expired:
            log = (expired.output or b"").decode("utf-8", "replace") + f"\n(stopped after {timeout} s)"
            exit_code = -1
        text = xml_path.read_text(encoding="utf-8", errors="replace") if xml_path.exists() else ""
    cases, complete = parse(text)
    return Report(cases, complete and exit_code >= 0, exit_code, log)


def parse(xml_text):
    """The test cases of a Catch2 XML report, and whether the report is whole."""
    try:
        root = ElementTree.fromstring(xml_text)
    except ElementTree.ParseError:
        return cases_of_partial(xml_text), False
    cases = [test_case(element) for element in root.iter("TestCase")]
    return cases, root.find("OverallResults") is not None


def cases_of_partial(xml_text):
    """The test cases that finished before the program stopped (its XML is cut short)."""
    finished = re.findall(r"<TestCase .*?</TestCase>", xml_text, re.S)
    cases = []
    for piece in finished:
        try:
            cases.append(test_case(ElementTree.fromstring(piece)))
        except ElementTree.ParseError:
            pass
    return cases


def test_case(element):
    failures, notes = [], []

    def walk(node, sections):
        nonlocal notes
        for child in node:
            if child.tag == "Info":
                notes.append(text_of(child))
            elif child.tag == "Section":
                walk(child, sections + [child.get("name", "")])
            elif child.tag == "Expression":
                if child.get("success") == "false":
                    failures.append(expression_failure(child, sections + notes))
                notes = []
            elif child.tag in ("Exception", "FatalErrorCondition", "Failure"):
                failures.append(event_failure(child, sections + notes))
                notes = []

    walk(element, [])
    result = element.find("OverallResult")
    passed = result is not None and result.get("success") == "true" and not failures
    return TestCase(element.get("name", ""), passed, failures)


def text_of(element):
    return (element.text or "").strip()


def location(element):
    path = Path(element.get("filename", "?"))
    try:
        path = path.relative_to(ROOT)
    except ValueError:
        pass
    return f"{path}:{element.get('line', '?')}"


def event_failure(element, notes):
    what = {"Exception": "the test stopped on an exception:", "FatalErrorCondition": "the test crashed:",
            "Failure": "failed:"}[element.tag]
    return Failure(location(element), f"{what} {text_of(element)}", "", notes)


def expression_failure(element, notes):
    original = " ".join(text_of(element.find("Original")).split())
    expanded = without_hex(text_of(element.find("Expanded")))
    subject, actual = in_plain_words(element.get("type", ""), original, expanded)
    return Failure(location(element), subject, actual, notes)


def without_hex(expanded):
    """Catch2 writes integers over 255 as "404 (0x194)"; the number alone reads better."""
    return re.sub(r"(-?\d+) \(0x[0-9a-fA-F]+\)", r"\1", expanded)


def in_plain_words(kind, original, expanded):
    """(subject, actual): "response.code should be 200", "but it is 404"."""
    if kind.endswith("_THAT"):
        value, _, _ = split_top_level(original, (",",))
        for description, verb in MATCHER_WORDS:
            index = expanded.find(" " + description)
            if index >= 0:
                expected = expanded[index + 1 + len(description):].strip()
                return f"{value.strip()} should {verb} {expected}", f"but it is {expanded[:index].strip()}"
        return f"{original} failed", f"because {expanded}"
    left, operator, right = split_top_level(original, OPERATORS)
    if operator:
        values = split_expanded(expanded, operator)
        if values:
            left_value, right_value = values
            return f"{left.strip()} should {OPERATOR_WORDS[operator]} {right_value}", f"but it is {left_value}"
        return f"{original} failed", f"because {expanded}"
    if kind.endswith("_FALSE"):
        inner = original[2:-1] if original.startswith("!(") and original.endswith(")") else original
        return f"{inner} should be false", ""
    if expanded in ("false", "true") or expanded == original:
        return f"{original} should be true", ""
    return f"{original} should be true", f"but it is {expanded}"


def split_top_level(text, operators):
    """(left, operator, right) at the first operator outside quotes and brackets, else (text, "", "")."""
    depth, quote, index = 0, None, 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            for operator in operators:
                if text.startswith(operator, index) and not is_other_token(text, index, operator):
                    return text[:index], operator, text[index + len(operator):]
        index += 1
    return text, "", ""


def is_other_token(text, index, operator):
    """Whether the operator found at index is part of <<, >>, -> or a longer comparison."""
    if operator not in ("<", ">"):
        return False
    return text[index + 1:index + 2] in ("<", ">", "=") or text[index - 1:index] in ("<", ">", "-")


def split_expanded(expanded, operator):
    """Catch2 expands "a == b" as "1 == 2", or one value per line when they are long."""
    for separator in (f"\n{operator}\n", f" {operator} "):
        if expanded.count(separator) == 1:
            left, right = expanded.split(separator)
            return left.strip(), right.strip()
    return None


def tail(text, lines=15):
    return "\n".join(text.rstrip().splitlines()[-lines:])

