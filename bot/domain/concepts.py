"""Key points matched on concepts rather than exact wording: the default free-text grader.

A member's answer and each phrasing go through the same steps:
1. words, folded to lower case without accents (`η` is spelled `eta`);
2. British spellings folded to American (`normalisation` → `normalization`), then each word
   stemmed with the Snowball English stemmer, so `exploring` meets `explore` and
   `chronologically` meets `chronological`;
3. every term of the shared vocabulary (`questions/vocabulary/terms.yaml`: `cv` = `cross
   validation`, `bn` = `batch normalization`, ...) rewritten to its group's first spelling;
4. a misspelt word (one the bank never uses, one letter away from a word of the question's
   phrasings: `regularizaton`, `seasonalty`) read as that word, with rapidfuzz.
A phrasing is found when all of its content words (function words aside) occur in one
sentence within a window a few words wider than the phrasing, in any order, no negation
(`not`, `never`, `avoid`, `without`, ...) stands just before them and no dismissal
(`is harmless`, `does not matter`) just after. A phrasing that itself says no (`no shuffle`)
needs a negation in the answer too, and one made only of the prompt's own words is no
evidence, since any answer repeats them. A key point's `contradicts`
phrasings name wrong claims (`precision for cancer screening`); one found in the same order,
unnegated, anywhere in the answer cancels that point even when a phrasing was found too, and
costs another point's worth (WRONG_CLAIM_COST) of what the answer earned elsewhere. An
answer with almost no sentence structure (a bare list of terms) earns at most a tenth of its
points.

It is pure and deterministic; `bench/grading.py` measures it against the old consecutive-words
matcher (`bot.domain.grading.key_points_hit`) on a labelled answer set.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.domain.questions import KeyPoint, Question

WINDOW_SLACK = 3
"""Words that may stand between (or around) a phrasing's words in one match."""
NEGATION_REACH = 4
SALAD_FUNCTION_SHARE = 0.12
"""Prose is about half function words; a list of terms has almost none."""
SALAD_CAP = 0.1
NAMING_CREDIT = 0.75
"""What a key point earns when the answer only names its concept (one word or one vocabulary
term) instead of saying something about it: a confident wrong answer names the right terms."""
SALAD_ITEMS = 4
SALAD_ITEM_WORDS = 3
"""A list of at least SALAD_ITEMS items none longer than this is a list of terms, however many
function words its terms hold; a real answer has at least one item with a claim in it."""
WRONG_CLAIM_COST = 1.0
"""Key points' worth taken off for each wrong claim an answer makes."""
PROMPT_TERMS_FREE = True
TYPO_MIN_LENGTH = 6
"""Shorter words are not corrected: one letter turns `scale` into `stale`."""
TYPO_LONG_WORD = 10
"""Words at least this long may be two letters off; shorter ones one letter."""

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "and",
        "or",
        "but",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "we",
        "you",
        "your",
        "i",
        "he",
        "she",
        "our",
        "us",
        "if",
        "then",
        "so",
        "than",
        "because",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "each",
        "every",
        "any",
        "all",
        "some",
        "more",
        "most",
        "less",
        "least",
        "such",
        "also",
        "only",
        "just",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "use",
        "using",
        "used",
        "make",
        "makes",
        "made",
        "get",
        "gets",
        "one",
        "way",
        "very",
        "much",
        "many",
    ]
)
ORDER_WORDS = frozenset(
    ["before", "after", "more", "less", "most", "least", "only", "all", "every", "each", "over"]
)
"""Function words that a wrong claim keeps: its wrongness often lives in them ("impute
before splitting", "all outliers are errors", "more data fixes underfitting")."""
NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "avoid",
        "avoiding",
        "without",
        "don",
        "dont",
        "doesn",
        "doesnt",
        "isn",
        "isnt",
        "shouldn",
        "shouldnt",
        "cannot",
        "cant",
        "nor",
        "instead",
        "rather",
        "unlike",
        "wrongly",
        "mistakenly",
        "myth",
        "misconception",
        "rarely",
        "seldom",
    ]
)
WARNING_REACH = 6
WARNINGS = frozenset(
    [
        "leak",
        "leakage",
        "mislead",
        "misleading",
        "optimistic",
        "overoptimistic",
        "inflate",
        "inflated",
        "pitfall",
        "mistake",
        "wrong",
        "flaw",
        "flawed",
        "trap",
        "cheat",
        "cheating",
        "overestimate",
        "bug",
        "beware",
    ]
)
"""Words that name what they stand beside as a mistake."""
DISMISSAL_REACH = 3
DISMISSALS = frozenset(
    [
        "harmless",
        "pointless",
        "unnecessary",
        "needless",
        "irrelevant",
        "useless",
        "overrated",
        "overkill",
        "optional",
        "unimportant",
    ]
)
COPULAS = frozenset(["is", "are", "was", "were", "be", "seem", "seems", "look", "looks"])
"""A dismissal is said of the thing ("multicollinearity is harmless"); without a copula the
word describes what follows ("zero out irrelevant features")."""
NEEDS = frozenset(["need", "needed", "matter", "required", "necessary", "important", "help"])
"""Words after `not` that wave a thing away ("is not needed"), unlike "does not saturate"."""
_SENTENCE_END = re.compile(r"(?=[!?;\n•.:])(?:[!?;\n•]+|[.:]+(?=\s|$))")
"""A dot or colon ends a sentence only before a space: `model.eval()` and `tape.watch` stay
in their sentence. A spaced hyphen or star does not end one (`p - y`, `pCTR * price`); a
bulleted list has its items on lines of their own. (The leading lookahead only makes the
scan faster: most characters are ruled out at once.)"""
_WORD = re.compile(r"[0-9a-z]+")
_LETTERS = re.compile(r"[a-z]+")
_DECIMAL = re.compile(r"(\d)\.(?=\d)")
"""A decimal stays one word (`0.97` is `0p97`), so a claim about `0` never meets `0.97`."""
_LIST_ITEM_END = re.compile(r"(?=[,;\n•.:!?])(?:[,;\n•]+|[.:!?]+(?=\s|$))")
_CONTRACTED_NOT = re.compile(r"n['’]t\b")
_BRITISH_ISE = re.compile(r"(?<=\w)is(ations?|e|ed|es|ing|er|ers)$")
"""Applied to every word, so a word and its inflections fold alike (`raise`, `raises`)."""
_BRITISH_OUR = re.compile(r"our(s?)$")
"""Applied to long words only: `colour` is `color`, but `four` and `your` stay."""
_STEMMER = snowballstemmer.stemmer("english")
_SYMBOLS = str.maketrans(
    {
        letter: f" {name} "
        for letter, name in {
            "α": "alpha",
            "β": "beta",
            "γ": "gamma",
            "δ": "delta",
            "ε": "epsilon",
            "η": "eta",
            "θ": "theta",
            "λ": "lambda",
            "μ": "mu",
            "π": "pi",
            "σ": "sigma",
            "τ": "tau",
            "φ": "phi",
            "ω": "omega",
            "Σ": "sum",
            "Φ": "phi",
            "∇": "gradient",
            "∂": "partial",
            "²": "squared",
            "ᵀ": "transpose",
            "≈": "approximately",
        }.items()
    }
)
"""Symbols of formulas, spelled out so `w ← w − η∇L` reads as eta and gradient."""
_UNSTEMMED = frozenset(["wrongly", "mistakenly", "useful"])
"""Negators whose stem is a plain word (`wrong`): kept whole, so "the wrong class" is no
negation while "teams wrongly assume" still is."""


