"""End-to-end browser tests: learners and staff use the real page of a real workbench server.

test_full_cross_check: the empty scenario (crosscheck.1: any link, k=3, policy mean) from the first
submission to the gradebook, with five learners and course staff.
test_demo_staff_progress: the demo scenario (crosscheck.0) as staff sees it.

Screenshots go to test-artifacts/ at the repository root.
"""
import json
import os
import secrets
from fractions import Fraction

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the same rule as a missing Chromium (see conftest.py)
    if os.environ.get("CI"):
        raise
    pytest.skip("the playwright package is missing: pip install -r requirements/test.txt",
                allow_module_level=True)

pytestmark = pytest.mark.browser

EMPTY, DEMO = 1, 0  # workbench scenarios crosscheck.1 and crosscheck.0
K = 3
MAX_SCORE = 100
DEMO_LEARNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                 "mallory", "oscar"]

PHASE_SUBMISSION = "Submission is open."
PHASE_REVIEW = "The cross-check is running: review the works assigned to you."
PHASE_CLOSED = "The cross-check is complete."
POLICY_MEAN = "The grade is the average of all the scores the work received."


# ---------------------------------------------------------------- arithmetic the page must show

def fmt_points(value: Fraction) -> str:
    """The page's fmtPoints: at most two decimals, no trailing zeros ("87.5", "100", "0")."""
    assert value >= 0
    hundredths = (value * 100 + Fraction(1, 2)).__floor__()
    return f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")


def review_total(items: list[dict], values: dict[str, Fraction]) -> Fraction:
    """Sum of value × max over the scored items (absent = 0), floored at 0, capped at the max."""
    total = sum((values.get(item["id"], Fraction(0)) * item["max"] for item in items
                 if item["type"] in ("subtask", "penalty")), Fraction(0))
    return min(max(total, Fraction(0)), Fraction(MAX_SCORE))


def round_half_up(value: Fraction) -> int:
    return (value + Fraction(1, 2)).__floor__()


# ---------------------------------------------------------------- page helpers

def init_state(page: Page) -> dict:
    """The JSON state the server put into the page (script.cc-init) when it was loaded."""
    return json.loads(page.locator(".crosscheck script.cc-init").text_content())["state"]


def open_block(page: Page, url: str, phase: str) -> dict:
    """Open a scenario page and wait until the block's JS has rendered `phase`."""
    # The tab in front: Chromium throttles animation frames in the others, and Playwright's
    # stability check before each click waits for them (about 2 s per click).
    page.bring_to_front()
    page.goto(url)
    expect(page.locator(".crosscheck .cc-phase")).to_have_text(phase)
    # The notices arrive after the page (get_notices): wait for them, so that a later navigation
    # does not cut this page's answer off and a caller waiting for the next page's get_notices is
    # not handed this one (the CI flake of stop 24).
    expect(page.locator(".crosscheck .cc-notices-loading")).to_have_count(0)
    return init_state(page)


def handler_response(page: Page, handler: str):
    """Wait for the POST to the block's `handler` (use as a context manager around the action)."""
    return page.expect_response(lambda r: f"/{handler}/" in r.url and r.request.method == "POST")


def assert_names_absent(page: Page, names, where: str):
    """None of `names` may appear in the page's visible text, nor anywhere in the block's HTML
    (attributes, links, the JSON state in script.cc-init)."""
    text = page.locator("body").inner_text()
    html = page.locator(".crosscheck").evaluate("el => el.outerHTML")
    for name in names:
        assert name not in text, f"{where}: the learner name {name!r} is visible on the page"
        assert name not in html, f"{where}: the learner name {name!r} is in the block's HTML"


