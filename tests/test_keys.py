"""speaker_key, quote_key and repeats inside a document (quotes.keys)."""

from __future__ import annotations

import pytest

from quotes.keys import REPEATED, name_key, quote_key, quote_words, speaker_key, with_keys
from quotes.records import Quote, Speaker, quote_id


def _record(text: str, start: int, name: str | None = None, expert: str | None = None,
            doc_id: str = "d") -> Quote:
    speaker = None if name is None else Speaker(name=name, mention=name, start=0, end=1, expert_id=expert)
    return Quote(id=quote_id(doc_id, start, start + len(text)), doc_id=doc_id, kind="direct", text=text,
                 start=start, end=start + len(text), parts=[(start, start + len(text))], speaker=speaker,
                 confidence=0.95, rule="direct.subject")


@pytest.mark.parametrize("a, b", [
    ("It is over.", "it is  over"),
    ("“Foreign-trained” gangs", '"foreign trained" Gangs'),
    ("They’re naïve", "They're naive!"),
    ("a\r\nb", "a b"),
])
def test_quote_key_folds_marks_case_punctuation_and_space(a, b):
    assert quote_key(a) == quote_key(b)


@pytest.mark.parametrize("a, b", [
    ("It is over.", "It is not over."),
    ("red line", "red lines"),
])
def test_quote_key_tells_different_words_apart(a, b):
    assert quote_key(a) != quote_key(b)


def test_quote_words_is_the_folded_text():
    assert quote_words("“It's   OVER,” — naïvely.") == "it s over naively"


@pytest.mark.parametrize("a, b", [
    ("Kasim-Jomart Tokayev", "Kassym-Jomart Tokayev"),
    ("Kassym-Jomart Toqayev", "Kasim-Jomart Tokayev"),
    ("Evgeny Satanovsky", "Yevgeny Satanovskiy"),
])
def test_name_key_joins_spellings_of_one_person(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_people_apart():
    assert name_key("Vladimir Putin") != name_key("Vladimir Lepekhin")


def test_speaker_key_is_the_expert_id_when_registered():
    assert speaker_key(Speaker(name="Yevgeny Satanovsky", mention="he", start=0, end=2,
                               expert_id="satanovsky")) == "satanovsky"


def test_speaker_key_is_none_without_a_name():
    assert speaker_key(None) is None
    assert speaker_key(Speaker(name=None, mention="he", start=0, end=2)) is None


def test_with_keys_flags_a_repeat_and_points_to_the_first():
    records = with_keys([_record("It is over.", 0, "Ann Lee"), _record("Something else.", 20),
                         _record("“It is over”", 40, "Ann Lee"), _record("it is OVER", 60)])
    first, other, second, third = records
    assert first.repeat_of is None and REPEATED not in first.flags
    assert other.repeat_of is None
    assert second.repeat_of == third.repeat_of == first.id
    assert REPEATED in second.flags and REPEATED in third.flags
    assert first.quote_key == second.quote_key != other.quote_key
    assert first.speaker_key == "an le"
    assert other.speaker_key is None


def test_with_keys_is_idempotent():
    once = with_keys([_record("A b c.", 0), _record("a b c", 10)])
    assert with_keys(once) == once
    assert once[1].flags == [REPEATED]


@pytest.mark.slow
def test_seeds_001_and_003_share_tokayevs_speaker_key(extractor, seed_texts):
    keys = {}
    for name in ("001_74977be9488212fe.txt", "003_f09e68be1bba5dd1.txt"):
        keys[name] = {r.speaker_key for r in extractor.extract(seed_texts[name], name)
                      if r.speaker and r.speaker.name and "Tokayev" in r.speaker.name}
    spellings = {name: {r.speaker.name for r in extractor.extract(seed_texts[name], name)
                        if r.speaker and r.speaker.name and "Tokayev" in r.speaker.name}
                 for name in keys}
    assert spellings["001_74977be9488212fe.txt"] != spellings["003_f09e68be1bba5dd1.txt"]
    assert len(keys["001_74977be9488212fe.txt"]) == 1
    assert keys["001_74977be9488212fe.txt"] == keys["003_f09e68be1bba5dd1.txt"]


@pytest.mark.slow
def test_seed_001_tripled_body_is_flagged(extractor, seed_texts):
    name = "001_74977be9488212fe.txt"
    records = extractor.extract(seed_texts[name], name)
    originals = [r for r in records if r.repeat_of is None]
    repeats = [r for r in records if r.repeat_of is not None]
    by_id = {r.id: r for r in records}
    assert originals and len(repeats) == 2 * len(originals)
    for r in repeats:
        first = by_id[r.repeat_of]
        assert REPEATED in r.flags and first.start < r.start and first.quote_key == r.quote_key
        assert first.text == r.text


@pytest.mark.slow
def test_repeats_across_the_pieces_of_a_long_document_are_flagged(seed_texts):
    from quotes import Extractor

    ex = Extractor()
    ex.nlp.max_length = 5_000
    body = seed_texts["000_8ba73e34995578e0.txt"]
    text = body + "\n\n" + body
    records = ex.extract(text, "long")
    half = len(body) + 2
    firsts = [r for r in records if r.start < half]
    seconds = [r for r in records if r.start >= half]
    assert firsts and len(firsts) == len(seconds)
    assert all(r.repeat_of is None for r in firsts)  # seed 000 repeats no quote
    by_id = {r.id: r for r in records}
    for r in seconds:
        assert r.repeat_of in by_id and by_id[r.repeat_of].start < half
        assert by_id[r.repeat_of].text == r.text and "repeated" in r.flags


def test_relocated_moves_repeat_of_with_the_ids():
    from quotes.records import relocated

    keyed = with_keys([_record("It is over.", 0), _record("It is over.", 20)])
    moved = [relocated(r, 100) for r in keyed]
    assert moved[1].repeat_of == moved[0].id == quote_id("d", 100, 111)
    assert with_keys(moved) == moved


def test_quote_key_of_a_lone_surrogate_does_not_raise():
    # The library takes any str; a JSON "\ud800" decodes to a lone surrogate.
    assert quote_key("It is \ud800 over") != quote_key("It is over")
