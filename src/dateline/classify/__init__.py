"""A learned PLOVER event-type classifier that works beside the rule coder (see events/combine.py)."""

from .model import EventClassifier, Prediction, load_classifier
from .onnx_model import OnnxEventClassifier

__all__ = ["EventClassifier", "OnnxEventClassifier", "Prediction", "load_classifier"]
