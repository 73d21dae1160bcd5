"""Best works and the vote (issue 12, B1–B4) in a real browser, on a task of their own.

Four learners submit; each reviews the two works given to them with the review form, ticking
"Mark as best work" for some: the first learner's work gets two marks, the second's and the
third's one each. Course staff open the Best works tab (most marks first), select two works with
the keyboard and the mouse, download the selection's CSV, thank their authors with a note (a
second thanks counts them as already thanked) and remove the third. Then staff move the
cross-check end into the past, open the vote among the top reviewers by the reviewer rating (the
top 100 %, so every learner with a rating may vote), and the learners vote: the first author
sees their own work on the ballot and cannot choose it, a voter votes and changes the vote, a
second voter votes. Staff see the results most votes first while the vote is open; once it closes
(a minute after it opens) the voters see them too. The authors read the thanks and how many
reviewers marked their work. Nobody sees another learner's username; every view passes axe in
English and Russian.
"""
import csv as csv_module
import io
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from playwright.sync_api import expect

from crosscheck_xblock.block import BEST_WORKS_TEST_SCENARIO

from .test_conversations import api, iso, scenario_number
from .test_flow import (
    assert_names_absent,
    expect_tab,
    handler_response,
    open_block,
    open_tab,
    pick_work,
    screenshot,
    set_item,
)

TASK = scenario_number(BEST_WORKS_TEST_SCENARIO)  # k = 2, max 100
TAG = secrets.token_hex(2)
LEARNERS = [f"b{n}-{TAG}" for n in range(1, 5)]
PHASE_SUBMISSION = "Submission is open."
PHASE_REVIEW = "The cross-check is running: review the works assigned to you."
PHASE_CLOSED = "The cross-check is complete."
PHASE_CLOSED_RU = "Кросс-чек завершён."
VOTE_WINDOW = 50  # seconds between opening the vote and its close
THANKS = "Your work was chosen as one of the best works of this cross-check."
THANKS_RU = "Ваша работа выбрана одной из лучших работ этого кросс-чека."
NOTE = "Clean code and a very clear README."

# Which authors' works a reviewer marks as best: every reviewer of the first learner's work, the
# first reviewer (in this test's order) of the second's and of the third's.
MARK_ALL, MARK_FIRST = {LEARNERS[0]}, {LEARNERS[1], LEARNERS[2]}

# The browser's local time `seconds` from now, as a datetime-local input takes it, and that moment in ms.
LOCAL_IN = """seconds => {
    const when = new Date(Date.now() + seconds * 1000), pad = n => String(n).padStart(2, "0");
    return [`${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T`
            + `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`, when.getTime()];
}"""


def review_through_the_form(page, review: dict, items: list[dict], best: bool):
    """Fill the review form of one work: every item done, no penalty, an overall comment, and
    "Mark as best work" when `best`; submit it."""
    pick_work(page, review["id"])
    form = page.locator(f'.cc-reviews .cc-work[data-review="{review["id"]}"] form.cc-review-form')
    for item in items:
        if item["type"] in ("subtask", "penalty"):
            set_item(form.locator(f'.cc-item[data-item="{item["id"]}"]'), item["type"],
                     Fraction(1) if item["type"] == "subtask" else Fraction(0))
    expect(form.locator(".cc-total")).to_have_text("Total: 100 of 100")
    form.locator("textarea.cc-comment-input").fill(
        "A model landing page: I would show it to others." if best else "Everything the checklist asks is there.")
    mark = form.get_by_label("Mark as best work")
    expect(mark).to_have_attribute("aria-describedby", re.compile(r"cc-best-note"))
    if best:
        mark.check()
    with handler_response(page, "submit_review") as response:
        form.locator("button.cc-submit").click()
    assert response.value.status == 200, response.value.text()


