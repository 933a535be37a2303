"""The view: paragraphs as marks.py defines them, the quote mask, char -> token."""

from __future__ import annotations

import pytest

from quotes.passes.view import paragraph_starts

from .conftest import SAID_AFTER, SPLIT_QUOTE


@pytest.mark.parametrize(("text", "starts"), [
    ("one\ntwo", [0, 4]),
    ("one\n\n\ntwo", [0, 6]),  # blank lines are no paragraph
    ("one\r\ntwo", [0, 5]),
    ("one\n   two", [0, 4]),  # the paragraph starts at its line, indentation included
    # every break the quotation-mark scanner knows ends a paragraph here too
    ("one\x0btwo\x0cthree\x1cfour\x85five\u2028six\u2029seven", [0, 4, 8, 14, 19, 24, 28]),
    ("one\n\n", [0]),
    # hard-wrapped lines in a text of blank-line paragraphs: one paragraph
    ("The political\nscientist said so.\n\nNext one.", [0, 34]),
    ("The political\nScientist said so.\n\nNext one.", [0, 14, 34]),  # a capital may open a paragraph
    ("It ended.\nthen more.\n\nNext.", [0, 10, 22]),  # a sentence end closes the line
    ("The political\nscientist said so.", [0, 14]),  # no blank lines: every line is a paragraph
    # a line as long as a wrapped line, ending inside a sentence, wraps
    ("A" * 60 + " and then\nRussian leaders spoke.\n\nNext.", [0, 94]),
    ("Mark Green, Associated Press\nRussian leaders spoke.\n\nNext.", [0, 29, 53]),  # a byline ends its line
])
def test_view_paragraph_starts_follow_the_scanners_breaks(text: str, starts: list[int]) -> None:
    assert paragraph_starts(text) == starts


def test_view_marks_the_tokens_inside_quotes(passes) -> None:
    view = passes.view(passes.doc(*SAID_AFTER))
    # `"It is over,"` (marks included) is quoted; `Putin said.` is not
    assert view.in_quote == (True,) * 6 + (False,) * 3


def test_view_tok_at_and_sentences(passes) -> None:
    doc = passes.doc(*SPLIT_QUOTE)
    view = passes.view(doc)
    assert doc[view.tok_at(doc.text.index("Putin"))].text == "Putin"
    assert doc[view.tok_at(doc.text.index("Putin") + 2)].text == "Putin"  # inside the token
    assert view.sent(9).text == '"We go."'
    assert view.unquoted().in_quote == (False,) * len(doc)
    assert view.in_quote != view.unquoted().in_quote  # the view itself is left as it was
