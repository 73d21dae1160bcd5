"""Peer cross-check XBlock for Open edX: checklist reviews, distribution and grading."""
