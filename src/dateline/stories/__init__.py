"""Near-duplicate and translated copies, online story clustering, related articles, world events.

``update_stories(store)`` is the one entry point that writes; the ``views`` functions read.
"""

from .update import StoriesReport, update_stories
from .views import get_story, list_stories, related_articles, related_stories, world_events

__all__ = [
           "StoriesReport",
           "get_story",
           "list_stories",
           "related_articles",
           "related_stories",
           "update_stories",
           "world_events",
]