def _fold(text: str) -> str:
    if text.isascii():
        return _CONTRACTED_NOT.sub(" not", text.lower())
    text = text.translate(_SYMBOLS)
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _CONTRACTED_NOT.sub(" not", folded)


def _american(word: str) -> str:
    word = _BRITISH_ISE.sub(r"iz\1", word)
    return _BRITISH_OUR.sub(r"or\1", word) if len(word) > 5 else word


def _spellings(text: str) -> list[str]:
    """The text's words folded and in American spelling, not stemmed: what a typo is told by."""
    return [_american(w) for w in _WORD.findall(_fold(text))]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if word in _UNSTEMMED:
        return word
    return str(_STEMMER.stemWord(_american(word)))


def _words(text: str) -> list[str]:
    if "." in text:
        text = _DECIMAL.sub(r"\1p", text)
    return [_stem(w) for w in _WORD.findall(text)]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Groups of terms that mean the same, each as a tuple of stems; the first is canonical.

    Compared by identity: it keys the caches below, and hashing its groups on every lookup
    would cost more than the lookup saves."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    known: frozenset[str] = frozenset()
    """Every word the bank's texts and terms use (folded, American spelling): a word outside
    it may be a typo, one inside it (`variant`, `stale`) is real however close to a phrasing's."""

    @classmethod
    def of(cls, groups: Iterable[Sequence[str]], texts: Iterable[str] = ()) -> Vocabulary:
        terms = [list(group) for group in groups]
        known = frozenset(w for text in itertools.chain(texts, *terms) for w in _spellings(text))
        stems = tuple(tuple(tuple(_words(_fold(term))) for term in group) for group in terms)
        return cls(stems, known)

    def canonical(self, words: list[str]) -> list[str]:
        if not self.groups:
            return words
        by_first = _rewrites_by_first_word(self)
        if by_first.keys().isdisjoint(words):
            return words
        out: list[str] = []
        i, end = 0, len(words)
        while i < end:
            for variant, canonical in by_first.get(words[i], ()):
                if tuple(words[i : i + len(variant)]) == variant:
                    out.extend(canonical)
                    i += len(variant)
                    break
            else:
                out.append(words[i])
                i += 1
        return out


