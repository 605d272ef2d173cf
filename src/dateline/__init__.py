"""dateline: who did what to whom, when and where — from news reports."""

__version__ = "0.1.0"
