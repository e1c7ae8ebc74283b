"""The annotator: whole words, case-insensitive, leftmost-longest, exact code-point offsets."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from api.build.annotator import (
    Annotator,
    Occurrence,
    annotate,
    build_annotator,
    fold,
    to_html,
    tokens,
)
from api.build.search import build_search
from api.model import Concept, Text
from api.runtime.serving import Runtime
from tests.support.pages import snapshot_of
from tests.support.vocabularies import SMALL


class Concepts:
    """The read model's search index is all the annotator reads; each concept's default
    language is that of its first label unless ``default`` says otherwise."""

    def __init__(self, *concepts: Concept, default: str | None = None) -> None:
        languages = [default or c.pref_labels[0].language or "en" for c in concepts]
        self.searcher = build_search(concepts, languages)


def concept(cid: str, *labels: str, alt: tuple[str, ...] = (), lang: str = "en",
            schemes: tuple[str, ...] = ("s",)) -> Concept:  # fmt: skip
    return Concept(
        id=cid,
        iri=f"https://example.org/{cid}",
        schemes=schemes,
        pref_labels=tuple(Text(label, lang) for label in labels),
        alt_labels=tuple(Text(label, lang) for label in alt),
    )


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return build_annotator(
        Concepts(
            concept("engagement", "engagement"),
            concept("community-engagement", "community engagement",
                    alt=("public engagement", "citizen engagement")),
            concept("co-production", "co-production"),
            concept("istanbul", "İstanbul", lang="tr"),
            concept("dwr", "dŵr", lang="cy"),
            concept("ymgysylltu", "ymgysylltu", lang="cy"),
            concept("strasse", "Straße", lang="de"),
            concept("coffee", "café", lang="fr"),
        )
    )  # fmt: skip


def found(annotator: Annotator, text: str, **filters: str) -> list[tuple[str, str]]:
    return [(o.text, o.concept) for o in annotate(annotator, text, **filters)]


def assert_offsets(text: str, occurrences: tuple[Occurrence, ...]) -> None:
    """Offsets slice out exactly the text, in order, without overlapping."""
    end = 0
    for occurrence in occurrences:
        assert text[occurrence.start : occurrence.end] == occurrence.text
        assert occurrence.start >= end
        end = occurrence.end


def test_the_longest_label_wins_at_a_position(annotator: Annotator) -> None:
    text = "Community engagement is a kind of engagement."
    assert found(annotator, text) == [
        ("Community engagement", "community-engagement"),
        ("engagement", "engagement"),
    ]


def test_matching_ignores_case_and_line_breaks_between_words(annotator: Annotator) -> None:
    assert found(annotator, "PUBLIC\n  Engagement") == [
        ("PUBLIC\n  Engagement", "community-engagement")
    ]


def test_only_whole_words_match(annotator: Annotator) -> None:
    assert found(annotator, "disengagement, engagement2, engagement_x, engagementsx") == []
    # an English plural is the label's word (issue 13: tests/build/test_annotator_plural.py)
    assert found(annotator, "engagements") == [("engagements", "engagement")]


def test_punctuation_and_emoji_end_words(annotator: Annotator) -> None:
    text = "(engagement) 🎉engagement🎉 engagement's"
    assert [o for o, _ in found(annotator, text)] == ["engagement"] * 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İSTANBUL and İstanbul", ["İSTANBUL", "İstanbul"]),
        ("İİ istanbul", ["istanbul"]),  # "İ" casefolds to two code points; offsets still hold
        ("Dŵr, DŴR and dŵr", ["Dŵr", "DŴR", "dŵr"]),
        ("dw\u0302r", ["dw\u0302r"]),  # decomposed: w + combining circumflex
        ("dwr", ["dwr"]),  # accents are ignored, as /lookup ignores them
        ("STRASSE", ["STRASSE"]),  # "ß" casefolds to "ss"
        ("👩‍👩‍👧 café ☕ CAFÉ", ["café", "CAFÉ"]),
        ("ymgysylltu🏴󠁧󠁢󠁷󠁬󠁳󠁿ymgysylltu", ["ymgysylltu", "ymgysylltu"]),
    ],
)
def test_offsets_are_code_points_of_the_original_text(
    annotator: Annotator, text: str, expected: list[str]
) -> None:
    occurrences = annotate(annotator, text)
    assert [o.text for o in occurrences] == expected
    assert_offsets(text, occurrences)


def test_offsets_count_code_points_not_utf16_units(annotator: Annotator) -> None:
    text = "😀😀 engagement"
    (occurrence,) = annotate(annotator, text)
    assert (occurrence.start, occurrence.end) == (3, 13)


def test_dash_and_apostrophe_variants_match(annotator: Annotator) -> None:
    assert found(annotator, "co\u2011production and co-production") == [
        ("co\u2011production", "co-production"),
        ("co-production", "co-production"),
    ]
    # A space may stand where the label has a hyphen (see tests/build/test_annotator_spelling.py).
    assert found(annotator, "co production") == [("co production", "co-production")]


def test_an_occurrence_says_which_label_matched(annotator: Annotator) -> None:
    (occurrence,) = annotate(annotator, "citizen engagement")
    assert occurrence.label == Text("citizen engagement", "en")
    assert occurrence.label_type == "altLabel"


def test_lang_keeps_labels_in_that_language(annotator: Annotator) -> None:
    text = "dŵr and engagement"
    assert found(annotator, text, lang="cy") == [("dŵr", "dwr")]
    assert found(annotator, text, lang="en-GB") == [("engagement", "engagement")]


def test_scheme_keeps_concepts_of_that_scheme() -> None:
    annotator = build_annotator(
        Concepts(concept("a", "alpha", schemes=("one",)), concept("b", "alpha beta",
                                                                   schemes=("two",)))
    )  # fmt: skip
    assert found(annotator, "alpha beta") == [("alpha beta", "b")]
    assert found(annotator, "alpha beta", scheme="one") == [("alpha", "a")]
    assert found(annotator, "alpha beta", scheme="three") == []


def test_a_pref_label_beats_another_concepts_alt_label() -> None:
    annotator = build_annotator(
        Concepts(concept("x", "other", alt=("shared",)), concept("y", "shared"))
    )
    (occurrence,) = annotate(annotator, "Shared")
    assert (occurrence.concept, occurrence.label_type) == ("y", "prefLabel")


def test_random_texts_keep_exact_offsets(annotator: Annotator) -> None:
    pieces = ["engagement", "İ", "ŵ", "😀", "ß", " ", "\n", "-", "public", "Engagement",
              "w\u0302", "\u200d", "café", "'", "community", "\u0301", "x"]  # fmt: skip
    rng = random.Random(6)
    for _ in range(500):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 25)))
        assert_offsets(text, annotate(annotator, text))


def test_tokens_keep_combining_marks_and_emoji_sequences_whole() -> None:
    assert [t.key for t in tokens("dw\u0302r 👍\ufe0fok")] == ["dwr", "👍\ufe0f", "ok"]
    assert fold("DŴR") == fold("dwr") == "dwr"


def test_a_served_vocabulary_annotates_its_own_text(tmp_path: Path) -> None:
    serving = Runtime(snapshot_of(SMALL, tmp_path)).current
    text = "Domestic birds lay eggs; avians and CHIKENS too."
    result = annotate(serving.annotator, text)
    assert [(o.text, o.concept, o.label_type) for o in result] == [
        ("Domestic birds", "D", "prefLabel"),
        ("eggs", "E", "prefLabel"),
        ("avians", "B", "altLabel"),
        ("CHIKENS", "C", "hiddenLabel"),
    ]
    assert serving.annotator is serving.annotator  # built once per snapshot


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def parsed(fragment: str) -> Tags:
    parser = Tags()
    parser.feed(fragment)
    parser.close()
    return parser


ADVERSARIAL = [
    "<script>alert(1)</script> engagement",
    '<img src=x onerror="alert(1)">engagement</img>',
    "engagement<b>engagement</b>",
    '"><glossary-term term="x" onclick="alert(1)">engagement',
    "&lt;script&gt; &amp; &#60;b&#62; engagement &quot;",
    "<!-- engagement --> <![CDATA[ engagement ]]> </glossary-term>",
    '<a href="javascript:alert(1)">public engagement</a>',
    "<svg><style>engagement{}</style></svg>",
    "engagement\u2028<\u0000script>",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_html_lets_no_markup_of_the_input_through(annotator: Annotator, text: str) -> None:
    occurrences = annotate(annotator, text)
    fragment = to_html(text, occurrences, lambda cid: f"https://example.org/concepts/{cid}")
    tags = parsed(fragment)
    assert tags.text == text  # every character survives, as text
    assert [tag for tag, _ in tags.tags] == ["glossary-term", "a"] * len(occurrences)
    for tag, attrs in tags.tags:
        names = [name for name, _ in attrs]
        assert names == (["term"] if tag == "glossary-term" else ["href"])
    assert "<script" not in fragment
    assert "<img" not in fragment


def test_html_wraps_each_occurrence_around_a_link(annotator: Annotator) -> None:
    text = "Our community engagement & you"
    fragment = to_html(text, annotate(annotator, text), lambda cid: f"/c/{cid}")
    assert fragment == (
        'Our <glossary-term term="community-engagement"><a href="/c/community-engagement">'
        "community engagement</a></glossary-term> &amp; you"
    )


# --- Languages and deprecation (issue 11) -----------------------------------------------


def multilingual() -> Annotator:
    """An English-first vocabulary with French, British and untagged labels, and a
    withdrawn concept."""
    return build_annotator(
        Concepts(
            Concept(id="tea", iri="https://example.org/tea", schemes=("s",),
                    pref_labels=(Text("Tea", "en"), Text("Thé", "fr"))),
            Concept(id="colour", iri="https://example.org/colour", schemes=("s",),
                    pref_labels=(Text("Colour", "en-GB"), Text("Farbe", "de"))),
            Concept(id="neighbour", iri="https://example.org/neighbour", schemes=("s",),
                    pref_labels=(Text("Neighbour", "en"),)),
            Concept(id="ok", iri="https://example.org/ok", schemes=("s",),
                    pref_labels=(Text("OK"),)),
            Concept(id="old", iri="https://example.org/old", schemes=("s",),
                    pref_labels=(Text("Fishing boats", "en"),), deprecated=True),
            default="en",
        )
    )  # fmt: skip


def test_folding_never_crosses_languages() -> None:
    """Without ``lang``, the default language only: "the" is not the French "Thé"."""
    assert found(multilingual(), "The tea is OK") == [("tea", "tea"), ("OK", "ok")]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Le thé", "fr", [("thé", "tea")]),
        ("the thé", "fr-CA", [("the", "tea"), ("thé", "tea")]),  # fr-CA falls back to fr
        ("Farbe und Colour", None, [("Colour", "colour")]),  # en takes en-GB; not de
        ("Farbe und Colour", "de", [("Farbe", "colour")]),
        ("colour, neighbour", "en-GB", [("colour", "colour"), ("neighbour", "neighbour")]),
        ("colour, neighbour", "en-US", [("neighbour", "neighbour")]),
        ("tea, OK", "cy", [("OK", "ok")]),  # an untagged label answers any language
    ],
)
def test_lang_matches_by_rfc_4647(
    text: str, lang: str | None, expected: list[tuple[str, str]]
) -> None:
    filters = {} if lang is None else {"lang": lang}
    assert found(multilingual(), text, **filters) == expected


def test_deprecated_concepts_are_left_out_unless_asked() -> None:
    annotator = multilingual()
    assert found(annotator, "fishing boats") == []
    assert [o.concept for o in annotate(annotator, "fishing boats", include_deprecated=True)] == [
        "old"
    ]


def test_labels_starting_with_punctuation_or_marks_are_found() -> None:
    annotator = build_annotator(
        Concepts(
            concept("acrylates", "(Meth)acrylates"),
            concept("bosch", "'s-Hertogenbosch", lang="nl"),
            concept("hindi", "हिन्दी भाषा", lang="hi"),
        )
    )
    text = "(meth)acrylates near \u2019s-Hertogenbosch; हिन्दी भाषा"
    assert [o.concept for o in annotate(annotator, text)] == ["acrylates", "bosch", "hindi"]


def test_labels_are_read_once_per_first_word() -> None:
    annotator = multilingual()
    assert annotator.read == {}
    found(annotator, "tea tea nothing")
    assert set(annotator.read) == {"tea"}  # words of no label are not kept