def screenshot(page: Page, path):
    """A full-page screenshot from the top (the workbench's fixed banner would cover the middle)."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)


def open_tab(page: Page, tab: str):
    """Show one section of the page: click its tab (WAI-ARIA tabs) and wait until it is selected."""
    button = page.locator(f'.crosscheck [role=tab][data-tab="{tab}"]')
    button.click()
    expect(button).to_have_attribute("aria-selected", "true")
    expect(page.locator(f'.crosscheck [role=tabpanel][aria-labelledby="{button.get_attribute("id")}"]')).to_be_visible()


def expect_tab(page: Page, tab: str):
    """The page opened on (or shows) the section `tab`."""
    expect(page.locator('.crosscheck [role=tab][aria-selected="true"]')).to_have_attribute("data-tab", tab)


def pick_work(page: Page, review_id: str):
    """Show one work in "Reviews to do" (one work at a time) by its button in the list of works."""
    page.locator(f'.cc-work-list button.cc-work-pick[data-review="{review_id}"]').click()
    expect(page.locator(f'.cc-reviews .cc-work[data-review="{review_id}"]')).to_be_visible()
    expect(page.locator(".cc-reviews .cc-work:visible")).to_have_count(1)


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Page, selector: str, limit: int = 300):
    """Move the keyboard focus with Tab (or Shift+Tab when the target comes earlier in the page)
    until the focused element matches `selector`; fail if it is never reached."""
    direction = page.evaluate("""s => {
        const target = document.querySelector(s), here = document.activeElement;
        if (!target) return 'missing';
        if (!here || here === document.body || here === target) return 'Tab';
        return here.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING ? 'Shift+Tab' : 'Tab';
    }""", selector)
    assert direction != "missing", f"nothing matches {selector}"
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press(direction)
    raise AssertionError(f"Tab never reached {selector}")


def submit_link(page: Page, url: str):
    form = page.locator(".cc-submission form.cc-submit-form")
    form.locator("input[name=url]").fill(url)
    with handler_response(page, "submit_work") as response:
        form.locator("button[type=submit]").click()
    return response.value


class Bilingual:
    """The same page in an English and a Russian browser: axe-core audit (no serious or critical
    violation) and a screenshot test-artifacts/screens/<lang>-<section>.png of each."""

    def __init__(self, context, context_ru, audit, artifacts):
        self.pages = {"en": context.new_page(), "ru": context_ru.new_page()}
        self.audit = audit
        self.folder = artifacts / "screens"
        self.folder.mkdir(exist_ok=True)
        self.seen = set()

    def done(self, section: str) -> bool:
        return section in self.seen

    def check(self, url: str, section: str, tab: str | None = None, ready: str | None = None,
              action=None, then: str | None = None):
        self.seen.add(section)
        for lang, page in self.pages.items():
            page.bring_to_front()
            page.goto(url)
            box = page.locator(".crosscheck")
            expect(box).to_have_attribute("lang", lang)
            expect(box.locator("[role=tab]").first).to_be_visible()
            if tab:
                open_tab(page, tab)
            if ready:
                expect(page.locator(ready).first).to_be_visible()
            if action:
                action(page)
                expect(page.locator(then).first).to_be_visible()
            expect(page.locator(".crosscheck .cc-error")).to_be_hidden()
            screenshot(page, self.folder / f"{lang}-{section}.png")
            self.audit(page, f"{lang}-{section}")


def keyboard_submit(page: Page, url: str):
    """Submit a link with the keyboard alone: Tab to the link box, type, Enter."""
    tab_to(page, ".cc-submit-form input[name=url]")
    page.keyboard.press("Control+A")
    page.keyboard.type(url)
    with handler_response(page, "submit_work") as response:
        page.keyboard.press("Enter")
    return response.value


def keyboard_set_item(page: Page, review_id: str, item_id: str, item_type: str, value: Fraction):
    """Give one checklist item `value` with the keyboard: Tab into its radio group (the checked
    choice, or the first, is the group's tab stop), then Home and ArrowRight to the choice."""
    group = f'.cc-work[data-review="{review_id}"] .cc-item[data-item="{item_id}"] .cc-scale'
    tab_to(page, f'{group} button[tabindex="0"]')
    steps = int(value) if item_type == "penalty" else int(value * 10)
    assert Fraction(steps, 1 if item_type == "penalty" else 10) == value
    page.keyboard.press("Home")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f'{group} button[aria-checked="true"]')).to_be_focused()


# ---------------------------------------------------------------- review plans

