"""Other XBlocks run in our workbench runtime too (issue 15: edx-ora2 crashed in it).

edx-ora2 protects `course_id` with a read-only property, one of the attributes xblock-sdk's
runtime patches into every block it renders; the runtime must skip that one, patch the others,
and render the block and call its handlers.
"""
import json
import uuid

import pytest
from web_fragments.fragment import Fragment
from workbench.scenarios import SCENARIOS, add_xml_scenario
from xblock.core import XBlock
from xblock.fields import Integer, Scope

pytestmark = [pytest.mark.db, pytest.mark.django_db]


class ReadOnlyCourseIdBlock(XBlock):
    """A block that, like edx-ora2's, has `course_id` as a property without a setter."""

    count = Integer(default=0, scope=Scope.user_state)

    @property
    def course_id(self):
        """The block's own course id (no setter)."""
        return "course-v1:Other+Block+Run"

    def student_view(self, _context=None):
        """What the block knows of itself, to see what the runtime patched in."""
        return Fragment(f"<p id='probe'>{self.course_id}|{self.category}|{self.graceperiod}</p>")

    @XBlock.json_handler
    def bump(self, _data, _suffix=""):
        """A handler that writes a field."""
        self.count += 1
        return {"count": self.count, "course_id": self.course_id, "category": self.category}


@XBlock.register_temp_plugin(ReadOnlyCourseIdBlock, "readonly_course_id")
def test_a_block_with_a_read_only_course_id_renders_and_handles(client):
    name = f"readonly-{uuid.uuid4().hex[:8]}"
    add_xml_scenario(name, name, "<readonly_course_id/>")
    page = client.get(f"/scenario/{name}/?student=alice")
    assert page.status_code == 200
    # Its own course_id stays; the attributes after it in xblock-sdk's patch are still set.
    assert "course-v1:Other+Block+Run|chapter|0:00:00" in page.content.decode()
    url = f"/handler/{SCENARIOS[name].usage_id}/bump/?student=alice"
    answers = [client.post(url, data=json.dumps({}), content_type="application/json") for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1].json() == {"count": 2, "course_id": "course-v1:Other+Block+Run", "category": "chapter"}
