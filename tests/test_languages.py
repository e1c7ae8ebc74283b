"""BCP 47 tags, Accept-Language parsing and picking a text by language."""

from __future__ import annotations

import pytest

from api.languages import (
    InvalidLanguageTag,
    answers,
    fallbacks,
    filter_language,
    normalise_tag,
    parse_accept_language,
    pick,
    tag_of,
)
from api.model import Text


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("es-419", "es-419"),
        ("de-CH-1901", "de-CH-1901"),
        ("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"),
        ("x-whatever", "x-whatever"),
        ("i-klingon", "i-klingon"),
        ("en-GB-oed", "en-GB-oed"),
        (" cy ", "cy"),
        ("sgn-be-fr", "sgn-BE-FR"),
        ("zh-yue-419", "zh-yue-419"),
        ("abcde-gb", "abcde-GB"),
        ("en-latn-us", "en-Latn-US"),
    ],
)
def test_normalise_tag_gives_canonical_case(tag: str, expected: str) -> None:
    assert normalise_tag(tag) == expected


@pytest.mark.parametrize(
    "tag",
    [
        *("", "e", "en_GB", "en-", "-en", "123", "toolongtag", "en-gb-x", "a-b-c"),
        # Well-formed to langcodes' parser, not to RFC 5646.
        *("i_klingon", "e1", "abcd-abc", "zh-cmn-ab1", "zh-cmn-419-hant", "zh-cmn-419-tw"),
        "\u017fvenska",  # a long s: not ASCII, though a case-insensitive regex takes it for s
    ],
)
def test_normalise_tag_rejects_malformed_tags(tag: str) -> None:
    with pytest.raises(InvalidLanguageTag):
        normalise_tag(tag)


@pytest.mark.parametrize("tag", ["i-klingon", "iw", "en-Latn", "tl"])
def test_normalise_tag_changes_case_only(tag: str) -> None:
    """No registry replacements (``tlh``, ``he``, ``en``, ``fil``) as ``standardize_tag`` makes."""
    assert normalise_tag(tag) == tag


def test_invalid_language_tag_is_a_value_error() -> None:
    assert issubclass(InvalidLanguageTag, ValueError)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", ("fr-CH", "fr", "en", "de")),
        ("en;q=0.5, cy", ("cy", "en")),
        ("da, en-gb;q=0.8, en;q=0.7", ("da", "en-GB", "en")),
        ("en, cy;q=0", ("en",)),
        ("en;q=0.5, fr;q=0.5, de;q=0.5", ("en", "fr", "de")),
        ("en, EN, en;q=0.1", ("en",)),
        ("en;q=1.0001, fr;q=2, de;q=abc, cy", ("cy",)),
        ("12, ;;, ,en-, en", ("en",)),
        ("en ; Q=0.3 , cy", ("cy", "en")),
        ("", ()),
        (None, ()),
        ("EN-GB-ABC, en-gb-abc;q=0.5, i", ("en-gb-abc", "i")),  # ranges that are not tags
    ],
)
def test_parse_accept_language_orders_by_q_and_drops_garbage(
    header: str | None, expected: tuple[str, ...]
) -> None:
    assert parse_accept_language(header) == expected


TEXTS = (
    Text("colour", "en-GB"),
    Text("Farbe", "de"),
    Text("lliw", "cy"),
    Text("color", "en-US"),
    Text("kleur"),
)


@pytest.mark.parametrize(
    ("preferred", "default", "expected"),
    [
        (("cy",), "en", "lliw"),
        (("en-US", "cy"), "en", "color"),
        (("fr", "de"), "en", "Farbe"),
        (("en",), "cy", "colour"),  # primary subtag: the first English text
        (("de-AT",), "cy", "Farbe"),
        (("fr",), "cy", "lliw"),  # the default language
        (("fr",), "nl", "kleur"),  # then an untagged text
        ((), "de", "Farbe"),
        (("CY",), "en", "lliw"),
    ],
)
def test_pick_falls_back_exact_primary_default_untagged(
    preferred: tuple[str, ...], default: str, expected: str
) -> None:
    found = pick(TEXTS, preferred, default)
    assert found is not None
    assert found.value == expected


def test_pick_exact_tag_beats_an_earlier_preference_by_primary_subtag() -> None:
    texts = (Text("colour", "en-US"), Text("lliw", "cy"))
    assert pick(texts, ("en-GB", "cy"), "fr") == Text("lliw", "cy")


def test_pick_takes_the_first_text_when_nothing_fits() -> None:
    texts = (Text("Farbe", "de"), Text("couleur", "fr"))
    assert pick(texts, ("ja",), "cy") == Text("Farbe", "de")


def test_pick_of_nothing_is_none() -> None:
    assert pick((), ("en",), "en") is None


def test_filter_language_keeps_every_text_in_the_chosen_language_and_untagged_ones() -> None:
    texts = (Text("a", "en"), Text("b", "cy"), Text("c", "en"), Text("d"))
    assert filter_language(texts, ("en",), "cy") == (Text("a", "en"), Text("c", "en"), Text("d"))
    assert filter_language(texts, ("fr",), "cy") == (Text("b", "cy"), Text("d"))
    assert filter_language(texts, ("fr",), "de") == (Text("d"),)
    assert filter_language((), ("en",), "en") == ()