def review_plan(pattern: int, learner: int, items: list[dict]) -> list[tuple[str, Fraction]]:
    """The clicks of one review, in order: (item id, value); an item may be set twice.

    0: everything done, no penalty (100).
    1: a mix: not done, Done then changed to 50 %, a partial that differs per learner, the small
       penalty.
    2: half done, then the small penalty (the total drops by it) and the big one (floor at 0).
    3: partial everywhere (30 % / 70 %), the last one first set to 40 % and then Done.
    """
    subtasks = [item["id"] for item in items if item["type"] == "subtask"]
    penalties = sorted((item for item in items if item["type"] == "penalty"), key=lambda i: i["max"])
    big, small = penalties[0]["id"], penalties[-1]["id"]
    one, zero = Fraction(1), Fraction(0)
    steps: list[tuple[str, Fraction]] = []
    if pattern == 0:
        steps += [(sid, one) for sid in subtasks] + [(small, zero), (big, zero)]
    elif pattern == 1:
        for index, sid in enumerate(subtasks):
            if index in (0, 5):
                steps.append((sid, zero))
            elif index == 1:
                steps += [(sid, one), (sid, Fraction(1, 2))]
            elif index == 3:
                steps.append((sid, Fraction(learner + 1, 10)))
            else:
                steps.append((sid, one))
        steps += [(big, zero), (small, one)]
    elif pattern == 2:
        half = len(subtasks) // 2
        steps += [(sid, one if index < half else zero) for index, sid in enumerate(subtasks)]
        steps += [(small, one), (big, one)]
    else:
        steps += [(sid, Fraction(3 if index % 2 == 0 else 7, 10)) for index, sid in enumerate(subtasks)]
        steps += [(subtasks[-1], Fraction(4, 10)), (subtasks[-1], one), (big, zero), (small, zero)]
    return steps


def justify_item(page: Page, form, review_id: str, item_id: str, by_keyboard: bool):
    """Open an item's comment and say why it lost points (with the keyboard: Tab to "Comment",
    Enter opens it and moves the focus into it)."""
    text = f"Points taken on {item_id}: see the page."
    row = f'.cc-work[data-review="{review_id}"] .cc-item[data-item="{item_id}"]'
    if by_keyboard:
        tab_to(page, f"{row} button.cc-link")
        page.keyboard.press("Enter")
        expect(page.locator(f"{row} textarea.cc-item-comment")).to_be_focused()
        page.keyboard.type(text)
    else:
        form.locator(f'.cc-item[data-item="{item_id}"] button.cc-link').click()
        form.locator(f'.cc-item[data-item="{item_id}"] textarea.cc-item-comment').fill(text)
    expect(page.locator(f"{row} .cc-comment-needed")).to_be_hidden()


def set_item(item_row, item_type: str, value: Fraction):
    """Click the control of one checklist row that gives it `value` (Not done / a star / Done, No / Yes)."""
    if value in (0, 1):
        key = str(int(value))
    else:
        assert item_type == "subtask", "only a subtask takes a fraction"
        key = str(float(value))  # the stars' data-value is JS's String(step): "0.1" … "0.9"
    item_row.locator(f'.cc-scale button[data-value="{key}"]').click()


# ---------------------------------------------------------------- the tests

