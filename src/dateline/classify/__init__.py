"""A learned PLOVER event-type classifier that works beside the rule coder (see events/combine.py)."""

from .model import EventClassifier, Prediction, load_classifier

__all__ = ["EventClassifier", "Prediction", "load_classifier"]