def test_filter_language_falls_back_to_the_first_texts_language() -> None:
    texts = (Text("x", "de"), Text("y", "fr"), Text("z", "de"))
    assert filter_language(texts, ("ja",), "cy") == (Text("x", "de"), Text("z", "de"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("http://id.loc.gov/vocabulary/iso639-1/en", "en"),
        ("http://id.loc.gov/vocabulary/iso639-2/wel", "cy"),
        ("http://lexvo.org/id/iso639-3/eng", "en"),
        ("http://publications.europa.eu/resource/authority/language/FRA", "fr"),
        ("not a language", None),
        *((f"http://id.loc.gov/vocabulary/iso639-2/{code}", "cy") for code in ("wel", "cym")),
        *((f"http://id.loc.gov/vocabulary/iso639-2/{code}", "de") for code in ("ger", "deu")),
        *((f"http://id.loc.gov/vocabulary/iso639-2/{code}", "fr") for code in ("fre", "fra")),
        *((f"http://id.loc.gov/vocabulary/iso639-2/{code}", "nl") for code in ("dut", "nld")),
        *((f"http://id.loc.gov/vocabulary/iso639-2/{code}", "zh") for code in ("chi", "zho")),
        ("http://lexvo.org/id/iso639-3/hin", "hi"),
        ("http://lexvo.org/id/iso639-3/tgl", "tgl"),  # not CLDR's "fil"
        ("http://lexvo.org/id/iso639-3/cmn", "cmn"),  # no macrolanguage folding
        ("http://lexvo.org/id/iso639-3/haw", "haw"),  # no two-letter code
    ],
)
def test_tag_of_reads_dct_language_values(value: str, expected: str | None) -> None:
    assert tag_of(value) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", ("en",)),
        ("en-GB", ("en-gb", "en")),
        ("zh-Hant-TW", ("zh-hant-tw", "zh-hant", "zh")),
        ("en-a-bbb-x-y", ("en-a-bbb-x-y", "en-a-bbb", "en")),  # no range ends in a singleton
        ("x-private", ("x-private",)),
    ],
)
def test_fallbacks_truncate_as_rfc_4647_lookup(tag: str, expected: tuple[str, ...]) -> None:
    assert fallbacks(tag) == expected


@pytest.mark.parametrize(
    ("language", "wanted", "expected"),
    [
        ("en", "en-GB", True),  # lookup falls back from en-GB to en
        ("en-GB", "en", True),  # en takes its extensions
        ("en-gb", "EN-GB", True),  # case never matters
        ("en-US", "en-GB", False),  # a sibling is neither
        ("cy", "en", False),
        ("en", "cy", False),
        ("eng", "en", False),  # a prefix of letters is not a prefix of subtags
        (None, "cy", True),  # an untagged text answers any request
        (None, "en-GB", True),
    ],
)
def test_answers_by_lookup_or_extension(language: str | None, wanted: str, expected: bool) -> None:
    assert answers(language, wanted) is expected


@pytest.mark.parametrize(
    ("texts", "preferred", "expected"),
    [
        ((Text("colour", "en"), Text("lliw", "cy")), ("en-GB",), "colour"),
        ((Text("neighbour", "en-GB"), Text("cymydog", "cy")), ("en",), "neighbour"),
        ((Text("neighbour", "en-GB"), Text("neighbor", "en")), ("en",), "neighbor"),
        # A range's lookup and extension come before the next range: en takes en-GB over cy.
        ((Text("cymydog", "cy"), Text("neighbour", "en-GB")), ("en", "cy"), "neighbour"),
        # en-GB, then en, before a longer British tag.
        ((Text("a", "en-GB-oed"), Text("b", "en")), ("en-GB",), "b"),
        ((Text("a", "zh-Hans-CN"), Text("b", "zh-Hant-HK")), ("zh-Hant-TW",), "b"),
    ],
)
def test_pick_by_rfc_4647(
    texts: tuple[Text, ...], preferred: tuple[str, ...], expected: str
) -> None:
    found = pick(texts, preferred, "fr")
    assert found is not None
    assert found.value == expected


def test_pick_never_takes_another_language_for_the_one_asked() -> None:
    """cy is not en: with no Welsh text, the default language answers, not the English one."""
    texts = (Text("colour", "en"), Text("couleur", "fr"))
    assert pick(texts, ("cy",), "fr") == Text("couleur", "fr")
    assert filter_language(texts, ("cy",), "fr") == (Text("couleur", "fr"),)


def test_pick_takes_the_default_language_before_untagged_texts_as_skosmos_does() -> None:
    texts = (Text("kleur"), Text("colour", "en-GB"))
    assert pick(texts, ("fr",), "en") == Text("colour", "en-GB")
    assert pick(texts, ("fr",), "de") == Text("kleur")
    assert filter_language((Text("a"), Text("b")), ("fr",), "de") == (Text("a"), Text("b"))


def test_filter_language_keeps_one_language_of_several_extensions() -> None:
    texts = (Text("a", "en-US"), Text("b", "en-GB"), Text("c", "en-US"))
    assert filter_language(texts, ("en",), "cy") == (Text("a", "en-US"), Text("c", "en-US"))
