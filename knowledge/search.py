"""Chinese search without a word segmenter: text becomes overlapping two-character tokens.

"床垫甲醛" is stored as its bigrams and its characters, "床垫 垫甲 甲醛 床 垫 甲 醛"; a query
"甲醛超标" becomes the tsquery '甲醛' & '醛超' & '超标', so any run of two or more Chinese
characters is found wherever it stands, and a single character is found as itself. Latin words
and numbers stay whole (lower-cased, prefix-matched), so "E0" or "GB/T 39600" work too. On PostgreSQL the tokens are
searched by full text ('simple' configuration, a GIN expression index) and ranked in the same
query; on SQLite (the zero-setup `make run`) every token is a substring test.
"""

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_QUERY_TOKENS = 24


def _run_tokens(run):
    if not _IS_CJK.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text):
    """The stored search text of `text`: bigrams, single characters and words, space-separated."""
    found = []
    for run in _RUNS.findall(text or ""):
        found.extend(_run_tokens(run))
        if len(run) > 1 and _IS_CJK.match(run):
            found.extend(run)
    return " ".join(found)


def query_terms(text):
    """[(token, prefix?)] for a query: Chinese bigrams and single characters exact, words as prefixes."""
    terms = []
    for run in _RUNS.findall(text or ""):
        prefix = not _IS_CJK.match(run)
        for token in _run_tokens(run):
            if (token, prefix) not in terms:
                terms.append((token, prefix))
    return terms[:MAX_QUERY_TOKENS]


def tsquery(terms):
    """The raw tsquery text: every term required. Tokens hold only letters and digits."""
    return " & ".join(f"'{token}'" + (":*" if prefix else "") for token, prefix in terms)