def test_full_cross_check(workbench, context, context_ru, audit, artifacts):
    """Five learners submit, staff starts, everyone reviews 3 works, staff completes, grades arrive.

    The last learner uses the keyboard alone, from the submission through the reviews to the
    grade (Tab / Shift+Tab to move, typing, Enter, arrow keys; no clicks, no fill()). At every
    state the page is audited with axe-core and photographed in English and Russian
    (test-artifacts/screens/<lang>-<section>.png)."""
    tag = secrets.token_hex(3)
    learners = [f"u{n}-{tag}" for n in range(1, 6)]
    links = {name: f"https://site-{secrets.token_hex(4)}.example.org/" for name in learners}
    owner = {link: name for name, link in links.items()}
    page = context.new_page()
    staff = context.new_page()
    keyboard_learner = learners[-1]
    both = Bilingual(context, context_ru, audit, artifacts)

    # ---- 1. submission: everyone submits a link; the first also tries bad ones, the second replaces it
    for index, name in enumerate(learners):
        state = open_block(page, workbench.scenario(EMPTY, name), PHASE_SUBMISSION)
        assert state["submission"] is None and state["settings"]["reviews_per_work"] == K
        error = page.locator(".crosscheck .cc-error")
        expect(error).to_be_hidden()
        if index == 0:
            url_input = page.locator(".cc-submit-form input[name=url]")
            # "not a link" is stopped by the browser already (the input is type=url, required):
            # the form is never submitted, nothing is sent, and the block shows no error of its own.
            page.locator(".cc-submit-form").evaluate(
                "form => form.addEventListener('submit', () => { window.ccSubmitted = true; })")
            url_input.fill("not a link")
            page.locator(".cc-submit-form button[type=submit]").click()
            assert url_input.evaluate("el => el.validity.typeMismatch") is True
            assert page.evaluate("window.ccSubmitted === undefined"), "the browser submitted 'not a link'"
            expect(error).to_be_hidden()
            expect(page.locator(".cc-ok")).to_have_count(0)
            # The server's refusal is shown in .cc-error: for "not a link" (with the browser's own
            # check switched off, as for a client that has none) …
            page.locator(".cc-submit-form").evaluate("form => { form.noValidate = true; }")
            response = submit_link(page, "not a link")
            assert response.status == 400
            expect(error).to_be_visible()
            expect(error).to_have_text("The link must not contain spaces or line breaks.")
            # … and for a link the browser accepts but the block does not.
            response = submit_link(page, "https://intranet/")
            assert response.status == 400
            expect(error).to_contain_text("“intranet” is not a full host name")
            expect(page.locator(".cc-submitted")).to_have_count(0)
        if index == 1:
            first = f"https://draft-{secrets.token_hex(4)}.example.org/"
            assert submit_link(page, first).status == 200
            expect(page.locator(".cc-submitted a")).to_have_attribute("href", first)
            expect(page.locator(".cc-submit-form button[type=submit]")).to_have_text("Replace link")
        if name == keyboard_learner:
            response = keyboard_submit(page, links[name])
        else:
            response = submit_link(page, links[name])
        assert response.status == 200
        expect(page.locator(".cc-ok")).to_contain_text("Your work is saved")
        if index == 0:
            both.check(workbench.scenario(EMPTY, name), "my-work")
        expect(error).to_be_hidden()
        expect(page.locator(".cc-submitted a")).to_have_attribute("href", links[name])
        expect(page.locator(".cc-submitted a")).to_have_text(links[name])
        # Reloading shows the stored link, not just what the JS remembers.
        open_block(page, workbench.scenario(EMPTY, name), PHASE_SUBMISSION)
        expect(page.locator(".cc-submitted a")).to_have_attribute("href", links[name])
        expect(page.locator(".cc-reviews .cc-work")).to_have_count(0)

    # ---- 2. staff starts the cross-check
    open_block(staff, workbench.scenario(EMPTY, "staff"), PHASE_SUBMISSION)
    expect_tab(staff, "progress")
    rows = staff.locator(".cc-progress-table tbody tr")
    expect(rows).to_have_count(len(learners))
    expect(staff.locator(".cc-staff-summary")).to_contain_text("5 works submitted.")
    for name in learners:
        expect(rows.filter(has_text=name)).to_contain_text(links[name])
    start, complete = staff.locator("button.cc-staff_start"), staff.locator("button.cc-staff_complete")
    expect(start).to_have_text("Start cross-check now")
    expect(start).to_be_enabled()
    expect(complete).to_be_disabled()
    with handler_response(staff, "staff_start") as response:
        start.click()
    assert response.value.status == 200
    result = response.value.json()["result"]
    assert result["started"] is True
    expect(staff.locator(".cc-staff .cc-ok")).to_have_text(result["message"])
    expect(staff.locator(".cc-staff .cc-ok")).to_contain_text(f"{K} reviewers")
    expect(staff.locator(".cc-phase")).to_have_text(PHASE_REVIEW)
    expect(staff.locator(".cc-staff-summary")).to_contain_text(f"Reviewers per work: {K}.")
    expect(start).to_be_disabled()
    expect(complete).to_be_enabled()
    for name in learners:
        expect(rows.filter(has_text=name).locator("td").nth(3)).to_have_text(f"0 / {K}")
    screenshot(staff, artifacts / "staff-started.png")
    both.check(workbench.scenario(EMPTY, "staff"), "staff-progress", ready=".cc-staff table tbody tr")
    both.check(workbench.scenario(EMPTY, "staff"), "staff-settings", tab="settings", ready="a.cc-studio-link")

    # ---- 3. every learner reviews the 3 works assigned to them
    given = []  # (reviewer, author, total, comment)
    for index, name in enumerate(learners):
        state = open_block(page, workbench.scenario(EMPTY, name), PHASE_REVIEW)
        items = state["checklist"]["items"]
        kinds = {item["id"]: item["type"] for item in items}
        assert sum(item["max"] for item in items if item["type"] == "subtask") == MAX_SCORE
        expect_tab(page, "reviews")  # the section that needs action now
        works = page.locator(".cc-reviews .cc-work")
        expect(works).to_have_count(K)
        expect(page.locator(".cc-reviews .cc-work:visible")).to_have_count(1)  # one work at a time
        expect(page.locator(".cc-reviews h3")).to_have_text(f"Works to review (0 of {K} done)")
        expect(page.locator(".cc-progress-reviews")).to_have_text(f"Reviews: 0 of {K} done")
        if index == 0:
            both.check(workbench.scenario(EMPTY, name), "review-form")
        assert_names_absent(page, [other for other in learners if other != name], f"{name}'s review page")
        review_ids, authors = [], []
        for position in range(K):
            work = works.nth(position)
            expect(work.locator("h4")).to_contain_text(f"Work {position + 1}")
            expect(work.locator(".cc-badge")).to_have_text("Not started")
            expect(page.locator(f'.cc-work-pick[data-review="{work.get_attribute("data-review")}"]')).to_contain_text(
                "Not started")
            href = work.locator("a").get_attribute("href")
            assert href in owner, f"{name} got a link nobody submitted: {href}"
            authors.append(owner[href])
            review_ids.append(work.get_attribute("data-review"))
        assert name not in authors, f"{name} has to review their own work"
        assert len(set(authors)) == K, f"{name} got the same work twice: {authors}"

        by_keyboard = name == keyboard_learner
        for position, (review_id, author) in enumerate(zip(review_ids, authors)):
            block = page.locator(f'.cc-work[data-review="{review_id}"]')
            if by_keyboard:
                tab_to(page, f'.cc-work-pick[data-review="{review_id}"]')
                page.keyboard.press("Enter")
                expect(block).to_be_visible()
                expect(block.locator("h4")).to_be_focused()
            else:
                pick_work(page, review_id)
            form = block.locator("form.cc-review-form")
            total_text = form.locator(".cc-total")
            expect(total_text).to_have_text(f"Total: 0 of {MAX_SCORE}")
            values: dict[str, Fraction] = {}
            for item_id, value in review_plan((index + position + 1) % 4, index, items):
                row = form.locator(f'.cc-item[data-item="{item_id}"]')
                if by_keyboard:
                    keyboard_set_item(page, review_id, item_id, kinds[item_id], value)
                else:
                    set_item(row, kinds[item_id], value)
                values[item_id] = value
                expect(total_text).to_have_text(
                    f"Total: {fmt_points(review_total(items, values))} of {MAX_SCORE}")
            # The demo's comment rule (deducted): every item that lost points says why.
            for item in items:
                value = values.get(item["id"], Fraction(0))
                if (item["type"] == "penalty" and value > 0) or (item["type"] == "subtask" and value < 1):
                    justify_item(page, form, review_id, item["id"], by_keyboard)
            expect(form.locator(".cc-comment-summary")).to_have_text("")
            total = review_total(items, values)
            comment = f"Review {position + 1}, note {secrets.token_hex(3)}."
            if by_keyboard:
                tab_to(page, f'.cc-work[data-review="{review_id}"] textarea.cc-comment-input')
                page.keyboard.type(comment)
                tab_to(page, f'.cc-work[data-review="{review_id}"] button.cc-submit')
            else:
                form.locator("textarea.cc-comment-input").fill(comment)
            if index == 0 and position == 0:
                screenshot(page, artifacts / "learner-review-form.png")
            with handler_response(page, "submit_review") as response:
                if by_keyboard:
                    page.keyboard.press("Enter")
                else:
                    form.locator("button[type=submit]").click()
            assert response.value.status == 200, response.value.text()
            expect(block).to_have_class("cc-work cc-done")
            shown = f"Submitted: {fmt_points(total)} of {MAX_SCORE}"
            expect(block.locator(".cc-badge")).to_have_text(shown)
            expect(page.locator(f'.cc-work-pick[data-review="{review_id}"]')).to_contain_text(shown)
            expect(block.locator("button[type=submit]")).to_have_text("Update review")
            # A submitted review is collapsed: its form opens on demand.
            expect(block.locator("details.cc-edit-review")).not_to_have_attribute("open", "")
            expect(page.locator(".cc-reviews h3")).to_have_text(f"Works to review ({position + 1} of {K} done)")
            expect(page.locator(".cc-progress-reviews")).to_have_text(f"Reviews: {position + 1} of {K} done")
            expect(page.locator(".cc-announce")).to_have_text(f"Your review of Work {position + 1} is submitted.")
            if position + 1 < K:  # the next work not yet reviewed is shown, with the focus on it
                following = page.locator(f'.cc-work[data-review="{review_ids[position + 1]}"]')
                expect(following).to_be_visible()
                expect(following.locator("h4")).to_be_focused()
                expect(block).to_be_hidden()
            expect(page.locator(".cc-error")).to_be_hidden()
            given.append((name, author, total, comment))
        # The stored reviews survive a reload.
        open_block(page, workbench.scenario(EMPTY, name), PHASE_REVIEW)
        expect(page.locator(".cc-reviews .cc-work.cc-done")).to_have_count(K)

    # Every work was reviewed by exactly K learners.
    for name in learners:
        assert sum(1 for _, author, _, _ in given if author == name) == K

    # ---- 4. staff completes the cross-check
    open_block(staff, workbench.scenario(EMPTY, "staff"), PHASE_REVIEW)
    for name in learners:
        row = rows.filter(has_text=name).locator("td")
        expect(row.nth(3)).to_have_text(f"{K} / {K}")
        expect(row.nth(4)).to_have_text(str(K))
    with handler_response(staff, "staff_complete") as response:
        staff.locator("button.cc-staff_complete").click()
    assert response.value.status == 200
    expect(staff.locator(".cc-staff .cc-ok")).to_have_text(f"{len(learners)} of {len(learners)} learners graded.")
    expect(staff.locator(".cc-phase")).to_have_text(PHASE_CLOSED)
    expect(staff.locator("button.cc-staff_complete")).to_be_disabled()
    expect(staff.locator("button.cc-staff_start")).to_be_disabled()
    both.check(workbench.scenario(EMPTY, "staff"), "staff-analytics", tab="analytics",
               ready=".cc-analytics table.cc-analytics-table")

    expected = {}
    for name in learners:
        totals = [total for _, author, total, _ in given if author == name]
        expected[name] = round_half_up(sum(totals, Fraction(0)) / len(totals))
        expect(rows.filter(has_text=name).locator("td").nth(5)).to_have_text(f"{expected[name]} / {MAX_SCORE}")
    screenshot(staff, artifacts / "staff-view.png")

    # ---- 5. every learner sees the grade and how it was computed
    for index, name in enumerate(learners):
        open_block(page, workbench.scenario(EMPTY, name), PHASE_CLOSED)
        expect_tab(page, "grade")  # after grading the page opens on the grade
        received = [(total, comment) for _, author, total, comment in given if author == name]
        grade = page.locator(".cc-grade")
        expect(grade).to_be_visible()
        expect(page.locator(".cc-progress-grade")).to_have_text(f"Grade: {expected[name]} of {MAX_SCORE}")
        expect(grade.locator(".cc-grade-points")).to_have_text(f"{expected[name]} of {MAX_SCORE}")
        expect(grade).to_contain_text(f"Your grade is {expected[name]} of {MAX_SCORE}: {POLICY_MEAN}")
        scores = grade.locator(".cc-grade-scores li")
        expect(scores).to_have_count(K)
        shown = sorted(text.split(": ", 1)[1] for text in scores.all_inner_texts())
        assert shown == sorted(f"{fmt_points(total)} (counted)" for total, _ in received)
        for text in scores.all_inner_texts():
            assert text.startswith("Reviewer "), text
        if name == keyboard_learner:  # from the grade to the feedback and back, by the arrow keys
            tab_to(page, '.crosscheck [role=tab][aria-selected="true"]')
            page.keyboard.press("ArrowLeft")
            expect(page.locator('.crosscheck [role=tab][data-tab="feedback"]')).to_be_focused()
            expect_tab(page, "feedback")
            expect(page.locator(".cc-received")).to_be_visible()
            expect(grade).to_be_hidden()
        else:
            open_tab(page, "feedback")
        reviews = page.locator(".cc-received .cc-work")
        expect(reviews).to_have_count(K)
        headings = sorted(text.split(": ", 1)[1] for text in reviews.locator("h4").all_inner_texts())
        assert headings == sorted(f"{fmt_points(total)} of {MAX_SCORE}" for total, _ in received)
        assert sorted(reviews.locator(".cc-comment").all_inner_texts()) == sorted(c for _, c in received)
        expect(page.locator(".cc-reviews .cc-work form")).to_have_count(0)  # reviewing is over
        assert_names_absent(page, [other for other in learners if other != name], f"{name}'s grade page")
        if name == keyboard_learner:
            page.keyboard.press("ArrowRight")
            expect_tab(page, "grade")
            expect(grade.locator(".cc-grade-points")).to_be_visible()
        if index == 0:
            open_tab(page, "grade")
            screenshot(page, artifacts / "learner-grade.png")
            both.check(workbench.scenario(EMPTY, name), "grade")
            both.check(workbench.scenario(EMPTY, name), "feedback", tab="feedback")

    # ---- 6. the (stand-in) LMS gradebook received one score per learner
    page.bring_to_front()
    page.goto(workbench.url("/gradebook/"))
    table_rows = page.locator("table tr")
    expect(table_rows.first).to_contain_text("Learner")
    cells = [row.locator("td").all_inner_texts() for row in table_rows.all()[1:]]
    ours = [row for row in cells if row[0] in expected]
    # One score per learner of this task (other browser tests' tasks write theirs to the same gradebook).
    assert len([row for row in cells if "cross-check-from-scratch" in row[1]]) == len(learners), cells
    assert sorted((row[0], row[2]) for row in ours) == sorted(
        (name, f"{points} / {MAX_SCORE}") for name, points in expected.items())
    assert all("cross-check-from-scratch" in row[1] for row in ours), ours

    # ---- 7. the first learner appeals; staff re-check; the grade, the gradebook and warnings follow
    appeal_and_recheck(workbench, page, staff, learners, given, items, artifacts, both)


