"""The rubric: each category's standards and weight, and the questions a reviewer asks.

Categories live in :mod:`pipeline.rubric.categories`; the questions are data,
``questions.toml`` beside it, loaded by :mod:`pipeline.rubric.questions`.
"""

from pipeline.rubric.categories import CATEGORIES, CategorySpec, category_title

__all__ = ["CATEGORIES", "CategorySpec", "category_title"]
