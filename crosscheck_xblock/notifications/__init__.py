"""Notices leaving the block: the Telegram sender (`telegram`) and a fake Bot API (`fake_bot_api`)."""