def test_best_works_from_the_marks_to_the_vote(workbench, context, context_ru, audit, artifacts):
    page = context.new_page()
    links = {name: f"https://w{secrets.token_hex(4)}.example.org/" for name in LEARNERS}
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        api(page, "submit_work", {"url": links[name]})
    owner = {url: name for name, url in links.items()}
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    api(staff, "staff_start", {})

    # ---- reviewers mark best works with the review form's "Mark as best work"
    marked_once = set()
    for name in LEARNERS:
        state = open_block(page, workbench.scenario(TASK, name), PHASE_REVIEW)
        open_tab(page, "reviews")
        for review in state["reviews"]:
            author = owner[review["url"]]
            best = author in MARK_ALL or (author in MARK_FIRST and author not in marked_once)
            if best:
                marked_once.add(author)
            review_through_the_form(page, review, state["checklist"]["items"], best)
        expect(page.locator(".cc-work-pick.cc-status-submitted")).to_have_count(len(state["reviews"]))
    assert marked_once == MARK_ALL | MARK_FIRST, "every marked author had a reviewer"
    a, b, c = LEARNERS[:3]

    # ---- staff: the page, most marks first; select two works, export, thank; remove the third
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_REVIEW)
    with handler_response(staff, "staff_best_works") as response:
        open_tab(staff, "best")
    works = response.value.json()["works"]
    assert [(row["learner"], row["marks"]) for row in works] == [(a, 2), (b, 1), (c, 1)]
    ids = {row["learner"]: row["work_id"] for row in works}
    panel = staff.locator(".crosscheck .cc-panel-best")
    rows = panel.locator("table.cc-best-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text([a, b, c])
    expect(rows.first).to_contain_text("A model landing page: I would show it to others.")  # the explanations
    expect(panel.locator(".cc-selection-count")).to_have_text("0 works selected")
    expect(panel.locator(".cc-best-thank")).to_be_disabled()
    panel.locator(f'input.cc-best-select[data-work="{ids[a]}"]').focus()
    staff.keyboard.press("Space")  # keyboard-operable
    expect(panel.locator(".cc-selection-count")).to_have_text("1 work selected")
    panel.locator(f'input.cc-best-select[data-work="{ids[b]}"]').check()
    expect(panel.locator(".cc-selection-count")).to_have_text("2 works selected")
    href = panel.locator(".cc-best-export-selected").get_attribute("href")
    assert f"work_ids={ids[a]},{ids[b]}" in href
    csv = context.request.get(workbench.url(href + "&header=keys"))
    assert csv.status == 200
    table = list(csv_module.DictReader(io.StringIO(csv.text())))
    assert [(row["work_id"], row["learner"], row["marks"]) for row in table] == [
        (str(ids[a]), a, "2"), (str(ids[b]), b, "1")]
    audit(staff, "en-best-works-staff")
    panel.locator(".cc-thanks-note").fill(NOTE)
    with handler_response(staff, "staff_best_works_thank") as thanked:
        panel.locator(".cc-best-thank").click()
    assert thanked.value.json() == {"thanked": 2, "already": 0}
    expect(panel.locator(".cc-result")).to_have_text("2 authors thanked.")
    expect(rows.nth(0)).to_contain_text("author thanked")
    expect(rows.nth(1)).to_contain_text("author thanked")
    panel.get_by_role("button", name="Select all").click()
    expect(panel.locator(".cc-selection-count")).to_have_text("3 works selected")
    panel.locator(".cc-best-thank").click()  # the two thanked before count as already thanked
    expect(panel.locator(".cc-result")).to_have_text("1 author thanked; 2 already were.")
    panel.get_by_role("button", name="Select none").click()
    expect(panel.locator(".cc-selection-count")).to_have_text("0 works selected")
    panel.locator(f'input.cc-best-select[data-work="{ids[c]}"]').check()
    with handler_response(staff, "staff_best_works_edit"):
        panel.get_by_role("button", name="Remove", exact=True).click()
    expect(panel.locator(f'tr[data-work="{ids[c]}"]')).to_have_class(re.compile(r"cc-removed"))
    expect(panel.locator(f'tr[data-work="{ids[c]}"]')).to_contain_text("removed")
    expect(panel.locator(".cc-best-log")).to_contain_text("removed by staff")
    expect(staff.locator(".cc-error")).to_be_hidden()
    screenshot(staff, artifacts / "best-works-staff.png")

    # ---- the end: staff move the cross-check end into the past (no adjustment period); grading runs
    now = datetime.now(UTC)
    api(staff, "studio_submit", {"values": {
        "submission_due": iso(now - timedelta(hours=3)), "review_start": iso(now - timedelta(hours=2)),
        "review_due": iso(now - timedelta(minutes=5)), "adjustment_days": 0}})
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_CLOSED)

    # ---- staff open the vote among the top reviewers: the top 100 % by the reviewer rating
    open_tab(staff, "best")
    vote = panel.locator(".cc-best-vote")
    expect(vote.locator("button.cc-vote-open")).to_be_visible()
    closes_value, closes_ms = staff.evaluate(LOCAL_IN, VOTE_WINDOW)
    vote.get_by_label("Closes at").fill(closes_value)
    vote.get_by_label("Votes per voter").fill("1")
    vote.get_by_label("the top percent of reviewers:").check()
    vote.get_by_label("How many (or which percent)").fill("100")
    with handler_response(staff, "staff_open_vote") as opened:
        vote.locator("button.cc-vote-open").click()
    assert opened.value.status == 200, opened.value.text()
    opened_vote = opened.value.json()["vote"]
    assert opened_vote["eligible"] == {"top_percent": 100} and opened_vote["votes_per_voter"] == 1
    assert opened_vote["voters"] >= len(LEARNERS)  # every learner of the course with a rating
    expect(vote).to_contain_text("The vote is open until")
    results = vote.locator("table.cc-vote-results tbody tr")
    expect(results.locator("th")).to_have_text([a, b])  # the removed work is not on the ballot
    audit(staff, "en-best-works-vote-open")

    # ---- the first author is eligible, but not for their own work
    state = open_block(page, workbench.scenario(TASK, a), PHASE_CLOSED)
    assert state["vote"]["eligible"] is True
    expect_tab(page, "grade")
    ballot = page.locator(".crosscheck .cc-ballot")
    own = ballot.locator("li", has_text="your work: you cannot vote for it")
    expect(own).to_have_count(1)
    expect(own.locator("input")).to_be_disabled()
    expect(own.locator("a")).to_have_attribute("href", links[a])

    # ---- a voter votes and changes the vote; a second voter votes
    def cast(name: str, title: str, before: str | None = None):
        state = open_block(page, workbench.scenario(TASK, name), PHASE_CLOSED)
        assert state["vote"]["eligible"] is True and state["vote"]["open"] is True
        expect_tab(page, "grade")
        ballot = page.locator(".crosscheck .cc-ballot")
        expect(ballot.locator("label")).to_have_text(["Shortlisted work 1", "Shortlisted work 2"])
        if before:
            expect(ballot.get_by_label(before)).to_be_checked()
            ballot.get_by_label(before).uncheck()
        ballot.get_by_label(title).check()
        with handler_response(page, "cast_votes") as response:
            ballot.locator("button.cc-cast-votes").click()
        assert response.value.status == 200, response.value.text()
        return response.value.json()["vote"]

    shortlist = {work["title"]: work for work in state["vote"]["works"]}
    assert [work["url"] for work in shortlist.values()] == [links[a], links[b]]
    voter, second = LEARNERS[2], LEARNERS[3]
    assert cast(voter, "Shortlisted work 1")["my_votes"] == [ids[a]]
    # Two works with one vote: the server refuses, the page says why and keeps the old vote.
    page.locator(".cc-ballot").get_by_label("Shortlisted work 2").check()
    with handler_response(page, "cast_votes") as response:
        page.locator(".cc-ballot button.cc-cast-votes").click()
    assert response.value.status == 400
    expect(page.locator(".cc-ballot .cc-best-error")).to_have_text("You have 1 vote: choose at most 1 work.")
    assert cast(voter, "Shortlisted work 2", before="Shortlisted work 1")["my_votes"] == [ids[b]]  # changed
    expect(page.locator(".cc-announce")).to_have_text("Your votes are saved.")
    assert_names_absent(page, [name for name in LEARNERS if name != voter], "voter's page")
    screenshot(page, artifacts / "best-works-ballot.png")
    audit(page, "en-best-works-ballot")
    assert cast(second, "Shortlisted work 2")["my_votes"] == [ids[b]]

    # ---- staff see the results at any time, most votes first
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_CLOSED)
    open_tab(staff, "best")
    expect(results.locator("th")).to_have_text([b, a])
    expect(results.locator("td:last-child")).to_have_text(["2", "0"])
    expect(vote).to_contain_text(re.compile(r"The vote is open until .*; 2 of \d+ voters have voted\."))

    # ---- the same views in Russian, while the vote is open
    staff_ru = context_ru.new_page()
    open_block(staff_ru, workbench.scenario(TASK, "staff"), PHASE_CLOSED_RU)
    open_tab(staff_ru, "best")
    expect(staff_ru.locator(".crosscheck .cc-panel-best h3")).to_have_text("Лучшие работы")
    expect(staff_ru.locator(".crosscheck .cc-best-vote table.cc-vote-results tbody tr")).to_have_count(2)
    audit(staff_ru, "ru-best-works-staff")
    voter_ru = context_ru.new_page()
    open_block(voter_ru, workbench.scenario(TASK, voter), PHASE_CLOSED_RU)
    expect(voter_ru.locator(".crosscheck .cc-ballot label")).to_have_text(["Работа в шорт-листе 1",
                                                                            "Работа в шорт-листе 2"])
    audit(voter_ru, "ru-best-works-ballot")

    # ---- the authors: the thanks with the note, and (after the end) how many reviewers marked the work
    for name, marks in ((a, 2), (b, 1)):
        open_block(page, workbench.scenario(TASK, name), PHASE_CLOSED)
        open_tab(page, "grade")
        news = page.locator(".crosscheck .cc-best-learner")
        expect(news.locator(".cc-best-thanks")).to_have_text(THANKS)
        expect(news).to_contain_text(NOTE)
        expect(news).to_contain_text(f"{marks} reviewer{'s' if marks > 1 else ''} marked your work as one of the best.")
        assert_names_absent(page, [other for other in LEARNERS if other != name], "author's page")
    audit(page, "en-best-works-learner")
    author_ru = context_ru.new_page()
    open_block(author_ru, workbench.scenario(TASK, a), PHASE_CLOSED_RU)
    open_tab(author_ru, "grade")
    expect(author_ru.locator(".crosscheck .cc-best-thanks")).to_have_text(THANKS_RU)
    audit(author_ru, "ru-best-works-learner")

    # ---- the vote closes: the voters see the results, most votes first; staff see it closed
    time.sleep(max(0.0, closes_ms / 1000 - time.time()) + 1.5)
    open_block(page, workbench.scenario(TASK, voter), PHASE_CLOSED)
    ballot = page.locator(".crosscheck .cc-ballot")
    expect(ballot).to_contain_text("The vote closed on")
    expect(ballot.locator("ol li")).to_have_text(["Shortlisted work 2: 2 votes", "Shortlisted work 1: 0 votes"])
    expect(ballot.locator("button.cc-cast-votes")).to_have_count(0)
    assert_names_absent(page, [name for name in LEARNERS if name != voter], "voter's page after the close")
    screenshot(page, artifacts / "best-works-vote-results.png")
    audit(page, "en-best-works-vote-results")
    voter_ru.reload()
    expect(voter_ru.locator(".crosscheck .cc-ballot ol li")).to_have_count(2)
    audit(voter_ru, "ru-best-works-vote-results")
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_CLOSED)
    open_tab(staff, "best")
    expect(vote).to_contain_text(re.compile(r"The vote closed on .*; 2 of \d+ voters voted\."))
    expect(results.locator("th")).to_have_text([b, a])