def appeal_and_recheck(workbench, page, staff, learners, given, items, artifacts, both):
    """A4/F4 in the browser: appeal naming items, staff re-check everything Done (100), the grade
    is replaced, and the reviewers more than 15 points from 100 see a warning (only they do)."""
    author = learners[0]
    open_block(page, workbench.scenario(EMPTY, author), PHASE_CLOSED)
    section = page.locator(".cc-appeal")
    form = section.locator("form.cc-appeal-form")
    expect(form).to_be_visible()
    both.check(workbench.scenario(EMPTY, author), "appeal", ready="form.cc-appeal-form")
    expect(form.locator(".cc-appeal-item")).to_have_count(sum(1 for i in items if i["type"] in ("subtask", "penalty")))
    with handler_response(page, "submit_appeal") as response:
        form.locator("button.cc-appeal-submit").click()  # nothing ticked, no reason: refused
    assert response.value.status == 400
    expect(page.locator(".cc-error")).to_contain_text("a reason of 1 to")
    reason = "<b>Item one</b> is done: see the footer."
    form.locator(".cc-appeal-item input").nth(0).check()
    form.locator(".cc-appeal-item input").nth(1).check()
    form.locator("textarea.cc-appeal-reason").fill(reason)
    with handler_response(page, "submit_appeal") as response:
        form.locator("button.cc-appeal-submit").click()
    assert response.value.status == 200, response.value.text()
    expect(section.locator(".cc-appeal-status")).to_contain_text("Course staff will re-check your work.")
    expect(section.locator(".cc-appeal-reason-sent")).to_have_text(reason)  # as text, not markup
    expect(section.locator("form")).to_have_count(0)
    screenshot(page, artifacts / "learner-appeal-sent.png")
    both.check(workbench.scenario(EMPTY, author), "appeal-sent", ready=".cc-appeal-status")

    open_block(staff, workbench.scenario(EMPTY, "staff"), PHASE_CLOSED)
    with handler_response(staff, "staff_appeals") as response:
        open_tab(staff, "appeals")
    assert response.value.status == 200
    expect(staff.locator('[role=tab][data-tab="appeals"] .cc-tab-badge')).to_have_text("1")
    both.check(workbench.scenario(EMPTY, "staff"), "staff-appeals", tab="appeals",
               ready=".cc-appeals .cc-appeal-pending")
    both.check(workbench.scenario(EMPTY, "staff"), "staff-recheck", tab="appeals",
               ready=".cc-appeals .cc-appeal-pending",
               action=lambda p: p.locator(".cc-appeal-pending button.cc-recheck-open").click(),
               then="form.cc-recheck-form")
    # The filter by learner hides the other works' blocks.
    blocks = staff.locator(".cc-appeals [data-learner]")
    if blocks.count() > 1:
        staff.locator(".cc-appeals input.cc-filter-input").fill(author)
        expect(staff.locator(".cc-appeals [data-learner]:visible")).to_have_count(1)
        staff.locator(".cc-appeals input.cc-filter-input").fill("")
        expect(staff.locator(".cc-appeals [data-learner]:visible")).to_have_count(blocks.count())
    pending = staff.locator(".cc-appeals .cc-appeal-pending")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text(author)
    expect(pending.locator(".cc-comment")).to_have_text(reason)
    pending.locator("button.cc-recheck-open").click()
    recheck = pending.locator("form.cc-recheck-form")
    for item in items:
        if item["type"] in ("subtask", "penalty"):
            set_item(recheck.locator(f'.cc-item[data-item="{item["id"]}"]'), item["type"],
                     Fraction(1 if item["type"] == "subtask" else 0))
    expect(recheck.locator(".cc-total")).to_have_text(f"Total: {MAX_SCORE} of {MAX_SCORE}")
    recheck.locator("textarea.cc-comment-input").fill("Re-checked: everything is there.")
    with handler_response(staff, "staff_recheck") as response:
        recheck.locator("button[type=submit]").click()
    assert response.value.status == 200, response.value.text()
    expect(staff.locator(".cc-appeals .cc-ok")).to_contain_text(f"is now {MAX_SCORE} of {MAX_SCORE}")
    expect(staff.locator(".cc-appeals .cc-appeal-resolved")).to_have_count(1)
    screenshot(staff, artifacts / "staff-appeals.png")

    both.check(workbench.scenario(EMPTY, "staff"), "staff-appeals-resolved", tab="appeals",
               ready=".cc-appeals .cc-appeal-resolved")
    open_block(page, workbench.scenario(EMPTY, author), PHASE_CLOSED)
    expect(page.locator(".cc-grade .cc-grade-points")).to_have_text(f"{MAX_SCORE} of {MAX_SCORE}")
    expect(page.locator(".cc-grade")).to_contain_text(f"Your grade is {MAX_SCORE} of {MAX_SCORE}, from a re-check")
    expect(page.locator(".cc-grade .cc-grade-scores li.cc-counted")).to_have_count(0)
    expect(page.locator(".cc-appeal .cc-recheck-result")).to_contain_text(
        f"{MAX_SCORE} of {MAX_SCORE}. Your grade was")
    expect(page.locator(".cc-appeal .cc-recheck .cc-comment")).to_have_text("Re-checked: everything is there.")
    assert_names_absent(page, [other for other in learners if other != author], f"{author}'s appeal page")
    screenshot(page, artifacts / "learner-appeal-rechecked.png")

    far = {reviewer for reviewer, work_author, total, _ in given
           if work_author == author and abs(total - MAX_SCORE) > Fraction(15)}
    for reviewer, work_author, _, _ in given:
        if work_author != author:
            continue
        open_block(page, workbench.scenario(EMPTY, reviewer), PHASE_CLOSED)
        warned = page.locator(".cc-warning-appeal_review")
        expect(warned).to_have_count(1 if reviewer in far else 0)
        if reviewer in far:
            expect_tab(page, "grade")  # a warning opens the page on it
            expect(warned).to_be_visible()
            expect(warned).to_contain_text("Course staff re-checked Work ")
            if not both.done("warnings"):
                both.check(workbench.scenario(EMPTY, reviewer), "warnings", ready=".cc-warning-appeal_review")
            assert_names_absent(page, [other for other in learners if other != reviewer], f"{reviewer}'s warning")

    page.goto(workbench.url("/gradebook/"))
    row = page.locator("table tr").filter(has_text=author).first
    expect(row).to_contain_text(f"{MAX_SCORE} / {MAX_SCORE}")


