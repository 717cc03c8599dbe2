"""The `curriculum` command line."""

from __future__ import annotations

import argparse
import ipaddress
import re
import sys
from pathlib import Path

from . import checks, output, stats
from .diagnostics import Report, render
from .errors import UsageError
from .mkdocs_yml import ENGINES
from .rules import RULES

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="curriculum", description="Check and build the CMIO curriculum.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check the curriculum and print findings")
    check.add_argument("path", nargs="?", default=".", help="curriculum root (default: current directory)")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--against", metavar="REF", help="also report what changed since git revision REF and "
                       "would lose learner state (removed ids, unbumped versions)")

    sub.add_parser("rules", help="list every rule id with its description")

    st = sub.add_parser("stats", help="figures per domain")
    st.add_argument("path", nargs="?", default=".")

    build = sub.add_parser("build", help="check, then build outputs into build/")
    build.add_argument("target", nargs="?", choices=("all", "site", "olx", "xblocks"), default="all")
    build.add_argument("--drafts", action="store_true", help="site: also teach draft lectures (a preview for reviewers; "
                       "never for trainees)")
    build.add_argument("--engine", choices=ENGINES, default=None,
                       help="site: the static site generator (default: mkdocs.yml's engine, else mkdocs; zensical "
                       "needs the [zensical] extra, see docs/engines.md)")
    build.add_argument("--root", default=".", help="curriculum root (default: current directory)")
    build.add_argument("--out", default=None, help="output folder (default: <root>/build)")
    build.add_argument("--lang", action="append", help="OLX language(s) to build (default: all)")
    build.add_argument("--quiz-format", choices=("xblock", "capa"), default="xblock",
                       help="OLX quiz components: our XBlock (default) or standard capa problems")

    serve = sub.add_parser("serve", help="live preview of the site, rebuilt when sources change")
    serve.add_argument("--root", default=".", help="curriculum root (default: current directory)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    log = sub.add_parser("changelog", help="what changed between two git revisions")
    log.add_argument("--from", dest="since", required=True, metavar="REF")
    log.add_argument("--to", dest="until", default="HEAD", metavar="REF")
    log.add_argument("--format", choices=("markdown", "json"), default="markdown")
    log.add_argument("--root", default=".", help="curriculum root (default: current directory)")

    rel = sub.add_parser("release", help="set the programme version and prepend the changelog to CHANGELOG.md")
    rel.add_argument("version", metavar="X.Y.Z")
    rel.add_argument("--from", dest="since", default=None, metavar="REF",
                     help="previous release (default: the latest tag, else the first commit)")
    rel.add_argument("--site", action="store_true", help="also deploy the versioned site to the local gh-pages branch")
    rel.add_argument("--root", default=".", help="curriculum root (default: current directory)")

    dep = sub.add_parser("site-deploy", help="build the site and commit it as a version on the gh-pages branch (mike)")
    dep.add_argument("version", metavar="X.Y.Z")
    dep.add_argument("--alias", action="append", default=[], help="alias such as latest (repeatable)")
    dep.add_argument("--branch", default="gh-pages")
    dep.add_argument("--push", action="store_true", help="push the branch to origin afterwards")
    dep.add_argument("--root", default=".", help="curriculum root (default: current directory)")

    ana = sub.add_parser("analyze", help="item analysis of quizzes from LMS problem-responses reports or site progress exports")
    ana.add_argument("inputs", nargs="+", metavar="REPORT.csv",
                     help="Open edX problem responses report(s); a folder is read as site progress exports (*.json)")
    ana.add_argument("--root", default=".", help="curriculum root (default: current directory)")
    ana.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    ana.add_argument("--out", metavar="DIR", help="also write index.html and summary.md into DIR")

    sch = sub.add_parser("schema", help="write JSON Schemas of the authoring format (for editors)")
    sch.add_argument("--out", default="schemas", help="folder to write into (default: schemas)")

    new = sub.add_parser("new", help="create a new item from a skeleton")
    new_sub = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    lecture = new_sub.add_parser("lecture", help="a lecture skeleton, listed in its module")
    lecture.add_argument("--domain", required=True)
    lecture.add_argument("--module", required=True)
    lecture.add_argument("--id", required=True, dest="lecture_id")
    lecture.add_argument("--title", required=True)
    lecture.add_argument("--author", action="append", dest="authors", help="author name (repeatable)")
    lecture.add_argument("--root", default=".", help="curriculum root (default: current directory)")
    translation = new_sub.add_parser("translation", help="a translation skeleton beside a lecture, every text "
                                     "marked as still to translate")
    translation.add_argument("lecture_id", metavar="LECTURE", help="the id of the lecture to translate")
    translation.add_argument("--lang", default=None, help="translation language (default: the first of programme.yml "
                             "languages after the source's, e.g. zh-TW)")
    translation.add_argument("--root", default=".", help="curriculum root (default: current directory)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"curriculum: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # the outputs' temporary folders are already removed on the way here
        print("curriculum: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # one line, never a traceback
        print(f"curriculum: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _root(path: str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path} is not a folder")
    return root


def cmd_check(args: argparse.Namespace) -> int:
    report = Report()
    curriculum = checks.check(_root(args.path), report)
    if args.against and curriculum is not None:
        from . import gitrefs
        from .history import check_against

        try:
            check_against(curriculum, args.against, report)
        except gitrefs.GitError as exc:
            raise UsageError(f"--against {args.against}: {exc}") from None
    findings = report.sorted(strict=args.strict)
    output = render(findings, args.format)
    if output:
        print(output)
    errors = sum(1 for d in findings if d.severity == "error")
    if args.format == "text":
        warnings = len(findings) - errors
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    width = max(map(len, RULES))
    for rule in sorted(RULES):
        print(f"{rule.ljust(width)}  {RULES[rule]}")
    return EXIT_OK


def _checked(path: str, action: str = "building"):
    """The checked curriculum, or None after printing its errors (builds refuse to run on errors)."""
    report = Report()
    curriculum = checks.check(_root(path), report)
    if curriculum is None or report.errors:
        print(render([d for d in report.sorted() if d.severity == "error"], "text"), file=sys.stderr)
        print(f"curriculum: not {action}: the curriculum has errors (see above)", file=sys.stderr)
        return None
    return curriculum


def cmd_build(args: argparse.Namespace) -> int:
    curriculum = _checked(args.root)
    if curriculum is None:
        return EXIT_ERRORS
    out = Path(args.out) if args.out else curriculum.root / "build"
    targets = ("xblocks", "site", "olx") if args.target == "all" else (args.target,)
    languages = args.lang or curriculum.programme.languages
    unknown = [lang for lang in languages if lang not in curriculum.programme.languages]
    if "olx" in targets and unknown:
        raise UsageError(f"unknown language(s) {', '.join(unknown)}; programme.yml has "
                         f"{', '.join(curriculum.programme.languages)}")
    folders = {"xblocks": "dist", "site": "site", "olx": "olx"}
    # Every target is built into one staging folder; the old outputs are replaced only when all
    # of them succeeded, so a failing target never leaves a new site beside an old course.
    with output.staging(out) as stage:
        for target in targets:
            if target == "site":
                from .site import build_site

                build_site(curriculum, stage / "site", drafts=args.drafts, engine=args.engine)
            elif target == "olx":
                from .olx import build_olx

                build_olx(curriculum, stage / "olx", languages=languages, quiz_format=args.quiz_format)
            else:
                from .wheel import build_wheel, xblocks_project

                build_wheel(xblocks_project(curriculum.root), stage / "dist")
        output.commit(stage, out, [folders[t] for t in targets], merged=("olx",))
    for target in targets:
        print(f"built {target} in {(out / folders[target]).as_posix()}")
    return EXIT_OK


_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\Z")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")  # a version alias becomes a folder of the site
_BRANCH = re.compile(r"(?!.*\.\.)(?!/)[A-Za-z0-9._/-]{1,100}(?<![/.])\Z")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\Z")


def _valid(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value):
        raise UsageError(f"{what} {value!r} is not valid")
    return value


def cmd_serve(args: argparse.Namespace) -> int:
    from .site.serve import serve

    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (1-65535)")
    try:
        ipaddress.ip_address(args.host)
    except ValueError:
        _valid(args.host, _HOST, "--host")

    return serve(_root(args.root), host=args.host, port=args.port)


def cmd_stats(args: argparse.Namespace) -> int:
    report = Report()
    curriculum = checks.check(_root(args.path), report)
    if curriculum is None:
        print(render(report.sorted(), "text"), file=sys.stderr)
        return EXIT_ERRORS
    print(stats.render(curriculum, stats.collect(curriculum)))
    if report.errors:
        print(f"note: the curriculum has {len(report.errors)} error(s); run `curriculum check`", file=sys.stderr)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_lecture, new_translation

    root = _root(args.root)
    report = Report()
    curriculum = checks.check(root, report)
    if curriculum is None:
        print(render(report.sorted(), "text"), file=sys.stderr)
        return EXIT_ERRORS
    try:
        if args.kind == "translation":
            written = [new_translation(curriculum, args.lecture_id, args.lang)]
        else:
            written = new_lecture(curriculum, args.domain, args.module, args.lecture_id, args.title,
                                  args.authors or ["TSHS CMIO Curriculum Team"])
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        print(f"wrote {path.relative_to(curriculum.root.resolve()).as_posix()}")
    return EXIT_OK


def cmd_changelog(args: argparse.Namespace) -> int:
    from . import diff, gitrefs

    root = _root(args.root)
    try:
        before, before_report = gitrefs.load_at(root, args.since)
        after, after_report = gitrefs.load_at(root, args.until)
    except gitrefs.GitError as exc:
        raise UsageError(str(exc)) from None
    for ref, model, report in ((args.since, before, before_report), (args.until, after, after_report)):
        if model is None:
            raise UsageError(f"the curriculum at {ref} cannot be loaded: "
                             + "; ".join(d.text() for d in report.sorted()[:3]))
    changes = diff.compare(before, after)
    if args.format == "json":
        print(diff.to_json(changes))
    else:
        print(diff.to_markdown(changes, f"Changes from {args.since} to {args.until}"))
    return EXIT_OK


def cmd_release(args: argparse.Namespace) -> int:
    from . import gitrefs
    from .release import ReleaseError, release

    curriculum = _checked(args.root, "releasing")
    if curriculum is None:
        return EXIT_ERRORS
    try:
        section, _ = release(curriculum, args.version, since=args.since)
    except (ReleaseError, gitrefs.GitError) as exc:
        raise UsageError(str(exc)) from None
    print(section)
    print(f"set programme.yml version to {args.version} and prepended the changes to CHANGELOG.md; "
          "review and commit them", file=sys.stderr)
    if args.site:
        from .publish import deploy_site

        curriculum = _checked(args.root, "deploying")  # reload: programme.yml now has the new version
        if curriculum is None:
            return EXIT_ERRORS
        deploy_site(curriculum, args.version, aliases=["latest"])
        print(f"deployed the site as {args.version} (alias latest) on the local gh-pages branch; not pushed",
              file=sys.stderr)
    return EXIT_OK


def cmd_site_deploy(args: argparse.Namespace) -> int:
    from . import gitrefs
    from .publish import deploy_site

    _valid(args.version, _SEMVER, "the version (X.Y.Z)")
    for alias in args.alias:
        _valid(alias, _NAME, "--alias")
    _valid(args.branch, _BRANCH, "--branch")
    curriculum = _checked(args.root, "deploying")
    if curriculum is None:
        return EXIT_ERRORS
    try:
        deploy_site(curriculum, args.version, aliases=args.alias, branch=args.branch, push=args.push)
    except gitrefs.GitError as exc:
        raise UsageError(str(exc)) from None
    print(f"deployed the site as {args.version} on {args.branch}" + (" and pushed it" if args.push else ""))
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from .analyze import InputError, analyze, report

    curriculum = _checked(args.root, "analysing")
    if curriculum is None:
        return EXIT_ERRORS
    try:
        result = analyze(curriculum, [Path(p) for p in args.inputs])
    except InputError as exc:
        raise UsageError(str(exc)) from None
    writer = {"json": report.to_json, "markdown": report.to_markdown, "text": report.to_text}[args.format]
    print(writer(result.quizzes, result.findings))
    if args.out:
        programme = curriculum.programme
        title = programme.title.get(programme.source_language) or programme.id
        report.write_report(Path(args.out), result.quizzes, result.findings, f"Item analysis — {title}")
        print(f"wrote {Path(args.out).as_posix()}/index.html and summary.md", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .jsonschemas import write

    for path in write(Path(args.out)):
        print(f"wrote {path.as_posix()}")
    return EXIT_OK


COMMANDS = {
    "check": cmd_check, "rules": cmd_rules, "stats": cmd_stats, "new": cmd_new, "build": cmd_build,
    "serve": cmd_serve, "schema": cmd_schema, "changelog": cmd_changelog, "release": cmd_release,
    "site-deploy": cmd_site_deploy, "analyze": cmd_analyze,
}


def run() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `curriculum rules | head`
        code = EXIT_OK
    sys.exit(code)
