"""Evaluations run by `make eval`: each module prints a table and has a function returning its numbers."""
