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
    for field in ("display_name", "submission_kind", "reviews_per_work", "max_points", "grading_policy",
                  "submission_due", "review_start", "review_due"):
        assert getattr(again, field) == getattr(block, field), field
    assert parse_checklist(again.checklist) == parse_checklist(YAML_CHECKLIST)


def test_checklist_as_attribute_json():
    rs = {"taskName": "Attr", "criteria": [{"type": "subtask", "text": "Done & dusted", "max": 5}]}
    block = _parse(f"<crosscheck checklist={quoteattr(json.dumps(rs))}/>")
    assert parse_checklist(block.checklist).max_total == 5


def test_studio_save_refuses_invalid_settings_and_keeps_the_old_ones(make_block):
    block = make_block('reviews_per_work="3"')
    bad = {"values": {"checklist": '{"criteria": [{"type": "penalty", "text": "x", "max": 5}]}',
                      "reviews_per_work": 11, "review_start": "2026-04-02T00:00:00Z",
                      "review_due": "2026-04-01T00:00:00Z"}, "defaults": []}
    status, body = block.call("submit_studio_edits", "staff", bad)
    assert status == 400
    text = json.dumps(body)
    assert "item 1" in text and "between 1 and 10" in text and "in order" in text
    assert block.state("staff")["settings"]["reviews_per_work"] == 3
    good = {"values": {"reviews_per_work": 5, "checklist": YAML_CHECKLIST}, "defaults": []}
    assert block.call("submit_studio_edits", "staff", good)[0] == 200
    state = block.state("staff")
    assert state["settings"]["reviews_per_work"] == 5 and state["checklist"]["max_score"] == 30
