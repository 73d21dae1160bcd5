"""Telegram in a real browser (issue 14), as a newcomer tries it in `make workbench`: a workbench of
its own, with the project's fake Bot API (in this test process, pushing updates to the webhook as
Telegram does) and the stand-in phones. alice presses "Connect Telegram", her phone opens, she
presses Start; the chat says "Connected", the block says Telegram is connected, staff write in a
conversation about her work and the notice arrives in the chat, and she disconnects. bob does it
in Russian and is answered in Russian. The Notices panel with Telegram and the phone pass axe in
both languages.
"""
import re
import time

import pytest
from playwright.sync_api import expect

from crosscheck_xblock.notifications.fake_bot_api import FakeBotApi

from .conftest import manage, serve_workbench
from .test_conversations import PHASE_REVIEW, PHASE_REVIEW_RU, api
from .test_flow import handler_response, open_block

RUNNING = 2  # the demo under review: alice and bob review, and have notices
OTHERS = ["carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"]
SECRET = "browser-webhook-secret"


@pytest.fixture(scope="module")
def telegram_workbench(tmp_path_factory, chromium_path):  # chromium_path: no server without a browser
    with FakeBotApi(auto_push=True) as fake:
        env = {"CROSSCHECK_TELEGRAM_TOKEN": fake.token, "CROSSCHECK_TELEGRAM_BOT": fake.username,
               "CROSSCHECK_TELEGRAM_API_URL": fake.base_url, "CROSSCHECK_TELEGRAM_WEBHOOK_SECRET": SECRET}

        def register_webhook(env, log, base_url):
            manage(["crosscheck_telegram_poll", "--webhook", base_url + "/crosscheck/telegram/webhook/"], env, log)

        with serve_workbench(tmp_path_factory.mktemp("workbench-telegram"), env, register_webhook) as server:
            server.fake = fake
            yield server


def bot_texts(fake, name):
    from cc_workbench.phone import chat_id
    return [entry["text"] for entry in fake.chat(chat_id(name)) if entry["from"] == "bot"]


def open_notices(page):
    box = page.locator(".crosscheck .cc-notices")
    with handler_response(page, "mark_notices_read"):
        box.locator("summary").first.click()
    return box


def connect(page, workbench, name, language=None):
    """Press Connect Telegram, then Start on the learner's phone; the phone's page."""
    link = page.locator(".crosscheck .cc-telegram-link")
    assert re.fullmatch(r"/phone/crosscheck_fake_bot\?start=[A-Za-z0-9_-]{43}", link.get_attribute("href"))
    with page.expect_popup() as opened:
        link.click()
    phone = opened.value
    expect(phone.locator("h1")).to_have_text(f"{name}'s phone: chat with @crosscheck_fake_bot")
    if language:
        phone.select_option("#cc-phone-lang", language)
    phone.locator(".cc-phone-start").click()
    expect(phone.locator("h1")).to_have_text(f"{name}'s phone: chat with @crosscheck_fake_bot")
    return phone


def wait_for_chat(phone, predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = phone.locator(".chat li.bot").all_inner_texts()
        if predicate(texts):
            return texts
        time.sleep(0.5)
        phone.reload()
    pytest.fail(f"the phone's chat never showed {what}: {texts}")


def test_connect_telegram_watch_notices_arrive_and_disconnect(telegram_workbench, context, audit):
    workbench, fake = telegram_workbench, telegram_workbench.fake
    page = context.new_page()
    open_block(page, workbench.scenario(RUNNING, "alice"), PHASE_REVIEW)
    box = open_notices(page)
    expect(box.locator(".cc-telegram-link")).to_have_text("Connect Telegram")
    audit(page, "en-notices-telegram")
    phone = connect(page, workbench, "alice")
    texts = wait_for_chat(phone, lambda texts: any(t.startswith("Connected") for t in texts), "Connected")
    assert texts[0].startswith("Connected: your cross-check notices will come to this chat")
    audit(phone, "en-telegram-phone")
    # The block, asked again, knows.
    page.bring_to_front()
    with handler_response(page, "get_state") as response:
        page.locator(".crosscheck .cc-telegram-check").click()
    thread = response.value.json()["received"][0]["thread"]["id"]
    box = page.locator(".crosscheck .cc-notices")  # re-rendered, still open
    expect(box.locator(".cc-telegram-status")).to_contain_text("Telegram is connected")
    # Something happens to her: staff write in the conversation about a review of her work.
    staff = context.new_page()
    open_block(staff, workbench.scenario(RUNNING, "staff"), PHASE_REVIEW)
    api(staff, "post_message", {"thread": thread, "text": "Staff here: the review stands."})
    texts = wait_for_chat(phone, lambda texts: len(texts) >= 2, "the new message's notice")
    notice = texts[1]
    assert notice.startswith("Landing page cross-check (demo under review)\n\nCourse staff wrote in the conversation")
    assert workbench.base_url + "/scenario/" in notice  # the unit's link, absolute
    assert len(bot_texts(fake, "alice")) == 2  # once
    chat = phone.locator(".chat").inner_text()
    assert not [name for name in [*OTHERS, "bob"] if name in chat], chat  # nobody is named
    # Disconnect in the block: the link is offered again.
    with handler_response(page, "telegram_unlink") as response:
        box.locator(".cc-telegram-unlink").click()
    assert response.value.json()["unlinked"] is True
    expect(box.locator(".cc-telegram-link")).to_be_visible()


def test_in_russian_the_bot_answers_in_russian(telegram_workbench, context_ru, audit):
    workbench, fake = telegram_workbench, telegram_workbench.fake
    page = context_ru.new_page()
    open_block(page, workbench.scenario(RUNNING, "bob"), PHASE_REVIEW_RU)
    box = open_notices(page)
    expect(box.locator(".cc-telegram-link")).to_have_text("Подключить Telegram")
    audit(page, "ru-notices-telegram")
    phone = connect(page, workbench, "bob", language="ru")
    wait_for_chat(phone, lambda texts: any(t.startswith("Подключено") for t in texts), "Подключено")
    # /stop from the phone unlinks: the bot says so, in Russian.
    phone.fill("#cc-phone-text", "/stop")
    phone.locator("button", has_text="Send").click()
    wait_for_chat(phone, lambda texts: texts[-1].startswith("Отключено"), "Отключено")
    assert not any("bob" in text for text in bot_texts(fake, "bob"))
