"""Sample quizzes for the XBlock workbench: one scenario per question type, a mixed quiz and a
Traditional Chinese one. Written in OLX by :func:`curriculum_quiz.olx.quiz_xml`."""

from __future__ import annotations

from typing import Any

from .olx import quiz_xml

SINGLE = {
    "id": "q-generative", "type": "single",
    "prompt": "Which system produces **new text** rather than a risk score?",
    "choices": [
        {"text": "A sepsis early-warning score", "feedback": "It outputs a probability, not new text."},
        {"text": "A large language model drafting discharge summaries", "correct": True,
         "feedback": "Generative models produce new content."},
        {"text": "A readmission risk model", "feedback": "It outputs a risk score."},
    ],
    "hint": "Think about what the output looks like.",
    "explanation": "Prediction models map inputs to a label or score; generative models produce new content.",
}
MULTIPLE = {
    "id": "q-phi", "type": "multiple",
    "prompt": "Which of these are identifiers under the HIPAA Safe Harbor method? Select all that apply.",
    "choices": [
        {"text": "Medical record number", "correct": True, "feedback": "Listed among the 18 identifiers."},
        {"text": "Full-face photograph", "correct": True, "feedback": "Listed among the 18 identifiers."},
        {"text": "Year of birth of a 40-year-old", "feedback": "Years alone may stay (ages under 90)."},
    ],
    "explanation": "Safe Harbor removes 18 identifier types; years may remain for ages under 90.",
}
TRUE_FALSE = {
    "id": "q-tf", "type": "true-false",
    "prompt": "A model with 99% accuracy is always useful for a rare disease.",
    "answer": False,
    "feedback": {"correct": "Right: with low prevalence, accuracy hides poor PPV.",
                 "incorrect": "Accuracy can be high while the model misses every case."},
    "explanation": "At 1% prevalence, predicting 'no disease' for everyone is 99% accurate.",
}
NUMERIC = {
    "id": "q-ppv", "type": "numeric",
    "prompt": "Prevalence 10%, sensitivity 90%, specificity 80%. What is the PPV (a fraction, two decimals)?",
    "answer": 0.33, "tolerance": 0.01,
    "feedback": {"correct": "Right: 0.09 / (0.09 + 0.18).", "incorrect": "Compute true positives over all positives."},
    "hint": "PPV = TP / (TP + FP).",
    "explanation": "PPV = 0.09 / 0.27 ≈ 0.33.",
}
TEXT = {
    "id": "q-fhir", "type": "text",
    "prompt": "Which HL7 standard exchanges clinical data as web resources (acronym)?",
    "answers": ["FHIR", "HL7 FHIR"],
    "feedback": {"correct": "Yes: Fast Healthcare Interoperability Resources.", "incorrect": "Think of TW Core."},
    "explanation": "FHIR defines resources exchanged over REST.",
}
ORDERING = {
    "id": "q-steps", "type": "ordering",
    "prompt": "Order the deployment steps of a clinical AI tool.",
    "items": ["Silent-mode evaluation", "Limited pilot", "Full deployment", "Monitoring"],
    "feedback": {"correct": "That is the safe sequence.", "incorrect": "Start where patients cannot be harmed."},
    "explanation": "Evaluate silently, pilot, deploy, then keep monitoring for drift.",
}
MATCHING = {
    "id": "q-laws", "type": "matching",
    "prompt": "Match each law to its jurisdiction.",
    "pairs": [["HIPAA", "United States"], ["Personal Data Protection Act", "Taiwan"], ["GDPR", "European Union"]],
    "feedback": {"correct": "All matched.", "incorrect": "Check where each law applies."},
    "explanation": "HIPAA is US federal law; Taiwan's PDPA; the EU's GDPR.",
}
QUESTIONS = [SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, TEXT, ORDERING, MATCHING]


def quiz(quiz_id: str, title: str, questions: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    return {"id": quiz_id, "title": title, "mode": settings.pop("mode", "formative"),
            "attempts": settings.pop("attempts", 0), "shuffle": settings.pop("shuffle", True), **settings,
            "questions": questions}


MIXED = quiz("ai-what-models-do-check", "Check your understanding", QUESTIONS)
ZH_TW = quiz("ai-what-models-do-check", "自我評量", [
    {**SINGLE, "prompt": "哪一個系統會產生**新的文字**，而不是風險分數？", "choices": [
        {"text": "敗血症早期預警分數", "feedback": "它輸出的是機率，而非新文字。"},
        {"text": "撰寫出院摘要的大型語言模型", "correct": True, "feedback": "生成式模型會產生新的內容。"},
        {"text": "再入院風險模型", "feedback": "它輸出的是風險分數。"},
    ], "hint": "想想輸出的樣子。", "explanation": "預測模型輸出標籤或分數；生成式模型產生新內容。"},
    {**MATCHING, "prompt": "將法規與其適用地區配對。",
     "pairs": [["HIPAA", "美國"], ["個人資料保護法", "臺灣"], ["GDPR", "歐盟"]],
     "feedback": {"correct": "全部正確。", "incorrect": "想想各法規適用的地區。"},
     "explanation": "HIPAA 是美國聯邦法律；個人資料保護法適用於臺灣；GDPR 適用於歐盟。"},
])


def workbench_scenarios() -> list[tuple[str, str]]:
    scenarios = []
    for question in QUESTIONS:
        scenarios.append((f"Curriculum quiz: {question['type']}",
                          quiz_xml(quiz(f"sample-{question['type']}", f"A {question['type']} question", [question]),
                                   display_name=f"A {question['type']} question")))
    scenarios.append(("Curriculum quiz: every type, two attempts",
                      quiz_xml({**MIXED, "attempts": 2, "mode": "summative"}, display_name=MIXED["title"],
                               lecture_id="ai-what-models-do", lecture_version="1.0.0", language="en")))
    scenarios.append(("Curriculum quiz: zh-TW",
                      quiz_xml(ZH_TW, display_name=ZH_TW["title"], lecture_id="ai-what-models-do",
                               lecture_version="1.0.0", language="zh-TW")))
    return scenarios
