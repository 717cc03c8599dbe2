"""A simulated cohort and the Open edX problem responses report it would produce.

Responses follow a two-parameter logistic IRT model, P(right) = 1 / (1 + exp(−a(θ − b))), with a
fixed seed. The report is laid out as the LMS writes it (`ProblemResponses`): `username`, `title`,
`location`, the block's report keys in its order, then `block_key` and `state`, with rows of other
block types mixed in, written by the csv module's excel dialect (CRLF).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "cohort"
REPORT_KEYS = ["Quiz ID", "Question ID", "Question", "Answer", "Answer indices", "Score", "Correct", "Attempts",
               "Lecture", "Version"]
HEADER = ["username", "title", "location", *REPORT_KEYS, "block_key", "state"]
COURSE = "course-v1:TSHS+COHORT101+2026"


@dataclass
class Item:
    id: str
    a: float  # discrimination parameter
    b: float  # difficulty parameter
    key: int = 0  # 0-based choice the source marks correct
    choices: int = 4
    true_key: int | None = None  # the choice strong learners actually pick (≠ key: a wrong key)
    unused: tuple[int, ...] = ()  # distractors nobody picks
    kind: str = "single"


EXAM_ITEMS = [
    Item("q-a", 1.6, -0.5, key=1), Item("q-b", 1.2, 0.0, key=0), Item("q-c", 1.8, 0.4, key=2),
    Item("q-d", 1.0, -0.2, key=3), Item("q-e", 1.4, 0.8, key=1), Item("q-f", 2.0, 0.1, key=0),
    Item("q-easy", 1.0, -4.5, key=0),
    Item("q-wrongkey", 1.8, 0.0, key=0, true_key=1),
    Item("q-unused", 1.5, -0.3, key=2, unused=(3,)),
    Item("q-multi", 1.3, 0.2, kind="multiple"),
    Item("q-num", 1.1, 0.3, kind="numeric"),
]
MULTI_KEY = (0, 2)  # q-multi: PPV and NPV


@dataclass
class Cohort:
    usernames: list[str]
    scores: np.ndarray  # learners × items, the score each learner got against the source key
    choices: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)  # 0-based picks per item


def simulate(n: int = 300, seed: int = 20260301, items: list[Item] = EXAM_ITEMS) -> Cohort:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 1.0, n)
    usernames = [f"trainee{i:03d}" for i in range(n)]
    scores = np.zeros((n, len(items)))
    choices: dict[str, list[tuple[int, ...]]] = {}
    for j, item in enumerate(items):
        p = 1.0 / (1.0 + np.exp(-item.a * (theta - item.b)))
        right = rng.random(n) < p
        picks: list[tuple[int, ...]] = []
        if item.kind == "single":
            true_key = item.key if item.true_key is None else item.true_key
            wrong = [c for c in range(item.choices) if c != true_key and c not in item.unused]
            for i in range(n):
                pick = true_key if right[i] else int(rng.choice(wrong))
                picks.append((pick,))
                scores[i, j] = 1.0 if pick == item.key else 0.0
        elif item.kind == "multiple":
            for i in range(n):
                if right[i]:
                    pick = MULTI_KEY
                else:  # one key and one distractor, or a distractor alone: partial credit per the quiz model
                    pick = tuple(sorted({int(rng.choice(MULTI_KEY)), int(rng.choice((1, 3)))}))
                hits = sum(1 for c in pick if c in MULTI_KEY)
                picks.append(pick)
                scores[i, j] = max(0.0, (hits - (len(pick) - hits)) / len(MULTI_KEY))
        else:
            scores[:, j] = right.astype(float)
        choices[item.id] = picks
    return Cohort(usernames, scores, choices)


def rows_for(cohort: Cohort, items: list[Item], quiz: str = "ai-exam-final", lecture: str = "ai-exam",
             version: str = "1.2.0", versions: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One report row per learner and question, as the XBlock's generate_report_data gives them."""
    block_key = f"block-v1:TSHS+COHORT101+2026+type@curriculum_quiz+block@{quiz}"
    rows = []
    for i, user in enumerate(cohort.usernames):
        state = json.dumps({"attempts": 1, "responses": {"q-a": 1}, "score": float(cohort.scores[i].sum())})
        for j, item in enumerate(items):
            picks = cohort.choices[item.id][i] if cohort.choices.get(item.id) else ()
            score = cohort.scores[i, j]
            rows.append({
                "username": user, "title": "Evaluation assessment",
                "location": "Artificial Intelligence > Evaluating clinical AI > Evaluating clinical AI > Evaluation assessment",
                "Quiz ID": quiz, "Question ID": item.id, "Question": f"Question {item.id}?",
                "Answer": "; ".join(f"Choice {c + 1} of {item.id}" for c in picks) if picks else "0.33",
                "Answer indices": ";".join(str(c + 1) for c in picks),
                "Score": f"{score:g}", "Correct": "true" if score >= 1 else "false", "Attempts": "1",
                "Lecture": lecture, "Version": (versions or {}).get(user, version),
                "block_key": block_key, "state": state,
            })
    return rows


def other_block_rows(usernames: list[str]) -> list[dict[str, str]]:
    """Rows the platform adds for a capa problem in the same unit: none of our keys."""
    return [{"username": u, "title": "Poll", "location": "Artificial Intelligence > Poll",
             "block_key": "block-v1:TSHS+COHORT101+2026+type@problem+block@poll",
             "state": json.dumps({"attempts": 1, "correct_map": {"a": {"correctness": "correct"}}})}
            for u in usernames]


def write_report(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)  # excel dialect, as the LMS report store writes
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path
