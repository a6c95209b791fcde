"""The quotes stage: quotation spans (broken marks included), what each one is, and who said it."""

from pipeline.stages.quotes.finder import MARKS, Quotes

__all__ = ["MARKS", "Quotes"]
