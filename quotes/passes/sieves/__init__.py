"""The sieves: each proposes, for one quote, a cue and its speaker with the id
of the rule that fired, or nothing. Their order is the table in
`quotes.passes.algorithm`."""
