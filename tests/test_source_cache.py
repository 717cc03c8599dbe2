"""The preview's check keeps each Markdown file's parse between loads (load.SourceCache): a
check with the cache reports what a check without it reports, and a file whose text changed is
parsed again, even when its size and modification time are those it had."""

from __future__ import annotations

import os
from pathlib import Path

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.load import SourceCache

MODELS = "lectures/ai/ai-models.md"
BUNDLED = Path(__file__).resolve().parent.parent  # the repository's own curriculum


def check(root: Path, cache: SourceCache | None = None):
    report = Report()
    curriculum = checks.check(root, report, cache=cache)
    return curriculum, report.sorted()


def test_a_cached_check_reports_what_a_fresh_one_does() -> None:
    cache = SourceCache()
    fresh_model, fresh = check(BUNDLED)
    for _ in range(2):  # the second load reuses every parse
        model, found = check(BUNDLED, cache)
        assert found == fresh
        assert list(model.lectures) == list(fresh_model.lectures)
        for lecture_id, lecture in model.lectures.items():
            other = fresh_model.lectures[lecture_id]
            assert (lecture.body, lecture.module_id, sorted(lecture.translations)) == \
                   (other.body, other.module_id, sorted(other.translations))
            assert [q.data for q in lecture.quizzes] == [q.data for q in other.quizzes]


def test_a_change_with_the_same_size_and_time_is_parsed_again(mini: Path) -> None:
    cache = SourceCache()
    path = mini / MODELS
    model, found = check(mini, cache)
    assert "Prediction models output scores" in model.lectures["ai-models"].body[0]
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("output scores", "output SCORES"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as an edit within one tick of the clock
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    model, _ = check(mini, cache)
    assert "Prediction models output SCORES" in model.lectures["ai-models"].body[0]


def test_a_file_with_errors_is_reported_on_every_load_and_its_fix_is_seen(mini: Path) -> None:
    cache = SourceCache()
    path = mini / MODELS
    good = path.read_text(encoding="utf-8")
    _, clean = check(mini, cache)
    # a quiz fence whose YAML no longer parses, then the same again: reported both times, at its line
    path.write_text(good.replace("mode: formative", "mode: [formative"), encoding="utf-8")
    fence = good.splitlines().index("```quiz") + 1
    expected = check(mini)[1]
    for _ in range(2):
        _, found = check(mini, cache)
        assert found == expected
        assert [(d.rule, d.line > fence) for d in found if d.path == MODELS] == [("yaml-syntax", True)], found
    path.write_text(good, encoding="utf-8")
    assert check(mini, cache)[1] == clean
