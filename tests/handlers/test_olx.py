"""OLX: stable attribute names; export → import keeps every setting and the checklist."""
import json
from xml.sax.saxutils import quoteattr

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from crosscheck_xblock.checklist import parse_checklist

pytestmark = [pytest.mark.db, pytest.mark.django_db]

YAML_CHECKLIST = """
taskName: Tiny task
criteria:
  - type: title
    title: Basics
  - type: subtask
    text: It works
    max: 30
  - type: penalty
    text: Late
    max: -10
"""
ATTRIBUTES = {
    "display_name": "Week 3 cross-check", "submission_kind": "pull_request", "reviews_per_work": "3",
    "max_score": "30", "grading_policy": "drop_min", "submission_due": "2026-04-01T12:00:00Z",
    "review_start": "2026-04-01T12:00:00Z", "review_due": "2026-04-04T12:00:00Z",
    "outlier_threshold": "17.5", "warning_rule": "fixed", "aggregation": "per_item", "appeal_days": "4.5",
}


def _parse(xml):
    runtime = WorkbenchRuntime("staff")
    usage_id = runtime.parse_xml_string(xml)
    return runtime.get_block(usage_id)


def _export(block):
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def test_export_then_import_keeps_everything():
    attributes = " ".join(f'{k}="{v}"' for k, v in ATTRIBUTES.items())
    block = _parse(f"<crosscheck {attributes}><checklist><![CDATA[{YAML_CHECKLIST}]]></checklist></crosscheck>")
    assert block.max_points == 30 and block.max_score() == 30 and block.reviews_per_work == 3
    exported = _export(block)
    node = etree.fromstring(exported)
    for name, value in ATTRIBUTES.items():
        assert node.get(name) == value, name
    again = _parse(exported)
    assert (block.outlier_threshold, block.warning_rule, block.aggregation, block.appeal_days) == \
        (17.5, "fixed", "per_item", 4.5)
    for field in ("display_name", "submission_kind", "reviews_per_work", "max_points", "grading_policy",
                  "submission_due", "review_start", "review_due", "outlier_threshold", "warning_rule",
                  "aggregation", "appeal_days"):
        assert getattr(again, field) == getattr(block, field), field
    assert parse_checklist(again.checklist) == parse_checklist(YAML_CHECKLIST)


def test_checklist_as_attribute_json():
    rs = {"taskName": "Attr", "criteria": [{"type": "subtask", "text": "Done & dusted", "max": 5}]}
    block = _parse(f"<crosscheck checklist={quoteattr(json.dumps(rs))}/>")
    assert parse_checklist(block.checklist).max_total == 5


def test_studio_save_reaches_the_settings_copy(make_block):
    """What the Studio editor saves is what learners get (the editor's own tests: test_studio_submit.py)."""
    block = make_block('reviews_per_work="3"')
    values = {"reviews_per_work": 5, "max_score": 30, "checklist": YAML_CHECKLIST}
    assert block.call("studio_submit", "staff", {"values": values})[0] == 200
    state = block.state("staff")
    assert state["settings"]["reviews_per_work"] == 5 and state["checklist"]["max_score"] == 30


def test_grading_options_left_at_their_defaults_stay_defaults():
    """A block that never set the options exports none of them and imports as the defaults."""
    block = _parse("<crosscheck/>")
    node = etree.fromstring(_export(block))
    for name in ("outlier_threshold", "warning_rule", "aggregation", "appeal_days"):
        assert node.get(name) is None, name
    again = _parse(_export(block))
    assert (again.outlier_threshold, again.warning_rule, again.aggregation, again.appeal_days) == \
        (15.0, "evidence", "total", 3.0)
