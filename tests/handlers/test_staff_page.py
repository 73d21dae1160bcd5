"""The staff tabs' Settings link: staff get the block's editor URL, learners get none."""
import html
import json
import re

import pytest

from crosscheck_xblock import compat

pytestmark = pytest.mark.db


def init_of(page: str) -> dict:
    script = re.search(r'<script type="application/json" class="cc-init">(.*?)</script>', page, re.S)
    return json.loads(html.unescape(script.group(1)))


def test_staff_get_the_editor_link_and_learners_do_not(make_block):
    block = make_block()
    staff, learner = init_of(block.page("staff")), init_of(block.page("alice"))
    assert staff["studio_url"] == f"/scenario/{block.scenario}/studio_view/?student=staff"
    assert learner["studio_url"] is None


def test_in_the_lms_the_link_is_the_units_studio_page(settings):
    settings.CMS_BASE = "studio.example.org"

    class Runtime:  # an LMS runtime: no studio_url of its own
        pass

    unit = "block-v1:Org+Course+Run+type@vertical+block@unit1"

    class Block:
        runtime = Runtime()
        parent = unit

    assert compat.studio_url(Block()) == f"//studio.example.org/container/{unit}"
    Block.parent = None
    assert compat.studio_url(Block()) is None
