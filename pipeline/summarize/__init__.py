"""Summaries: extractive sentence ranking, abstractive models, and the key quotations."""
