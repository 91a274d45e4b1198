"""Woo disclosure (Wet open overheid): find what must be withheld, redact for real, list the decisions.

Plain Python, like `letters/`: no Flask, no portal models. A document is seen as named text
segments (the fields of a generated letter, the pages of an uploaded PDF); redactions are spans
over those segments, each with its legal ground. Output files are always written fresh from the
kept text, so withheld text never enters them, and `woo.leak` proves it afterwards.
"""