@lru_cache(maxsize=64)
def _rewrites_by_first_word(
    vocabulary: Vocabulary,
) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Each variant under its first word, longest first, so a lookup costs one dict access."""
    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for group in vocabulary.groups:
        for variant in group[1:]:
            if variant:
                table.setdefault(variant[0], []).append((variant, group[0]))
    for variants in table.values():
        variants.sort(key=lambda pair: -len(pair[0]))
    return table


def sentences(text: str, vocabulary: Vocabulary) -> list[list[str]]:
    """The answer as sentences of canonical stems."""
    return [vocabulary.canonical(words) for words in _sentence_words(_fold(text))]


def _sentence_words(folded: str) -> list[list[str]]:
    return [_words(part) for part in _SENTENCE_END.split(folded) if part.strip()]


@lru_cache(maxsize=16384)
def _polar_phrasing(
    phrase: str, vocabulary: Vocabulary, claim: bool = False
) -> tuple[tuple[str, ...], bool]:
    """A phrasing's content words without its negation, and whether it had one: `no shuffle`
    is found in "no shuffling" and refused in "shuffle the validation set". A wrong claim
    keeps its ORDER_WORDS: "more data fixes underfitting" is not "data fixes underfitting"."""
    words = vocabulary.canonical(_words(_fold(phrase)))
    negators = _negator_stems()
    negative = any(w in negators for w in words)
    if negative:
        words = [
            w
            for i, w in enumerate(words)
            if w not in negators and not (w == "t" and i and words[i - 1] in negators)
        ]
    function = _claim_function_stems() if claim else _function_stems()
    return tuple(w for w in words if w not in function) or tuple(words), negative


def _found(sentence: list[str], needle: tuple[str, ...], negative: bool = False) -> bool:
    """The needle's words within one window; a negation just before them refuses a plain
    phrasing, and a negated phrasing needs one just before or among them."""
    if not needle:
        return False
    width = len(needle) + WINDOW_SLACK
    negators = _negator_stems()
    for start, word in enumerate(sentence):
        if word not in needle:
            continue
        window = sentence[start : start + width]
        if all(n in window for n in needle):
            if negative:
                end = max(i for i, w in enumerate(window) if w in needle) + start + 1
                around = sentence[max(0, start - NEGATION_REACH) : end]
                if any(w in negators for w in around):
                    return True
                continue
            before = sentence[max(0, start - NEGATION_REACH) : start]
            end = max(i for i, w in enumerate(window) if w in needle) + start + 1
            if not any(w in negators for w in before) and not _dismissed(sentence, end):
                return True
    return False


def _dismissed(sentence: list[str], end: int) -> bool:
    """Whether the words after a match wave it away: "multicollinearity is harmless",
    "scaling does not matter", "a baseline is not needed"."""
    after = sentence[end : end + DISMISSAL_REACH]
    dismissals, needs = _dismissal_stems()
    for i, word in enumerate(after):
        if word in dismissals and any(w in COPULAS for w in after[:i]):
            return True
        if word == "not" and i + 1 < len(after) and after[i + 1] in needs:
            return True
    return False


def _claimed(sentence: list[str], needle: tuple[str, ...], negative: bool = False) -> bool:
    """The needle's words in its order within the window, with no negation before or among
    them: stricter than `_found`, because a wrong claim must be made, not merely mentioned.
    A claim that itself says no (`l1 never zeroes weights`) needs a negation there instead, and
    a claim named as a mistake ("a random split would leak the future", "a common pitfall is a
    random split") is a warning, not a claim."""
    if not needle:
        return False
    width = len(needle) + WINDOW_SLACK
    negators = _negator_stems()
    for start, word in enumerate(sentence):
        if word != needle[0]:
            continue
        position, span_end = 1, start + 1
        for index in range(start + 1, min(len(sentence), start + width)):
            if position == len(needle):
                break
            if sentence[index] == needle[position]:
                position, span_end = position + 1, index + 1
        if position < len(needle):
            continue
        around = sentence[max(0, start - NEGATION_REACH) : span_end]
        if any(w in negators for w in around) != negative:
            continue
        warned = sentence[max(0, start - NEGATION_REACH) : span_end + WARNING_REACH]
        if not any(w in _warning_stems() for w in warned):
            return True
    return False


@lru_cache(maxsize=1)
def _warning_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in WARNINGS)


