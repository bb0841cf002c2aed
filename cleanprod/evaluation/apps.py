"""Evaluation app: grading against indicator systems (core: cleanprod.core.scoring)."""

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "cleanprod.evaluation"
    label = "evaluation"
    verbose_name = "清洁生产评价"
