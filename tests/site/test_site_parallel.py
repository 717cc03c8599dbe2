"""The site's pages rendered by several processes (curriculum.site.parallel): the same site as
MkDocs' own build of each language, shards that cover every page once, and MkDocs' messages in
the order a build of all pages in one process gives them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.commands import build as mkdocs_build
from sitehelpers import site_copy

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.site.build import PROCESSES_ENV, _mkdocs_log, jieba_dictionary, language_docs, mkdocs_config, write_docs
from curriculum.site.config import read_settings
from curriculum.site.gitdates import last_changes
from curriculum.site.offline import write_offline_search
from curriculum.site.parallel import SHARDS_PER_PROCESS, page_cost, shards

REPO = Path(__file__).resolve().parents[2]


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _mkdocs_own_build(root: Path, out: Path) -> None:
    """Each language built by mkdocs.commands.build.build from the pipeline's pages and configuration,
    the other languages under /<language>/, as `curriculum build site` lays them out."""
    curriculum = checks.check(root, Report()).taught(False)
    settings = read_settings(root)
    dates = last_changes(root)
    jieba_dict = jieba_dictionary(curriculum, out)
    for language in curriculum.programme.languages:
        site_dir = out / "site" if language == curriculum.programme.source_language else out / "lanes" / language
        docs = language_docs(curriculum, settings, language, dates)
        docs_dir = out / "docs" / language
        write_docs(curriculum, docs, docs_dir)
        with _mkdocs_log() as records:
            config = mkdocs_config(curriculum, settings, docs, docs_dir, site_dir, records, jieba_dict=jieba_dict)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build.build(config)
            finally:
                config.plugins.on_shutdown()
            assert records.messages == []
        write_offline_search(site_dir)
    for language in curriculum.programme.languages:
        if language != curriculum.programme.source_language:
            (out / "lanes" / language).rename(out / "site" / language)


@pytest.fixture(scope="module")
def mkdocs_own_site(tmp_path_factory) -> dict[str, bytes]:
    reference = tmp_path_factory.mktemp("reference")
    _mkdocs_own_build(REPO, reference)
    return _tree(reference / "site")


@pytest.mark.parametrize("processes", ["1", "3"])
def test_the_site_is_what_mkdocs_own_build_writes(processes: str, mkdocs_own_site: dict[str, bytes], tmp_path: Path,
                                                  monkeypatch) -> None:
    """The bundled curriculum: every file of both languages byte for byte, whether the pages were
    rendered here or by three workers in 2 x 12 shards of different sizes."""
    monkeypatch.setenv(PROCESSES_ENV, processes)
    assert main(["build", "site", "--root", str(REPO), "--out", str(tmp_path / "parallel")]) == 0
    expected, built = mkdocs_own_site, _tree(tmp_path / "parallel" / "site")
    assert sorted(built) == sorted(expected)
    assert [path for path in expected if built[path] != expected[path]] == []
    assert "zh-TW/search/search_index.json" in built and "lectures/ai/ai-tfda-samd/index.html" in built


def _lane(sizes: list[int], chinese: bool = False) -> SimpleNamespace:
    files = [SimpleNamespace(src_uri=f"p{n}.md") for n in range(len(sizes))]
    return SimpleNamespace(doc_files=files, costs=[page_cost(("中" if chinese else "a") * size) for size in sizes])


def test_a_chinese_character_costs_three() -> None:
    assert page_cost("中文") == page_cost("abcdef") == 7


def test_shards_cover_every_page_once_in_order() -> None:
    lanes = [_lane([100] * 40), _lane([300, 10, 10, 5000, 10] + [50] * 20, chinese=True), _lane([7])]
    plan = shards(lanes, 2)
    for number, lane in enumerate(lanes):
        runs = sorted((s.start, s.stop) for s in plan if s.lane == number)
        assert runs[0][0] == 0 and runs[-1][1] == len(lane.doc_files)
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(runs, runs[1:], strict=False)), runs
    assert len([s for s in plan if s.lane == 0]) == 2 * SHARDS_PER_PROCESS  # even pages: even runs
    assert [s.cost for s in plan] == sorted((s.cost for s in plan), reverse=True), "costliest first"
    for shard in plan:
        assert shard.cost == sum(lanes[shard.lane].costs[shard.start:shard.stop])
    assert max(s.cost for s in plan) >= 5000 * 3, "the long Chinese page makes the costliest shard"


def test_one_process_renders_each_language_in_one_shard_in_order() -> None:
    lanes = [_lane([100] * 40), _lane([5, 5], chinese=True)]
    assert [(s.lane, s.start, s.stop) for s in shards(lanes, 1)] == [(0, 0, 40), (1, 0, 2)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _failed_builds(root: Path, counts: tuple[str, ...], monkeypatch, capsys) -> list[str]:
    """What `curriculum build site` prints with each process count; each must fail, leaving nothing."""
    messages = []
    for processes in counts:
        monkeypatch.setenv(PROCESSES_ENV, processes)
        assert main(["build", "site", "--root", str(root)]) == 2
        messages.append(capsys.readouterr().err)
        assert not (root / "build" / "site").exists()
        assert not list((root / "build").iterdir()), "no temporary folder is left"
    return messages


def test_messages_of_pages_in_several_shards_come_in_the_pages_order(tmp_path: Path, monkeypatch, capsys) -> None:
    """Two broken anchors, in the first and the last lecture MkDocs renders (it takes the files in
    their paths' order; different shards with three workers): one failure naming the first, both
    messages in that order, as with one process."""
    root = site_copy(tmp_path / "curriculum")
    first, last = root / "lectures/ai/ai-models.md", root / "lectures/informatics/inf-intro.md"
    for path, anchor in ((first, "first-missing"), (last, "last-missing")):
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        path.write_text(f"{head}{sep}{body.rstrip()}\n\nSee [below](#{anchor}).\n", encoding="utf-8")
    messages = _failed_builds(root, ("1", "3"), monkeypatch, capsys)
    assert messages[0] == messages[1]
    assert messages[0].index("#first-missing") < messages[0].index("#last-missing"), messages[0]
    assert "lectures/ai/ai-models.md: the en site cannot be built" in messages[0]


def test_a_search_index_of_an_unknown_form_is_refused(tmp_path: Path) -> None:
    """The index is the plugin's settings followed by the shards' entries: a plugin that writes
    another layout stops the build rather than writing a broken index."""
    from curriculum.errors import SiteBuildError
    from curriculum.site.parallel import _write_index

    index = tmp_path / "search_index.json"
    index.write_text('{"docs":[],"config":{"lang":["en"]}}', encoding="utf-8")
    with pytest.raises(SiteBuildError, match="a form this build does not know"):
        _write_index(index, [])
    index.write_text('{"config":{"lang":["en"]},"docs":[]}', encoding="utf-8")
    parts = [tmp_path / "a.json", None, tmp_path / "b.json", tmp_path / "c.json"]
    parts[0].write_text('{"location":"a/"}', encoding="utf-8")
    parts[2].write_text("", encoding="utf-8")  # a shard of pages without entries
    parts[3].write_text('{"location":"c/"},{"location":"c/#x"}', encoding="utf-8")
    _write_index(index, parts)
    assert index.read_text(encoding="utf-8") == \
        '{"config":{"lang":["en"]},"docs":[{"location":"a/"},{"location":"c/"},{"location":"c/#x"}]}'


def test_parallel_and_sequential_builds_write_the_same_site(tmp_path: Path, monkeypatch) -> None:
    root = site_copy(tmp_path / "curriculum")
    trees = []
    for processes in ("1", "2"):
        monkeypatch.setenv(PROCESSES_ENV, processes)
        assert main(["build", "site", "--root", str(root), "--out", str(tmp_path / processes)]) == 0
        trees.append(_tree(tmp_path / processes / "site"))
    assert trees[0] == trees[1]
    assert "zh-TW/lectures/ai/ai-models/index.html" in trees[0]
    assert [p for p in (tmp_path / "2").iterdir()] == [tmp_path / "2" / "site"], "no temporary folder is left"


def test_a_worker_failure_reads_as_the_sequential_build_reports_it(tmp_path: Path, monkeypatch, capsys) -> None:
    root = site_copy(tmp_path / "curriculum")
    _edit(root / "lectures/ai/ai-models.zh-TW.md", "陽性預測值取決於盛行率 [1]。",
         "陽性預測值取決於盛行率 [1]，見[下文](#no-such-section)。")
    messages = _failed_builds(root, ("1", "2"), monkeypatch, capsys)
    assert messages[0] == messages[1]
    assert "curriculum: lectures/ai/ai-models.zh-TW.md: the zh-TW site cannot be built" in messages[0]


def test_a_bad_process_count_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    root = site_copy(tmp_path / "curriculum")
    monkeypatch.setenv(PROCESSES_ENV, "two")
    assert main(["build", "site", "--root", str(root)]) != 0
    assert f"{PROCESSES_ENV} must be a whole number of processes, at least 1 (it is 'two')" in capsys.readouterr().err
