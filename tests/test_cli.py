"""The `curriculum` command as faculty and CI run it: exit codes, output forms, stats, scaffolding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from curriculum.cli import main
from curriculum.rules import RULES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], capture_output=True, text=True, cwd=cwd)


def break_duration(root: Path) -> None:
    lecture = root / "lectures/informatics/inf-intro.md"
    lecture.write_text(lecture.read_text().replace("duration: 30", "duration: thirty"))


def test_clean_curriculum_exits_0(mini: Path):
    result = run("check", str(mini))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_errors_exit_1_in_the_contract_format(mini: Path):
    break_duration(mini)
    result = run("check", str(mini))
    assert result.returncode == 1
    assert result.stdout.strip() == ("lectures/informatics/inf-intro.md:6:11: error [schema-type] "
                                     "'duration' must be a whole number, not text")


def test_default_path_is_the_current_directory(mini: Path):
    break_duration(mini)
    result = run("check", cwd=mini)
    assert result.returncode == 1
    assert result.stdout.startswith("lectures/informatics/inf-intro.md:6:11: error [schema-type]")


def test_github_format(mini: Path):
    break_duration(mini)
    result = run("check", "--format", "github", str(mini))
    assert result.returncode == 1
    assert result.stdout.strip() == ("::error file=lectures/informatics/inf-intro.md,line=6,col=11,title=schema-type::"
                                     "'duration' must be a whole number, not text")


def test_json_format(mini: Path):
    break_duration(mini)
    result = run("check", "--format", "json", str(mini))
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{"path": "lectures/informatics/inf-intro.md", "line": 6, "col": 11,
                                          "severity": "error", "rule": "schema-type",
                                          "message": "'duration' must be a whole number, not text"}]


def test_strict_turns_warnings_into_errors(mini: Path):
    lecture = mini / "lectures/informatics/inf-intro.md"
    lecture.write_text(lecture.read_text().replace("review_by: 2099-01-01", "review_by: 2020-01-01"))
    assert run("check", str(mini)).returncode == 0
    strict = run("check", "--strict", str(mini))
    assert strict.returncode == 1
    assert "inf-intro.md:8:12: error [review-overdue]" in strict.stdout


def test_usage_errors_exit_2(tmp_path: Path):
    assert run("check", str(tmp_path / "nowhere")).returncode == 2
    assert run("check", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_internal_failure_is_one_line_and_exit_2(mini: Path, monkeypatch, capsys):
    from curriculum import checks

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(checks, "check", explode)
    assert main(["check", str(mini)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "curriculum: internal error: RuntimeError: disk on fire"


def test_no_input_prints_a_traceback(tmp_path: Path):
    root = tmp_path / "c"
    (root / "lectures/ai").mkdir(parents=True)
    (root / "domains").mkdir()
    (root / "programme.yml").write_bytes(b"id: x\n\xff\xfe")
    (root / "domains/ai.yml").write_text("[unclosed")
    (root / "lectures/ai/x.md").write_text("---\n: :\n---\n```quiz\n")
    result = run("check", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "programme.yml:2:1: error [file-encoding]" in result.stdout


def test_rules_lists_every_rule_with_a_description():
    result = run("rules")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(RULES)
    for line in lines:
        rule, description = line.split(maxsplit=1)
        assert rule in RULES and description == RULES[rule]


def test_stats(mini: Path):
    result = run("stats", str(mini))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ai — Artificial Intelligence" in out
    assert "lectures: 2 (published 1, outline 1)" in out
    assert "questions: 8 (single 2, multiple 1, true-false 1, numeric 1, text 1, ordering 1, matching 1)" in out
    assert "quizzes: formative 1, summative 1" in out
    assert "zh-TW translations: 1 of 2 lectures (1 of 1 written), outdated: 0" in out
    total = out.split("\ntotal\n")[1]
    assert "objectives: 4; not assessed: 1" in total  # the outline's: exams assess published lectures only
    assert "lectures: 3 (published 2, outline 1)" in total
    assert "glossary terms: 1" in out


def test_stats_counts_outdated_translations(mini: Path):
    zh = mini / "lectures/ai/ai-models.zh-TW.md"
    zh.write_text(zh.read_text().replace("source_version: 1.1.0", "source_version: 1.0.0"))
    assert "outdated: 1" in run("stats", str(mini)).stdout


def test_new_lecture_writes_a_valid_skeleton_and_keeps_the_domain_file(mini: Path):
    domain = mini / "domains/informatics.yml"
    before = domain.read_text()
    result = run("new", "lecture", "--domain", "informatics", "--module", "inf-basics", "--id", "inf-governance",
                 "--title", 'Clinical IT "governance"', "--root", str(mini))
    assert result.returncode == 0, result.stderr
    after = domain.read_text()
    assert after == before.replace("      - inf-intro\n", "      - inf-intro\n      - inf-governance\n")
    assert "# the first module" in after
    assert (mini / "lectures/informatics/inf-governance.md").is_file()
    check = run("check", "--strict", str(mini))
    assert check.returncode == 0, check.stdout


def test_new_lecture_in_a_flow_list(mini: Path):
    result = run("new", "lecture", "--domain", "ai", "--module", "ai-fundamentals", "--id", "ai-llms",
                 "--title", "LLMs", "--root", str(mini))
    assert result.returncode == 0, result.stderr
    assert "lectures: [ai-models, ai-later, ai-llms]" in (mini / "domains/ai.yml").read_text()
    assert run("check", str(mini)).returncode == 0


def test_new_lecture_refuses_bad_requests(mini: Path):
    base = ["new", "lecture", "--root", str(mini), "--title", "T"]
    for args, message in [
        (["--domain", "nope", "--module", "x", "--id", "a-b"], "no domain 'nope'"),
        (["--domain", "ai", "--module", "nope", "--id", "a-b"], "no module 'nope'"),
        (["--domain", "ai", "--module", "ai-fundamentals", "--id", "ai-models"], "already used"),
        (["--domain", "ai", "--module", "ai-fundamentals", "--id", "Bad_Id"], "must match"),
    ]:
        result = run(*base, *args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert run("check", str(mini)).returncode == 0