@lru_cache(maxsize=1)
def _dismissal_stems() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(_stem(w) for w in DISMISSALS), frozenset(_stem(w) for w in NEEDS)


@lru_cache(maxsize=1)
def _negator_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in NEGATORS)


@lru_cache(maxsize=1)
def _function_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in FUNCTION_WORDS)


@lru_cache(maxsize=1)
def _claim_function_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in FUNCTION_WORDS - ORDER_WORDS)


def is_term_list(text: str) -> bool:
    """True for an answer that is a bare list of terms: almost no function words, or nothing
    but short items between commas (`model.eval(), torch.no_grad(), dropout, ...`)."""
    folded = _fold(text)
    return _is_term_list(_words(folded), folded)


def _is_term_list(words: list[str], folded: str) -> bool:
    """`is_term_list` on a folded text and its stems."""
    if len(words) < 4:
        return False
    function = _function_stems()
    if sum(w in function for w in words) / len(words) < SALAD_FUNCTION_SHARE:
        return True
    items = [item for item in _LIST_ITEM_END.split(folded) if _WORD.search(item)]
    return len(items) >= SALAD_ITEMS and all(
        len(_words(item)) <= SALAD_ITEM_WORDS for item in items
    )


def makes_claim(said: list[list[str]], claim: str, vocabulary: Vocabulary) -> bool:
    """Whether the sentences `said` make the claim (its words in order, unnegated)."""
    needle, negative = _polar_phrasing(claim, vocabulary, claim=True)
    return any(_claimed(sentence, needle, negative) for sentence in said)


@dataclass(frozen=True)
class _Said:
    """An answer's sentences of canonical stems with each one's words as a set: a needle is
    looked for only in the sentences that hold all its words, a set test far cheaper than a
    window scan."""

    sentences: list[list[str]]
    bags: list[frozenset[str]]
    words: frozenset[str]

    @classmethod
    def of(cls, said: list[list[str]]) -> _Said:
        bags = [frozenset(sentence) for sentence in said]
        return cls(said, bags, frozenset().union(*bags))

    def holding(self, needle: tuple[str, ...]) -> list[list[str]]:
        if not self.words.issuperset(needle):
            return []
        return [
            s for s, bag in zip(self.sentences, self.bags, strict=True) if bag.issuperset(needle)
        ]


def _claim_made(key_point: KeyPoint, said: _Said, vocabulary: Vocabulary) -> str | None:
    """The first of the key point's wrong claims the answer makes, if any."""
    for claim in key_point.contradicts:
        needle, negative = _polar_phrasing(claim, vocabulary, claim=True)
        if any(_claimed(sentence, needle, negative) for sentence in said.holding(needle)):
            return claim
    return None


def _evidence(
    key_point: KeyPoint, said: _Said, vocabulary: Vocabulary, given: frozenset[str]
) -> tuple[str | None, bool]:
    """The key point's phrasing the answer says, if any, and whether it only names a term:
    a phrasing that states something is preferred to one that names a single concept."""
    named: str | None = None
    for phrase in key_point.phrasings:
        needle, negative = _polar_phrasing(phrase, vocabulary)
        holding = said.holding(needle)
        if not holding:
            continue
        if PROMPT_TERMS_FREE and not negative and all(w in given for w in needle):
            continue
        if named is not None and _names_one_concept(needle, negative, vocabulary):
            continue
        if any(_found(sentence, needle, negative) for sentence in holding):
            if not _names_one_concept(needle, negative, vocabulary):
                return phrase, False
            named = phrase
    return named, named is not None


def _names_one_concept(needle: tuple[str, ...], negative: bool, vocabulary: Vocabulary) -> bool:
    """One word or one vocabulary term (`batch norm`), with no negation: a name, not a claim."""
    return not negative and (len(needle) == 1 or needle in _canonical_terms(vocabulary))


@lru_cache(maxsize=64)
def _canonical_terms(vocabulary: Vocabulary) -> frozenset[tuple[str, ...]]:
    return frozenset(group[0] for group in vocabulary.groups)


