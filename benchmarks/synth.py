"""Generate a valid synthetic curriculum for benchmarks.

    python benchmarks/synth.py OUT --lectures 2000

Each lecture has ~1,500 words of body, one 10-question quiz of mixed types, and every second
lecture a zh-TW translation. Lectures are spread over four domains of five modules each. The
output is deterministic for a given N.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

DOMAINS = ("informatics", "ai", "data-analytics", "cybersecurity")
MODULES_PER_DOMAIN = 5
WORDS = ("governance interoperability clinician workflow decision support alert fatigue validation cohort "
         "prevalence sensitivity specificity predictive value accreditation procurement vendor contract "
         "privacy consent security incident downtime resilience portfolio capacity benefit outcome "
         "measure dashboard registry claims imaging referral discharge summary medication reconciliation").split()
ZH = "醫療資訊治理互通性臨床決策支援警示疲勞驗證族群盛行率敏感度特異度預測值評鑑採購廠商契約隱私同意資安事件停機韌性"


def _paragraphs(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24)))
        out.append(sentence.capitalize() + " [1].")
        count += len(sentence.split())
    paragraphs = [" ".join(out[i:i + 6]) for i in range(0, len(out), 6)]
    sections = []
    for i in range(0, len(paragraphs), 4):
        sections.append(f"## Section {i // 4 + 1}\n\n" + "\n\n".join(paragraphs[i:i + 4]))
    return "\n\n".join(sections)


def _questions(lecture_id: str, rng: random.Random) -> list[dict]:
    objective = f"{lecture_id}-a"
    kinds = ["single", "multiple", "true-false", "numeric", "text", "ordering", "matching", "single", "multiple",
             "numeric"]
    questions = []
    for n, kind in enumerate(kinds, 1):
        q: dict = {"id": f"q{n}", "type": kind, "assesses": objective if n % 2 else f"{lecture_id}-b",
                   "prompt": f"Question {n} about {rng.choice(WORDS)} and {rng.choice(WORDS)}?",
                   "hint": "Think about the workflow.", "explanation": "Because of the cited evidence [1]."}
        if kind == "single":
            q["choices"] = [{"text": f"Option {c}", "feedback": f"Feedback {c}.", **({"correct": True} if c == 2 else {})}
                            for c in range(1, 5)]
        elif kind == "multiple":
            q["choices"] = [{"text": f"Option {c}", "feedback": f"Feedback {c}.", **({"correct": True} if c % 2 else {})}
                            for c in range(1, 6)]
        elif kind == "true-false":
            q["answer"] = bool(n % 2)
        elif kind == "numeric":
            q["answer"] = round(rng.random(), 2)
            q["tolerance"] = 0.01
        elif kind == "text":
            q["answers"] = ["FHIR", "HL7 FHIR"]
        elif kind == "ordering":
            q["items"] = ["Silent evaluation", "Limited pilot", "Full deployment", "Monitoring"]
        elif kind == "matching":
            q["pairs"] = [["HIPAA", "United States"], ["PDPA", "Taiwan"], ["GDPR", "European Union"]]
        questions.append(q)
    return questions


def _translate_quiz(quiz: dict) -> dict:
    out = {"id": quiz["id"], "title": "自我評量", "questions": []}
    for q in quiz["questions"]:
        tq: dict = {"id": q["id"], "prompt": f"{ZH[:12]}？", "hint": "想想工作流程。", "explanation": "依據引用證據 [1]。"}
        if "choices" in q:
            tq["choices"] = [{"text": f"選項 {i + 1}", "feedback": "回饋。"} for i in range(len(q["choices"]))]
        if "items" in q:
            tq["items"] = ["靜默評估", "有限試行", "全面上線", "持續監測"]
        if "pairs" in q:
            tq["pairs"] = [["HIPAA", "美國"], ["個人資料保護法", "臺灣"], ["GDPR", "歐盟"]]
        out["questions"].append(tq)
    return out


def _front(data: dict) -> str:
    # JSON is valid YAML and keeps the generator free of a YAML writer.
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items())


def generate(out: Path, lectures: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "domains").mkdir(parents=True)
    plan: dict[str, dict[str, list[str]]] = {d: {f"{d[:4]}-m{m}": [] for m in range(1, MODULES_PER_DOMAIN + 1)}
                                             for d in DOMAINS}
    for i in range(lectures):
        domain = DOMAINS[i % len(DOMAINS)]
        module = f"{domain[:4]}-m{(i // len(DOMAINS)) % MODULES_PER_DOMAIN + 1}"
        plan[domain][module].append(f"l{i:05d}")

    (out / "programme.yml").write_text(_front({
        "id": "synthetic", "title": {"en": "Synthetic programme", "zh-TW": "合成課程"}, "version": "1.0.0",
        "languages": ["en", "zh-TW"], "org": "SYN", "course": "SYN101", "run": "2026", "start": "2026-03-01",
        "domains": list(DOMAINS), "frameworks": {"CC1": {"title": "Fundamentals", "framework": "ABPM"}},
        "grading": {"pass": 0.7, "quiz_weight": 1.0}, "retired": [],
    }) + "\n", encoding="utf-8")
    (out / "glossary.yml").write_text(
        '- {term: {en: Interoperability, zh-TW: 互通性}, definition: {en: Systems exchanging data., zh-TW: 系統交換資料。}}\n',
        encoding="utf-8")
    for domain, modules in plan.items():
        (out / "lectures" / domain).mkdir(parents=True)
        domain_data = {"id": domain, "title": {"en": domain.title(), "zh-TW": "領域"},
                       "modules": [{"id": m, "title": {"en": f"Module {m}", "zh-TW": f"模組 {m}"}, "lectures": ids}
                                   for m, ids in modules.items()]}
        (out / "domains" / f"{domain}.yml").write_text(json.dumps(domain_data, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")
        for ids in modules.values():
            for lecture_id in ids:
                every_second = (int(lecture_id[1:]) // len(DOMAINS)) % 2 == 0
                _write_lecture(out / "lectures" / domain, lecture_id, rng, translate=every_second)
    return out


def _write_lecture(folder: Path, lecture_id: str, rng: random.Random, translate: bool) -> None:
    quiz = {"id": f"{lecture_id}-check", "title": "Check your understanding", "mode": "formative", "attempts": 0,
            "shuffle": True, "questions": _questions(lecture_id, rng)}
    front = {"id": lecture_id, "title": f"Lecture {lecture_id}", "version": "1.0.0", "status": "published",
             "duration": 45, "authors": ["Faculty"], "competencies": ["CC1"],
             "objectives": {f"{lecture_id}-a": "Explain the first idea.", f"{lecture_id}-b": "Evaluate the second idea."},
             "references": ["Author A. A title. Journal. 2024. https://example.org/a"]}
    body = _paragraphs(rng, 1500)
    quiz_yaml = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in quiz.items())
    (folder / f"{lecture_id}.md").write_text(
        f"---\n{_front(front)}\n---\n{body}\n\n## Check your understanding\n\n```quiz\n{quiz_yaml}\n```\n",
        encoding="utf-8")
    if translate:
        tfront = {"source_version": "1.0.0", "title": f"講座 {lecture_id}",
                  "objectives": {f"{lecture_id}-a": "說明第一個概念。", f"{lecture_id}-b": "評估第二個概念。"}}
        tquiz = _translate_quiz(quiz)
        tquiz_yaml = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in tquiz.items())
        zh_body = "\n\n".join(f"## 第 {i} 節\n\n" + ZH * 20 + " [1]。" for i in range(1, 8))
        (folder / f"{lecture_id}.zh-TW.md").write_text(
            f"---\n{_front(tfront)}\n---\n{zh_body}\n\n```quiz\n{tquiz_yaml}\n```\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lectures", type=int, default=2000)
    args = parser.parse_args()
    generate(args.out, args.lectures)
    print(f"wrote {args.lectures} lectures to {args.out}")


if __name__ == "__main__":
    main()
