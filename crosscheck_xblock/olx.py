"""OLX import/export of the block, with stable attribute names for course authors.

- `max_score` in OLX is the `max_points` field (the name `max_score` is the LMS's method).
- The checklist may come as an attribute or as a `<checklist>` child element holding rs JSON or
  YAML text; export writes the child element, which keeps a long checklist readable.
"""
from lxml import etree
from xblock.core import XBlock

ATTRIBUTE_RENAMES = {"max_score": "max_points"}


class OlxMixin:
    """parse_xml / add_xml_to_node for the cross-check block."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build the block from its OLX node."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for child in node:
            if isinstance(child.tag, str) and child.tag == "checklist":
                block.checklist = (child.text or "").strip()
        for name, value in node.items():
            name = ATTRIBUTE_RENAMES.get(name, name)
            if name in block.fields and name not in ("children", "parent", "content"):
                field = block.fields[name]
                setattr(block, name, field.from_string(value) if name != "checklist" else value)
        block.mirror_due()  # `due` follows the submission deadline, whatever the OLX says
        return block

    def add_xml_to_node(self, node):
        """Write the block's settings to its OLX node."""
        XBlock.add_xml_to_node(self, node)
        # `due` is not exported: it is derived from submission_due again on import (mirror_due).
        for python_name in ("max_points", "checklist", "due"):
            node.attrib.pop(python_name, None)
        node.set("max_score", str(self.max_points))
        checklist = etree.SubElement(node, "checklist")
        checklist.text = etree.CDATA(self.checklist)
