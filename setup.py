"""Packaging for crosscheck-xblock: the XBlock plus its Django plugin app."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def requirements(name):
    """Direct requirements from requirements/<name>.in (pins live in the compiled .txt files)."""
    lines = (HERE / "requirements" / f"{name}.in").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-"))]


setup(
    name="crosscheck-xblock",
    version="0.1.0",
    description="Peer cross-check for Open edX: submit a link, review peers by checklist, get a grade.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.12",
    packages=find_packages(include=["crosscheck_xblock", "crosscheck_xblock.*"]),
    include_package_data=True,
    package_data={
        "crosscheck_xblock": [
            "static/*/*", "public/js/translations/*/*", "translations/*/LC_MESSAGES/*",
            "templates/*", "demo/*", "migrations/*.py",
        ],
    },
    install_requires=requirements("base"),
    entry_points={
        "xblock.v1": ["crosscheck = crosscheck_xblock.block:CrossCheckXBlock"],
        "lms.djangoapp": ["crosscheck_xblock = crosscheck_xblock.apps:CrossCheckConfig"],
        "cms.djangoapp": ["crosscheck_xblock = crosscheck_xblock.apps:CrossCheckConfig"],
        # The "Cross-checks" course tab of the LMS (a dynamic tab: course_tab.py).
        "openedx.course_tab": ["crosscheck = crosscheck_xblock.course_tab:CrossCheckCourseTab"],
    },
    classifiers=[
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.12",
    ],
)
