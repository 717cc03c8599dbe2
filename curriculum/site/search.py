"""The settings of Material's search plugin for each site language, and the jieba dictionary that
makes the glossary's Chinese terms findable.

How Material searches Chinese (mkdocs-material 9.x):

* at build time, the plugin cuts every run of Han characters into words with jieba and puts a
  zero-width space between them; in the browser, lunr splits the text into tokens with the
  `separator` below, so each jieba word becomes one token of the index;
* at query time, the browser cuts the query's Han runs greedily into the longest strings that are
  tokens of the index, but never takes the query's last character into a piece (the scan stops
  one short of the end); every piece becomes a clause with a trailing wildcard. It joins the pieces
  with "* " and then appends its own "*", so a clause keeps a literal "*" and is shown as a
  missing word (缺少字詞) on every result, unless "*" separates tokens.

So a term is found, with nothing reported missing, when the longest piece of it that the index
holds is the term without its last character: the query is then one clause, and the term's
occurrences, cut by jieba into that piece and the last character, all match it. The dictionary
therefore holds each term without its last character (a term of two characters is kept whole:
its first character is the clause then). Where a term is another term plus one character
(資通安全, 資通安全長), jieba cannot cut the shorter one both ways, so both are left to jieba's own
dictionary, whose cut the query's greedy pieces follow.

What stays out of the index uses the plugin's own means: `search: exclude: true` in a page's front
matter (outlines, the progress page) and the `data-search-exclude` attribute on the quiz widgets'
choices, labels and buttons and on a lecture's facts. The plugin's parser tells elements apart
by their tag only: an excluded element must hold no element of its own tag (the first inner end
tag would end the exclusion), so the attribute sits on each choice row, not on their container.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# jieba prefers a word of the user dictionary to any cut through it: the most frequent word of
# its own dictionary is counted below a million.
USER_WORD_FREQUENCY = 10_000_000

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(rf"[{_HAN}]{{2,}}")

# Token separators, the same for every site language (the English glossary shows the Chinese
# terms too): white space and the zero-width space the plugin puts between jieba's words,
# punctuation, "*" (see above), a full stop not in a number, escaped angle brackets, and the
# boundary between Han and other characters: the plugin cuts the index there ("健保IC卡" is
# 健保 IC 卡) but not the query, which would otherwise look for one token "健保ic卡".
# Only escapes that a Unicode-mode JavaScript pattern accepts (no \"): Zensical's search compiles it so.
_PUNCTUATION = r'\s\u200b\-_,:;!?=\[\]()"`/*\u3000、。，．？！；：（）「」『』《》〈〉／'
_BOUNDARY = rf"(?<=[{_HAN}])(?=[^{_HAN}])|(?<=[^{_HAN}])(?=[{_HAN}])"
SEPARATOR = rf"[{_PUNCTUATION}]+|\.(?!\d)|&[lg]t;|{_BOUNDARY}"

# lunr's pipeline. Never the trimmer: it strips non-word characters from both ends of a token,
# and to JavaScript every Han character is one, so it would empty every Chinese token. Nor the
# stop-word filter: its English list holds abbreviations of this field (HIS, IT), which could
# then never be found. The Chinese site keeps Material's stemmer for the English in its pages.
PIPELINES: dict[str, list[str]] = {"en": [], "zh-TW": ["stemmer"]}


def plugin_options(options: dict, language: str, jieba_dict: str | None) -> dict:
    """The search plugin's options for one site language (what mkdocs.yml sets is kept)."""
    options = dict(options)
    options.setdefault("lang", ["en"])  # lunr has no Chinese stemmer to use in the browser
    options.setdefault("separator", SEPARATOR)
    options.setdefault("pipeline", PIPELINES.get(language, PIPELINES["en"]))
    if jieba_dict is not None:
        options["jieba_dict_user"] = jieba_dict
    return options


def dictionary_words(terms: Iterable[str]) -> list[str]:
    """The jieba user dictionary's words for these Chinese terms (see the module's docstring)."""
    runs = list(dict.fromkeys(run for term in terms for run in HAN_RUN.findall(term)))
    known = set(runs)
    words: dict[str, None] = {}
    for run in runs:
        if len(run) == 2:
            words[run] = None
        elif run[:-1] not in known and not any(other[:-1] == run for other in known):
            words[run[:-1]] = None
    return list(words)


def user_dictionary(words: Iterable[str]) -> str:
    """jieba's user dictionary file: one word and its frequency a line."""
    return "".join(f"{word} {USER_WORD_FREQUENCY}\n" for word in words)


# jieba keeps its dictionary in the process, and each load of a user dictionary adds the words'
# frequencies to its total again (jieba.add_word never subtracts): a second build in the same
# process (the preview's other language, a full build after the preview) would cut Chinese text
# differently. Before each build the glossary words are taken out again, so that every build is
# jieba's own dictionary plus exactly one load of the user dictionary.
_BASE_TOTAL: int | None = None
_BASE_FREQ: dict[str, int | None] = {}  # each user word and prefix -> its frequency in jieba's own dictionary


def reset_jieba(words: Iterable[str]) -> None:
    """Undo earlier loads of user dictionaries holding `words` (or words seen before)."""
    global _BASE_TOTAL
    try:
        import jieba
    except ImportError:
        return
    jieba.initialize()
    tokenizer = jieba.dt
    if _BASE_TOTAL is None:  # the first call comes before any user dictionary is loaded
        _BASE_TOTAL = tokenizer.total
    for word in words:
        for end in range(1, len(word) + 1):
            _BASE_FREQ.setdefault(word[:end], tokenizer.FREQ.get(word[:end]))
    for fragment, frequency in _BASE_FREQ.items():
        if frequency is None:
            tokenizer.FREQ.pop(fragment, None)
        else:
            tokenizer.FREQ[fragment] = frequency
    tokenizer.total = _BASE_TOTAL
