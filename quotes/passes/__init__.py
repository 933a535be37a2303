"""Attribution as ordered passes over one parsed document.

The modules, lowest layer first (a module imports only from layers below it):

    view        read-only view of the parsed doc: quote mask, paragraphs, sentences, char -> token
    candidates  what the passes hand each other (Who, Found, Report) and the rule ids that live in code
    syntax      questions about the parse: subject, noun phrase, person-like
    cues        the compiled cue rules -> a typed index of matches
    mentions    the people named in the article
    resolve     speaker token -> person; owns the speaker history
    context     the facts of one document the sieves read
    kind        a whole sentence (direct) or a fragment (partial)
    sieves/     adjacent cue, layout (transcript, headline, dash), fragment, reported speech
    inherit     a cue-less quote takes the previous firm speaker
    assemble    records: confidence, flags, ids
    algorithm   the table of sieves in order, and the pass over the document
"""
