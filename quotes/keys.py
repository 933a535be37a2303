"""Keys that group records across documents, and repeats inside one document.

This module owns three things every record gets once it is attributed:

* `speaker_key`: the registry id of an expert speaker, else the speaker's
  name with each word folded as attribution folds names (`people.Folding`,
  from the spellings of the rules the records were made with), so
  "Kasim-Jomart Tokayev" and "Kassym-Jomart Tokayev" share
  ``kasim-iomart tokaev`` across documents;
* `quote_key`: a fingerprint of the quote's words, computed on the record's
  own text (never on the input, whose offsets must not move) after textacy's
  preprocessing folds quotation marks, accents, case, punctuation and white
  space, so the same words quoted by two outlets with different typography
  share a key;
* `repeat_of`: the id of the first record of the same document with the same
  `quote_key`, with the flag `repeated` (a scraped page that repeats its body
  quotes everything twice).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import lru_cache

from .people import Folding, name_words
from .records import Quote, Speaker

REPEATED = "repeated"
"""The flag of a record whose words were already quoted earlier in its document."""

KEY_HEX_DIGITS = 16
"""Hex digits of a quote_key: 64 bits, so two different quotes in a corpus of a
billion records collide with a chance of about one in forty."""


@lru_cache(maxsize=1)
def packaged_folding() -> Folding:
    """The name folding of the packaged rules: for records read back without keys."""
    from .rules import load_rules

    return Folding.from_rules(load_rules())


@lru_cache(maxsize=1)
def _folding() -> Callable[[str], str]:
    """textacy's preprocessing steps, imported on first use (textacy takes seconds to
    import: `import quotes` should not pay for it)."""
    from textacy import preprocessing

    return preprocessing.make_pipeline(
        preprocessing.normalize.unicode,
        preprocessing.normalize.quotation_marks,
        preprocessing.normalize.hyphenated_words,
        preprocessing.remove.accents,
        preprocessing.remove.punctuation,
    )


def quote_words(text: str) -> str:
    """The words of a quote with marks, accents, case, punctuation and spacing folded.

    Example:
        >>> quote_words("“It's   OVER,” — naïvely.")
        'it s over naively'
    """
    # textacy's normalize.whitespace keeps line breaks; a quote reflowed over
    # two lines by one outlet is the same quote.
    return " ".join(_folding()(text).lower().split())


def quote_key(text: str) -> str:
    """The fingerprint of a quote's folded words (`quote_words`), as hex digits."""
    words = quote_words(text)
    # A library caller's text may hold a lone surrogate (a JSON "\ud800"): it is hashed as it is.
    data = words.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=KEY_HEX_DIGITS // 2).hexdigest()


def name_key(name: str, folding: Folding | None = None) -> str:
    """A person's name folded word by word, hyphenated parts kept apart.

    Args:
        name: The name.
        folding: The spellings to fold (the extractor's rules); the packaged
            rules' when None.

    Example:
        >>> name_key("Kasim-Jomart Tokayev") == name_key("Kassym-Jomart Tokayev")
        True
    """
    fold = (folding or packaged_folding()).fold
    words = ("-".join(filter(None, (fold(part) for part in word.split("-"))))
             for word in name_words(name))
    return " ".join(w for w in words if w)


def speaker_key(speaker: Speaker | None, folding: Folding | None = None) -> str | None:
    """The expert id of a registered speaker, else the folded name (`name_key`); None when unnamed."""
    if speaker is None:
        return None
    if speaker.expert_id:
        return speaker.expert_id
    return (name_key(speaker.name, folding) or None) if speaker.name else None


def with_keys(records: Iterable[Quote], folding: Folding | None = None) -> list[Quote]:
    """The records of one document with their keys set and their repeats flagged.

    The records must index the text as given (after `records.relocated`): the
    quote_key is computed on their words. Idempotent: records that already
    carry keys get the same ones again, so the pieces of a long document can be
    keyed once each and once more when merged.

    Args:
        records: One document's records, in text order.
        folding: The name folding for speaker keys (`name_key`).
    """
    first: dict[str, str] = {}
    out = []
    for record in records:  # in text order: the first of a key is its first occurrence
        key = quote_key(record.text)
        earlier = first.setdefault(key, record.id)
        repeat_of = None if earlier == record.id else earlier
        flags = [f for f in record.flags if f != REPEATED] + ([REPEATED] if repeat_of else [])
        out.append(record.model_copy(update={
            "speaker_key": speaker_key(record.speaker, folding),
            "quote_key": key,
            "repeat_of": repeat_of,
            "flags": flags,
        }))
    return out
