"""Unit tests of the attribution passes on hand-built Docs (no model)."""
