"""Every rule id `curriculum check` can report, with its one-line description.

The quiz model owns the rules about quiz content; this module adds the pipeline's own.
"""

from __future__ import annotations

from curriculum_quiz.model import RULES as QUIZ_RULES

PIPELINE_RULES: dict[str, str] = {
    "file-too-large": "Source files are at most 1 MB.",
    "file-encoding": "Source files are UTF-8.",
    "file-empty": "Source files are not empty.",
    "file-unreadable": "A source file could not be read.",
    "yaml-syntax": "YAML parses (one document, standard tags only).",
    "yaml-duplicate-key": "A YAML mapping has no duplicate keys.",
    "yaml-tab": "YAML is indented with spaces, not tabs.",
    "yaml-alias": "YAML aliases do not expand beyond the document's size (no alias bombs).",
    "yaml-document": "A YAML document or front matter has the expected top-level shape.",
    "front-matter": "A lecture starts with YAML front matter between '---' lines.",
    "fence-unterminated": "Every fenced block is closed.",
    "semver": "Versions are semantic versions (MAJOR.MINOR.PATCH).",
    "ref-programme": "programme.yml exists at the curriculum root.",
    "ref-domain-missing": "Every domain named in programme.yml has a file domains/<id>.yml.",
    "ref-domain-unlisted": "Every domain file is named in programme.yml.",
    "ref-domain-file": "A domain's id matches its file name.",
    "ref-lecture-missing": "Every listed lecture has a file.",
    "ref-lecture-unlisted": "Every lecture file is listed in a module.",
    "ref-lecture-listed-twice": "A lecture is listed in exactly one module.",
    "ref-lecture-file": "A lecture's id matches its file name.",
    "ref-lecture-folder": "A lecture file lives in the folder of the domain that lists it.",
    "ref-assesses": "'assesses' names objectives of the same lecture (of the same domain, for summative quizzes).",
    "ref-competency": "Competency codes are defined in programme.yml frameworks.",
    "ref-citation": "Citations [n] point to an entry of the lecture's references.",
    "ref-citation-unused": "Every reference of a lecture is cited in its body.",
    "lecture-status": "A published lecture has a body; an outline lecture has none yet.",
    "alignment-unassessed": "Every objective of a published lecture is assessed by some question.",
    "md-image-missing": "Images exist inside the repository.",
    "md-image-alt": "Images have alt text.",
    "md-link-broken": "Relative links resolve to files of the repository.",
    "md-path-escape": "No link or image path leaves the repository.",
    "html-removed": "Content holds nothing the sanitizer removes: no script, style, form or frame, no event "
                    "attributes, links only http, https, mailto or relative.",
    "id-path": "Values that become file names (org, course, run) are safe path parts: letters, digits, _ . -, no '..'.",
    "file-symlink": "Curriculum files are regular files, never symbolic links.",
    "md-asset": "Linked files are images under lectures/ (png, jpg, jpeg, gif, webp; svg without scripts).",
    "file-unpublished": "Every file under lectures/ is a lecture or a file a lecture links to (others are not published).",
    "title-markup": "Titles are plain text: no HTML tags or character references.",
    "md-external-resource": "Images and other embedded resources are served by the site itself, not from other hosts.",
    "translation-orphan": "A translation has a source lecture beside it.",
    "translation-language": "A translation's language is a translation language of programme.yml.",
    "translation-structure": "A translation mirrors its source: objectives, references, quiz and question ids in order.",
    "translation-answer": "A translation gives only text; answers and structure come from the source.",
    "translation-version": "A translation's source_version is not ahead of its source.",
    "translation-outdated": "A translation's source_version is behind its source's minor or major version (not patch).",
    "translation-incomplete": "A translation translates every objective of its source.",
    "review-overdue": "A lecture's review_by date has not passed.",
    "history-removed-id": "No lecture, quiz or question id of an earlier release disappears unless retired.",
    "history-unbumped": "A lecture whose content changed has a higher version.",
    "history-version-down": "A lecture's version never goes down.",
    # --- item analysis (`curriculum analyze`, from LMS responses and site progress exports; n ≥ 10) ---
    "item-too-easy": "A question's difficulty (mean score) is at most 0.90.",
    "item-too-hard": "A question's difficulty (mean score) is at least 0.30.",
    "item-low-discrimination": "A question's corrected item–total correlation is at least 0.15.",
    "item-negative-discrimination": "A question's corrected item–total correlation is not negative (a wrong key?).",
    "item-distractor-unused": "Every distractor is chosen by at least 5 % of learners (when n ≥ 20).",
    "item-distractor-upper": "No distractor is chosen more often by the upper 27 % of learners than by the lower 27 %.",
    "item-version-mismatch": "Analysed responses were given to the lecture's current version.",
    # --- Assessment quality and content integrity (integrity, itemwriting, bibliography, terminology) ---
    "exam-leak": "No summative question shares 8+ consecutive words or 12+ Han characters with text trainees can read.",
    "exam-unpublished": "Summative questions assess only objectives of published lectures.",
    "item-true-false-balance": "In a domain (6+ true/false questions), at most 70% have the same answer.",
    "item-longest-correct": "In a domain (6+ single-answer questions), the correct choice is the longest in at most 50%.",
    "item-all-none-above": "No choice is 'all of the above' or 'none of the above' (以上皆是、以上皆非).",
    "item-absolute-distractor": "Absolute words (always, never, only, all …; 一定、絕不 …) are not only in distractors.",
    "item-repeated-choice": "No choice repeats another of the same question word for word.",
    "item-negative-stem": "A negative lead-in (NOT, EXCEPT; 不是、何者錯誤) is emphasised.",
    "reference-host": "No reference cites a host listed in programme.yml reference_hosts_disallowed.",
    "reference-year": "Every reference has a year (1900–2099).",
    "term-rejected": "zh-TW texts use the agreed terms, not their rejected variants (docs/terminology.zh-TW.md).",
    "term-simplified": "zh-TW texts are written in Traditional characters, not Simplified.",
}

RULES: dict[str, str] = {**QUIZ_RULES, **PIPELINE_RULES}
