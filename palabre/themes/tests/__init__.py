"""Tests of the offline theme-suggestion engine."""
