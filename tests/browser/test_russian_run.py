"""A learner whose browser asks for Russian does the whole cross-check in Russian (issue 10):
submits a link, reviews the works assigned to them, and reads their grade and how it was
computed — every text on the way from the shipped catalogs, every state audited by axe-core.
Two other learners and staff act through the same pages in English; the Russian learner's page
must not show their English."""
import gettext
import secrets

from crosscheck_xblock import i18n

from .test_flow import expect, expect_tab, handler_response, open_tab, pick_work, screenshot

TASK = 4  # scenario crosscheck.4: k = 2, max 100, policy mean (conftest's CROSSCHECK_TEST_SCENARIOS)
K = 2
SERVER = i18n.catalog("ru")
JS = gettext.translation("djangojs", str(i18n.LOCALE_DIR), ["ru"])


def ru_server(message: str, **values) -> str:
    return SERVER.gettext(message) % values if values else SERVER.gettext(message)


def ru_js(message: str, **values) -> str:
    text = JS.gettext(message)
    for name, value in values.items():
        text = text.replace(f"%({name})s", str(value))
    return text


def handler(page, name: str, body: dict | None = None, student: str | None = None) -> dict:
    """Call one of the block's handlers as the page's user, or as `student` (same session, CSRF
    header): {"status", "body"}."""
    return page.evaluate("""async ([name, student, body]) => {
        const usage = document.querySelector('[data-usage]').getAttribute('data-usage');
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const response = await fetch(`/handler/${usage}/${name}/?student=${student}`, {
            method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify(body)});
        return {status: response.status, body: await response.json()};
    }""", [name, student or page.url.split("student=")[1].split("&")[0], body or {}])


def full_marks(state: dict, review: dict) -> dict:
    items = {item["id"]: (1 if item["type"] == "subtask" else 0)
             for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
    return {"review_id": review["id"], "items": items, "comment": "Хорошая работа, всё на месте."}


def test_a_russian_learner_does_the_whole_cross_check_in_russian(workbench, context, context_ru, audit, artifacts):
    tag = secrets.token_hex(3)
    learner, others = f"ru1-{tag}", [f"ru2-{tag}", f"ru3-{tag}"]
    page = context_ru.new_page()
    helper = context.new_page()

    # ---- submission, in Russian
    page.goto(workbench.scenario(TASK, learner))
    box = page.locator(".crosscheck")
    expect(box).to_have_attribute("lang", "ru")
    expect(box.locator(".cc-phase")).to_have_text(ru_server("Submission is open."))
    expect(box.locator(".cc-phase")).to_have_text("Приём работ открыт.")
    form = box.locator("form.cc-submit-form")
    form.locator("input[name=url]").fill(f"https://{learner}.example.org/")
    with handler_response(page, "submit_work") as response:
        form.get_by_role("button", name=ru_js("Submit")).click()
    assert response.value.status == 200
    expect(box.locator(".cc-ok")).to_contain_text("Работа сохранена.")
    audit(page, "ru-run-submitted")
    for name in others:
        helper.goto(workbench.scenario(TASK, name))
        assert handler(helper, "submit_work", {"url": f"https://{name}.example.org/"})["status"] == 200

    # ---- staff start (an English page), then the Russian learner reviews
    helper.goto(workbench.scenario(TASK, "staff"))
    assert handler(helper, "staff_start")["body"]["result"]["started"] is True
    page.reload()
    running = ru_server("The cross-check is running: review the works assigned to you.")
    expect(box.locator(".cc-phase")).to_have_text(running)
    expect_tab(page, "reviews")
    expect(box.locator(".cc-progress-reviews")).to_have_text(f"Проверки: выполнено 0 из {K}")
    works = box.locator(".cc-reviews .cc-work")
    expect(works).to_have_count(K)
    review_ids = [works.nth(i).get_attribute("data-review") for i in range(K)]
    for position, review_id in enumerate(review_ids):
        pick_work(page, review_id)
        work = box.locator(f'.cc-work[data-review="{review_id}"]')
        expect(work.locator("h4")).to_contain_text(f"Работа {position + 1}")
        expect(work.locator(".cc-badge")).to_have_text("Не начата")
        for done in work.locator(f'.cc-scale button:text-is("{ru_js("Done")}")').all():
            done.click()
        for no_penalty in work.locator(f'.cc-scale button:text-is("{ru_js("No")}")').all():
            no_penalty.click()
        work.locator("textarea.cc-comment-input").fill("Всё сделано аккуратно, пункты выполнены.")
        if position == 0:
            audit(page, "ru-run-review-form")
        with handler_response(page, "submit_review") as response:
            work.get_by_role("button", name=ru_js("Submit review")).click()
        assert response.value.status == 200, response.value.text()
        expect(work.locator(".cc-badge")).to_contain_text("Отправлено:")
    expect(box.locator(".cc-progress-reviews")).to_have_text(f"Проверки: выполнено {K} из {K}")

    # ---- the others review (API), staff completes, the Russian learner reads the grade
    for name in others:
        helper.goto(workbench.scenario(TASK, name))
        state = handler(helper, "get_state")["body"]
        for review in state["reviews"]:
            assert handler(helper, "submit_review", full_marks(state, review))["status"] == 200
    helper.goto(workbench.scenario(TASK, "staff"))
    assert handler(helper, "staff_complete")["body"]["result"]["completed"] is True
    page.reload()
    expect_tab(page, "grade")
    grade = box.locator(".cc-grade")
    expect(box.locator(".cc-phase")).to_have_text("Кросс-чек завершён.")
    expect(grade).to_contain_text("Ваша оценка — ")
    expect(grade).to_contain_text(ru_server("The grade is the average of all the scores the work received."))
    scores = grade.locator(".cc-grade-scores li")
    expect(scores).to_have_count(K)
    for text in scores.all_inner_texts():
        assert text.startswith("Проверяющий "), text
    audit(page, "ru-run-grade")
    open_tab(page, "feedback")
    expect(box.locator(".cc-received .cc-work")).to_have_count(K)
    screenshot(page, artifacts / "screens" / "ru-run-feedback.png")
    audit(page, "ru-run-feedback")
    # Nothing on the Russian learner's page is in English but the course's own content and links.
    shown = box.locator(".cc-header, [role=tablist], .cc-grade, .cc-received").all_inner_texts()
    for english in ("Your grade", "Reviewer ", "Work ", "Submitted", "Reviews:", "counted"):
        assert not any(english in text for text in shown), (english, shown)
