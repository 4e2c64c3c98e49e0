"""Realistic demo data: teams, organizations, contacts, leads in every status,
opportunities in every stage, activities and history, all consistent with each other.

``generate(leads=…)`` writes it in bulk; ``vorsprung demo --leads N`` is the command."""

from vorsprung.demo.generator import MAX_LEADS, RECORD_KINDS, DemoError, DemoResult, generate

__all__ = ["MAX_LEADS", "RECORD_KINDS", "DemoError", "DemoResult", "generate"]
