"""The quotes stage: quotation spans (broken marks included), what each one is, and who said it."""

from pipeline.stages.quotes.finder import Quotes
from pipeline.stages.quotes.tokens import MARKS

__all__ = ["MARKS", "Quotes"]