def test_demo_staff_progress(workbench, context, artifacts):
    """Staff see the demo's twelve learners, their links and the start button; a learner does not."""
    page = context.new_page()
    open_block(page, workbench.scenario(DEMO, "staff"), PHASE_SUBMISSION)
    rows = page.locator(".cc-progress-table tbody tr")
    expect(rows).to_have_count(len(DEMO_LEARNERS))
    expect(page.locator(".cc-progress-table thead th")).to_have_text(
        ["Learner", "Link", "Submitted", "Reviews done", "Reviews received", "Grade"])
    expect(page.locator(".cc-staff-summary")).to_contain_text(f"{len(DEMO_LEARNERS)} works submitted.")
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted(DEMO_LEARNERS)
    for name in DEMO_LEARNERS:
        link = rows.filter(has_text=name).locator("td a")
        expect(link).to_have_attribute("href", f"https://{name}-portfolio.example.com/")
    expect(page.locator("button.cc-staff_start")).to_be_enabled()
    expect(page.locator("button.cc-staff_complete")).to_be_disabled()
    screenshot(page, artifacts / "staff-demo.png")

    # A learner of the demo sees their own submission, and neither the staff panel nor other names.
    open_block(page, workbench.scenario(DEMO, "alice"), PHASE_SUBMISSION)
    expect(page.locator(".cc-submitted a")).to_have_attribute("href", "https://alice-portfolio.example.com/")
    expect(page.locator(".cc-staff")).to_be_hidden()
    assert_names_absent(page, [name for name in DEMO_LEARNERS if name != "alice"], "alice's page")