@lru_cache(maxsize=4096)
def _prompt_stems(prompt: str, vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(w for sentence in sentences(prompt, vocabulary) for w in sentence)


@lru_cache(maxsize=4096)
def _lexicon(key_points: tuple[KeyPoint, ...]) -> tuple[str, ...]:
    """The words of a question's phrasings long enough to correct a misspelling to."""
    words = {
        w for key_point in key_points for phrase in key_point.phrasings for w in _spellings(phrase)
    }
    return tuple(sorted(w for w in words if len(w) >= TYPO_MIN_LENGTH))


@lru_cache(maxsize=65536)
def _corrected(word: str, lexicon: tuple[str, ...], known: frozenset[str]) -> str:
    spelled = _american(word)
    if len(spelled) < TYPO_MIN_LENGTH or spelled in known or spelled in lexicon:
        return word
    limit = 2 if len(spelled) >= TYPO_LONG_WORD else 1
    near = [w for w in lexicon if w[0] == spelled[0] and abs(len(w) - len(spelled)) <= limit]
    match = process.extractOne(spelled, near, scorer=Levenshtein.distance, score_cutoff=limit)
    return word if match is None else match[0]


def _respelled(text: str, key_points: tuple[KeyPoint, ...], vocabulary: Vocabulary) -> str:
    """The text folded, each misspelt word replaced by the phrasing word it is one letter (two
    for long words) away from, before stemming (`regularizaton` → `regularization`). A word
    the bank uses anywhere (`variant`, `stale`) is a real word and is never changed."""
    folded = _fold(text)
    lexicon = _lexicon(key_points)
    known = vocabulary.known
    unknown = {w for w in _LETTERS.findall(folded) if len(w) >= TYPO_MIN_LENGTH and w not in known}
    if not lexicon or not unknown:
        return folded
    fixes = {w: fixed for w in unknown if (fixed := _corrected(w, lexicon, known)) != w}
    if not fixes:
        return folded
    return _LETTERS.sub(lambda m: fixes.get(m.group(), m.group()), folded)


@dataclass(frozen=True)
class PointVerdict:
    """How one key point fared: the phrasing that was found, or the wrong claim that was."""

    hit: bool
    phrasing: str | None = None
    contradiction: str | None = None
    named: bool = False
    """Hit only by naming one concept (`dropout`), which earns NAMING_CREDIT of the point."""


@dataclass(frozen=True)
class Assessment:
    """A free-text answer against a question's key points, with the evidence for each."""

    fraction: float
    verdicts: tuple[PointVerdict, ...]
    term_list: bool

    @property
    def hits(self) -> tuple[int, ...]:
        return tuple(i for i, v in enumerate(self.verdicts) if v.hit)


def assess(question: Question, text: str, vocabulary: Vocabulary) -> Assessment:
    """The key points the answer covers, those whose wrong claim it makes, and its score: the
    share of key points covered, less WRONG_CLAIM_COST for each wrong claim made (an answer
    that says the opposite of a key point has not merely missed it), capped at SALAD_CAP for a
    bare list of terms."""
    folded = _respelled(text, question.key_points, vocabulary)
    parts = _sentence_words(folded)
    said = _Said.of([vocabulary.canonical(words) for words in parts])
    given = _prompt_stems(question.prompt, vocabulary)
    verdicts = []
    for key_point in question.key_points:
        claim = _claim_made(key_point, said, vocabulary)
        if claim is not None:
            verdicts.append(PointVerdict(False, contradiction=claim))
            continue
        phrase, named = _evidence(key_point, said, vocabulary, given)
        verdicts.append(PointVerdict(phrase is not None, phrasing=phrase, named=named))
    hits = sum(NAMING_CREDIT if v.named else 1.0 for v in verdicts if v.hit)
    wrong = sum(v.contradiction is not None for v in verdicts)
    earned = max(0.0, hits - WRONG_CLAIM_COST * wrong)
    fraction = earned / (len(question.key_points) or 1)
    term_list = _is_term_list([w for words in parts for w in words], folded)
    if term_list:
        fraction = min(fraction, SALAD_CAP)
    return Assessment(fraction, tuple(verdicts), term_list)


def concept_hits(question: Question, text: str, vocabulary: Vocabulary) -> tuple[int, ...]:
    return assess(question, text, vocabulary).hits


def concept_fraction(question: Question, text: str, vocabulary: Vocabulary) -> float:
    return assess(question, text, vocabulary).fraction
