"""The Open edX course export: valid for olxcleaner, faithful to the sources, deterministic, and
stable in its url_names across releases."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from olxcleaner import validate
from xblock.test.toy_runtime import ToyRuntime

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.olx import archive_name, build_olx
from curriculum_quiz import model as quizmodel

REPO = Path(__file__).parent.parent.parent
ALLOWED = ["curriculum_quiz"]


def load(root: Path):
    report = Report()
    curriculum = checks.check(root, report)
    assert curriculum is not None and not report.errors, report.sorted()[:5]
    return curriculum


@pytest.fixture
def course_root(mini: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", mini / "mkdocs.yml")
    return mini


def extract(archive: Path, dest: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    return dest / "course"


def olxcleaner_errors(course_dir: Path) -> list[str]:
    _, errors, _ = validate(str(course_dir), steps=8, allowed_xblocks=ALLOWED)
    return [f"{e.level.name} {type(e).__name__}: {e.description}" for e in errors.errors]


@pytest.mark.parametrize("quiz_format", ["xblock", "capa"])
def test_fixture_exports_validate(course_root: Path, tmp_path: Path, quiz_format: str):
    curriculum = load(course_root)
    archives = build_olx(curriculum, tmp_path / "olx", ["en", "zh-TW"], quiz_format)
    assert [a.name for a in archives] == ["TSHS-MINI101-2026.tar.gz", "TSHS-MINI101-2026-zh-TW.tar.gz"]
    for archive in archives:
        assert olxcleaner_errors(extract(archive, tmp_path / archive.stem)) == []


def test_bundled_curriculum_exports_validate(tmp_path: Path):
    report = Report()
    curriculum = checks.check(REPO, report)
    if report.errors:  # the bundled curriculum must always check clean; never skip its export
        pytest.fail("the bundled curriculum has errors:\n" + "\n".join(d.text() for d in report.sorted()[:10]))
    for quiz_format in ("xblock", "capa"):
        archives = build_olx(curriculum, tmp_path / quiz_format, curriculum.programme.languages, quiz_format)
        for archive in archives:
            assert olxcleaner_errors(extract(archive, tmp_path / f"{quiz_format}-{archive.stem}")) == [], archive.name


def test_structure_and_graded_exam(course_root: Path, tmp_path: Path):
    curriculum = load(course_root)
    course = extract(build_olx(curriculum, tmp_path / "olx", ["en"])[0], tmp_path / "x")
    assert ET.parse(course / "course.xml").getroot().attrib == {"url_name": "2026", "org": "TSHS", "course": "MINI101"}
    chapters = [c.get("url_name") for c in ET.parse(course / "course/2026.xml").getroot()]
    assert chapters == ["domain_informatics", "domain_ai"]
    ai = [s.get("url_name") for s in ET.parse(course / "chapter/domain_ai.xml").getroot()]
    assert ai == ["module_ai-fundamentals", "exam_ai-domain-exam"]  # the exam follows its module's lectures
    exam = ET.parse(course / "sequential/exam_ai-domain-exam.xml").getroot()
    assert exam.get("graded") == "true" and exam.get("format") == "Quiz"
    module = ET.parse(course / "sequential/module_ai-fundamentals.xml").getroot()
    assert module.get("graded") is None
    unit = ET.parse(course / "vertical/lecture_ai-models.xml").getroot()
    assert [c.tag for c in unit] == ["html", "curriculum_quiz"]  # the exam is not in the lecture's unit
    html = (course / "html/text_ai-models.html").read_text()
    assert html.index("Learning objectives") < html.index("Prediction models") < html.index("References")
    assert '<a class="cmio-cite" href="#cmio-ref-1"' in html
    assert 'href="/jump_to_id/lecture_inf-intro"' in html
    policy = json.loads((course / "policies/2026/policy.json").read_text())["course/2026"]
    assert policy["advanced_modules"] == ["curriculum_quiz"]
    assert policy["course_image"] == "course_image.png" and (course / "static/course_image.png").is_file()
    grading = json.loads((course / "policies/2026/grading_policy.json").read_text())
    assert grading["GRADE_CUTOFFS"] == {"Pass": 0.7}
    assert grading["GRADER"][0]["type"] == "Quiz" and grading["GRADER"][0]["min_count"] == 1
    assert (course / "about/short_description.html").is_file() and (course / "about/overview.html").is_file()


def test_every_xblock_element_parses_into_a_block_holding_its_source_quiz(course_root: Path, tmp_path: Path):
    curriculum = load(course_root)
    for language in ("en", "zh-TW"):
        course = extract(build_olx(curriculum, tmp_path / language, [language])[0], tmp_path / f"x-{language}")
        expected = {lecture.quizzes[i].id: lecture.quiz_in(language, i)
                    for lecture in curriculum.lectures.values() for i in range(len(lecture.quizzes))}
        found = {}
        for unit in (course / "vertical").glob("*.xml"):
            for element in ET.parse(unit).getroot().iter("curriculum_quiz"):
                runtime = ToyRuntime()
                block = runtime.get_block(runtime.parse_xml_string(ET.tostring(element, encoding="unicode")))
                found[block.quiz["id"]] = block.quiz
                translated = language in curriculum.lectures[block.lecture_id].translations
                assert block.language == (language if translated else "en")  # the language of the quiz's text
                assert block.lecture_version == curriculum.lectures[block.lecture_id].version
        assert found == expected
    assert found["ai-models-check"]["title"] == "自我評量"
    assert found["ai-models-check"]["questions"][0]["choices"][1]["correct"] is True  # answers from the source


def test_capa_problems_match_their_source(course_root: Path, tmp_path: Path):
    curriculum = load(course_root)
    course = extract(build_olx(curriculum, tmp_path / "olx", ["en"], "capa")[0], tmp_path / "x")
    quiz = curriculum.lectures["ai-models"].quizzes[0].data
    problem = ET.parse(course / "problem/quiz_ai-models-check.xml").getroot()
    responses = [e for e in problem if e.tag.endswith("response")]
    questions = quizmodel.questions(quiz)
    assert len(responses) == len(questions)
    for response, question in zip(responses, questions, strict=True):
        kind = question["type"]
        if kind == "single":
            assert response.tag == "multiplechoiceresponse"
            choices = response.findall("choicegroup/choice")
            assert [c.get("correct") == "true" for c in choices] == [c.get("correct") is True for c in question["choices"]]
            assert [c.find("choicehint").text for c in choices] == [c["feedback"] for c in question["choices"]]
        elif kind == "multiple":
            assert response.tag == "choiceresponse" and response.get("partial_credit") == "EDC"
            assert [c.get("correct") == "true" for c in response.findall("checkboxgroup/choice")] == \
                [c.get("correct") is True for c in question["choices"]]
        elif kind == "numeric":
            assert response.tag == "numericalresponse"
            assert float(response.get("answer")) == question["answer"]
            assert float(response.find("responseparam").get("default")) == question["tolerance"]
        elif kind == "text":
            assert response.tag == "stringresponse" and response.get("type") == "ci"
            assert [response.get("answer")] + [a.get("answer") for a in response.findall("additional_answer")] == \
                question["answers"]
        elif kind == "ordering":
            assert response.tag == "optionresponse"
            for select in response.findall("optioninput"):
                item = select.get("label").removeprefix("Position of ")
                correct = [o.text for o in select if o.get("correct") == "True"]
                assert correct == [str(question["items"].index(item) + 1)]
        elif kind == "matching":
            pairs = dict(question["pairs"])
            for select in response.findall("optioninput"):
                assert [o.text for o in select if o.get("correct") == "True"] == [pairs[select.get("label")]]
    assert [h.text for h in problem.findall("demandhint/hint")] == ["1. Look at the output."]
    assert "Prediction models map inputs to a score" in ET.tostring(problem.find("solution"), encoding="unicode")
    exam = ET.parse(course / "problem/quiz_ai-domain-exam.xml").getroot()
    assert exam.get("max_attempts") == "2"
    tf = exam.findall("multiplechoiceresponse")[1]
    assert [c.text for c in tf.findall("choicegroup/choice") if c.get("correct") == "true"] == ["True"]


def test_two_builds_are_byte_identical(course_root: Path, tmp_path: Path, monkeypatch):
    curriculum = load(course_root)
    digests = []
    for n in range(2):
        archives = build_olx(curriculum, tmp_path / f"b{n}", ["en", "zh-TW"])
        digests.append([hashlib.sha256(a.read_bytes()).hexdigest() for a in archives])
    assert digests[0] == digests[1]
    with tarfile.open(tmp_path / "b0" / archive_name(curriculum, "en")) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members if m.isdir()) + sorted(
        m.name for m in members if not m.isdir())
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    raw = (tmp_path / "b0" / archive_name(curriculum, "en")).read_bytes()
    assert raw[4:8] == b"\0\0\0\0", "gzip header mtime is 0"


def test_mtime_comes_from_source_date_epoch(course_root: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    curriculum = load(course_root)
    archive = build_olx(curriculum, tmp_path, ["en"])[0]
    with tarfile.open(archive) as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}


def url_names(archive: Path) -> set[tuple[str, str]]:
    names = set()
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.name.endswith(".xml"):
                root = ET.parse(io.BytesIO(tar.extractfile(member).read())).getroot()
                names.update((e.tag, e.get("url_name")) for e in root.iter() if e.get("url_name"))
    return names


def test_url_names_survive_an_edit_of_the_text(course_root: Path, tmp_path: Path):
    before = url_names(build_olx(load(course_root), tmp_path / "a", ["en"])[0])
    lecture = course_root / "lectures/ai/ai-models.md"
    text = lecture.read_text().replace("What clinical AI models do", "What clinical AI models really do")
    lecture.write_text(text.replace("Prediction models output scores", "Prediction models output risk scores"))
    after = url_names(build_olx(load(course_root), tmp_path / "b", ["en"])[0])
    assert before == after
    assert ("curriculum_quiz", "quiz_ai-models-check") in after
    tags_and_names = [name for _, name in after]
    assert len(tags_and_names) == len(set(tags_and_names)), "url_names are unique across the course"


@pytest.mark.parametrize("link,message", [("img/missing.png", "does not exist"),
                                          ("../../../outside.png", "outside the repository")])
def test_missing_or_escaping_assets_are_refused_and_nothing_is_written(course_root: Path, tmp_path: Path,
                                                                       link: str, message: str):
    (tmp_path / "outside.png").write_bytes(b"png")
    curriculum = load(course_root)
    lecture = curriculum.lectures["inf-intro"]
    lecture.body[0] = lecture.body[0] + f"\n\n![A chart]({link})\n"  # past the checker, as a bug would
    out = tmp_path / "olx"
    with pytest.raises(Exception, match=message):
        build_olx(curriculum, out, ["en", "zh-TW"])
    assert not out.exists() or list(out.iterdir()) == []


def test_images_are_copied_to_static_and_rewritten(course_root: Path, tmp_path: Path):
    (course_root / "lectures/informatics/img").mkdir()
    (course_root / "lectures/informatics/img/org.png").write_bytes((REPO / "curriculum/olx/course_image.png").read_bytes())
    lecture = course_root / "lectures/informatics/inf-intro.md"
    lecture.write_text(lecture.read_text().replace("The CMIO bridges", "![Org chart](img/org.png)\n\nThe CMIO bridges"))
    course = extract(build_olx(load(course_root), tmp_path / "olx", ["en"])[0], tmp_path / "x")
    html = (course / "html/text_inf-intro.html").read_text()
    assert 'src="/static/lectures_informatics_img_org.png"' in html
    assert (course / "static/lectures_informatics_img_org.png").is_file()


def test_cli_builds_both_languages_and_formats(course_root: Path):
    run = [sys.executable, "-m", "curriculum", "build", "olx"]
    result = subprocess.run(run, cwd=course_root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (course_root / "build/olx").iterdir()) == [
        "TSHS-MINI101-2026-zh-TW.tar.gz", "TSHS-MINI101-2026.tar.gz"]
    result = subprocess.run(run + ["--lang", "fr"], cwd=course_root, capture_output=True, text=True)
    assert result.returncode == 2 and "unknown language" in result.stderr
