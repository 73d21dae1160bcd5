"""Service tests: the services called directly, as the block, Celery and the commands call them.

Their data comes from tests/factories.py; they check the tables and the answers themselves.
"""
