"""edx-submissions' migrations, unchanged except 0006, for databases on MariaDB.

edx-submissions 4.0.2's 0006 runs `ALTER TABLE submissions_studentitem MODIFY uuid …` on
MariaDB, but that table has no uuid column, so migrating a fresh MariaDB database fails. On
Django ≥ 5.0 with MariaDB ≥ 10.7, migrations already create UUIDFields with the native uuid
type 0006 converts to, so a fresh database needs nothing from it. Every other migration here
re-exports the upstream one. Selected by MIGRATION_MODULES in cc_settings (MariaDB only).
"""
