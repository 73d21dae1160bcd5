"""The tables of crosscheck-xblock.

Everything another learner or a background task must read lives here, not in XBlock fields:
the task's settings copy, the works, the review assignments, the reviews and the grades.
Only the `services` package reads and writes these models (tests/unit/test_layers.py checks it).

Learners are stored by their course-specific anonymous id (`student_id`), never by username.
Reviews hang off assignments, so nothing learner-facing needs to join to a person.
"""
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import schedule


def new_seed() -> str:
    """A secret random seed for a task's distribution (who reviews whom, and their numbers)."""
    return secrets.token_hex(16)


class Task(models.Model):
    """One cross-check block: a copy of its settings and where it is in its life cycle.

    The copy (`config`) lets background jobs work without the modulestore; it is refreshed
    whenever the block is viewed or saved in Studio.
    """

    # The life-cycle statuses are defined once, in the pure schedule module.
    OPEN = schedule.OPEN
    DISTRIBUTED = schedule.DISTRIBUTED
    GRADING = schedule.GRADING  # grades stored; gradebook writes in progress
    COMPLETED = schedule.COMPLETED
    STATUSES = [(OPEN, _("Open for submissions")), (DISTRIBUTED, _("Cross-check running")),
                (GRADING, _("Writing grades")), (COMPLETED, _("Completed"))]

    usage_key = models.CharField(max_length=255, unique=True)
    course_id = models.CharField(max_length=255, db_index=True)
    config = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=STATUSES, default=OPEN)
    # How many reviewers each work actually got (may be < k in a small cohort, D3).
    reviewers_per_work = models.PositiveSmallIntegerField(default=0)
    # A sentence for staff when the distribution could not give everyone k reviewers.
    distribution_note = models.TextField(blank=True, default="")
    distributed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When the gradebook writes of the grading were last queued as Celery chunks (issue 15):
    # the sweep queues the unwritten ones again only once this is older than
    # CROSSCHECK_SCORE_REQUEUE_SECONDS, so chunks in flight are not queued over and over.
    scores_queued_at = models.DateTimeField(null=True, blank=True)
    # Seeds the distribution. Secret and random: a public seed (the usage key, as before) would
    # let anyone who knows the submitted works recompute who reviews whom.
    seed = models.CharField(max_length=64, default=new_seed)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the automatic steps are due (copied from `config` by api.sync_task), in columns so the
    # sweep finds due tasks with an index instead of reading every task's JSON: the cross-check
    # start, and the end plus the adjustment period.
    starts_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    # The dates the timed notices hang on (issue 14: N1 at the opening, N2/N3 before the deadline,
    # N6 before the cross-check end), copied the same way, so the sweep finds them by index.
    opens_at = models.DateTimeField(null=True, blank=True)
    submission_due_at = models.DateTimeField(null=True, blank=True)
    review_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "starts_at"], name="crosscheck_task_due_start"),
            models.Index(fields=["status", "closes_at"], name="crosscheck_task_due_close"),
            models.Index(fields=["status", "submission_due_at"], name="crosscheck_task_due_submit"),
            models.Index(fields=["status", "review_due_at"], name="crosscheck_task_due_review"),
        ]

    def __str__(self):
        return f"{self.usage_key} ({self.status})"


class Work(models.Model):
    """A learner's submitted link in one task (one row per learner; replacing updates it)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="works")
    student_id = models.CharField(max_length=255)
    url = models.URLField(max_length=2000)
    # Shown in the staff view only, so course staff know whose work it is; never sent to learners.
    username = models.CharField(max_length=150, blank=True, default="")
    # The edx-submissions submission that grades are written against (set_score).
    submission_uuid = models.CharField(max_length=36)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "student_id"], name="crosscheck_one_work_per_learner"),
        ]

    def __str__(self):
        return f"work {self.pk} in task {self.task_id}"


class Assignment(models.Model):
    """`reviewer` must review `work`. Learners see it only through pseudonyms and `token`.

    `position` numbers the works of one reviewer ("Work 1…k"); `reviewer_number` numbers the
    reviewers of one work ("Reviewer 1…k").
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="reviews_to_do")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="reviews_received")
    position = models.PositiveSmallIntegerField()
    reviewer_number = models.PositiveSmallIntegerField()
    # Random public id of this assignment, the `review_id` in the JSON API; reveals nothing.
    token = models.CharField(max_length=32, unique=True)
    # Time of the latest submitted review; null while the review is not done (fast progress counts).
    submitted_at = models.DateTimeField(null=True, blank=True)
    # D4: an extra review the reviewer took for a work that lacked reviews (services/extras.py).
    # Until it is submitted it is a lease: past `expires_at` it no longer holds the work, and it
    # is deleted at the next take or at grading. Extras do not count for the reviewer's own grade (A7).
    extra = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "work"], name="crosscheck_review_once"),
            models.UniqueConstraint(fields=["reviewer", "position"], name="crosscheck_work_position"),
            models.UniqueConstraint(fields=["work", "reviewer_number"], name="crosscheck_reviewer_number"),
        ]
        # The staff table sorts 10,000 works by reviews received and reviews done (issue 15): each
        # count is then read from the index alone.
        indexes = [
            models.Index(fields=["work", "submitted_at"], name="crosscheck_assign_received"),
            models.Index(fields=["reviewer", "extra", "submitted_at"], name="crosscheck_assign_done"),
        ]

    def __str__(self):
        return f"assignment {self.pk}: work {self.work_id} by {self.reviewer_id}"


class ChecklistVersion(models.Model):
    """A checklist as it was at some time. Reviews point at the version they were made with, so
    editing the checklist after the start changes no submitted review (R9)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checklist_versions")
    number = models.PositiveIntegerField()
    checklist = models.JSONField()  # rs format
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="crosscheck_checklist_version"),
        ]

    def __str__(self):
        return f"checklist v{self.number} of task {self.task_id}"


class Assessment(models.Model):
    """What a filled checklist holds; a review of a peer's work and a self-check share it."""

    # {item_id: fraction 0..1 for subtasks, 0 or 1 for penalties}, validated against the checklist.
    items = models.JSONField()
    # {item_id: text}: the reviewer's note on single items (R4); only non-empty notes are kept.
    item_comments = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default="")
    total = models.FloatField()
    checklist_version = models.ForeignKey(ChecklistVersion, null=True, on_delete=models.PROTECT,
                                          related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class Review(Assessment):
    """One submitted version of a review. Re-submitting adds a row; nothing is overwritten (R10)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="versions")
    best_work = models.BooleanField(default=False)  # "mark as best work" (R5)

    class Meta(Assessment.Meta):
        pass

    def __str__(self):
        return f"review {self.pk} of assignment {self.assignment_id}"


class SelfCheck(Assessment):
    """One version of the author's check of their own work, with the same form (R6)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="self_checks")

    class Meta(Assessment.Meta):
        pass

    def __str__(self):
        return f"self-check {self.pk} of work {self.work_id}"


class Draft(models.Model):
    """An unsent form, saved as the learner types (R4): one per learner and form."""

    SELF_CHECK = "self"  # the `form` of the self-check's draft

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="drafts")
    student_id = models.CharField(max_length=255)
    # The assignment token of a review, or "self" for the self-check.
    form = models.CharField(max_length=32)
    data = models.JSONField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "student_id", "form"], name="crosscheck_one_draft"),
        ]

    def __str__(self):
        return f"draft {self.form} in task {self.task_id}"


class Grade(models.Model):
    """The outcome of the task for one work's author, written once at completion."""

    GRADED = "graded"
    REVIEWS_UNFINISHED = "reviews_unfinished"
    NO_REVIEWS = "no_reviews"
    STATUSES = [(GRADED, _("Graded")), (REVIEWS_UNFINISHED, _("Own reviews unfinished")),
                (NO_REVIEWS, _("No reviews received"))]

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="grade")
    status = models.CharField(max_length=24, choices=STATUSES)
    # Exact value from the policy (kept for analytics); `points` is what the gradebook got.
    exact_points = models.FloatField(null=True, blank=True)
    points = models.PositiveIntegerField(null=True, blank=True)
    max_points = models.PositiveIntegerField()
    policy = models.CharField(max_length=32)
    # How the grade was computed: received totals, which counted, which were dropped and why.
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # True once `points` went to the gradebook (edx-submissions set_score), in the same
    # transaction as the write, so a resumed grading writes every grade exactly once.
    score_written = models.BooleanField(default=False)
    # A gradebook write that failed (set_score, or an LMS receiver of score_set, raised): the
    # error, how often it was tried, and when it is tried again. The other grades go on.
    score_error = models.TextField(blank=True, default="")
    score_attempts = models.PositiveSmallIntegerField(default=0)
    score_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["score_written", "score_retry_at"], name="crosscheck_grade_retry")]

    def __str__(self):
        return f"grade of work {self.work_id}: {self.points}/{self.max_points}"


class LinkChange(models.Model):
    """A learner replaced their link (S3). A change after the deadline forfeits the right to
    appeal; the learner and staff see it with its time and the old link."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="link_changes")
    old_url = models.URLField(max_length=2000)
    new_url = models.URLField(max_length=2000)
    changed_at = models.DateTimeField()
    after_deadline = models.BooleanField(default=False)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"link change of work {self.work_id} at {self.changed_at}"


class SweepState(models.Model):
    """The one self-re-queuing sweep chain (tasks.sweep): which chain is current and its step.

    Starting the sweep again replaces the chain instead of adding a second one, and a sweep
    message delivered twice (Redis redelivers) continues the chain once, not twice.
    """

    name = models.CharField(max_length=32, unique=True)
    chain = models.CharField(max_length=32)
    step = models.PositiveBigIntegerField(default=0)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"sweep {self.name}: chain {self.chain} step {self.step}"


class LearnerWarning(models.Model):
    """A warning a learner received about their reviewing or their self-check (A3, A4, A5, F4).

    Written by grading (the task's warning rule) and by a staff re-check (appeal). A warning is
    stored as its kind and its numbers (`detail`); the sentence the learner reads is written
    from them when it is shown (services/warnings.py), so it can be reworded and translated. It
    names nobody: other works appear as "Work N" from the warned learner's own point of view.
    """

    OUTLIER_REVIEW = "outlier_review"          # A3: the review was left out, too far from the others
    OUTLIER_SELF_CHECK = "outlier_self_check"  # A3: the self-check was too far from the reviews
    EVIDENCE_REVIEWER = "evidence_reviewer"    # A5: the model finds a bias or scatter across reviews
    APPEAL_REVIEW = "appeal_review"            # A4: the review was too far from the staff re-check
    APPEAL_SELF_CHECK = "appeal_self_check"    # A4/F4: the self-check was too far from the re-check
    COMPLAINT_UPHELD = "complaint_upheld"      # F4: staff upheld a complaint about the review
    COMPLAINT_REJECTED = "complaint_rejected"  # F4: staff rejected the learner's complaint as unfounded
    KINDS = [(OUTLIER_REVIEW, _("Review far from the others")),
             (OUTLIER_SELF_CHECK, _("Self-check far from the reviews")),
             (EVIDENCE_REVIEWER, _("Reviewing habit flagged by the model")),
             (APPEAL_REVIEW, _("Review far from the staff re-check")),
             (APPEAL_SELF_CHECK, _("Self-check far from the staff re-check")),
             (COMPLAINT_UPHELD, _("Unfair review: complaint upheld")),
             (COMPLAINT_REJECTED, _("Unfounded complaint"))]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="warnings")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="warnings")  # the warned learner's
    kind = models.CharField(max_length=24, choices=KINDS)
    detail = models.JSONField(default=dict)
    # Set for the warnings of a staff re-check, which are replaced when staff re-check again.
    appeal = models.ForeignKey("Appeal", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="warnings")
    # Set for the warning of a settled complaint, replaced when the complaint is settled again.
    rating = models.ForeignKey("Rating", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="warnings")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.kind} warning of work {self.work_id}"


class Appeal(models.Model):
    """A learner's appeal of their grade, and the staff re-check that settles it (A4, F4).

    One per work. A staff re-check of a work nobody appealed (A4: staff re-check the works with
    the largest spreads) is stored the same way with `origin = staff` and no reason.
    """

    LEARNER = "learner"
    STAFF = "staff"
    PENDING = "pending"
    RESOLVED = "resolved"

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="appeal")
    origin = models.CharField(max_length=8, choices=[(LEARNER, _("Appealed by the learner")),
                                                     (STAFF, _("Re-checked on staff's initiative"))])
    status = models.CharField(max_length=8, choices=[(PENDING, _("Waiting for a re-check")),
                                                     (RESOLVED, _("Re-checked"))])
    reason = models.TextField(blank=True, default="")
    # Ids of the checklist items the learner disputes (at least one for a learner's appeal).
    items = models.JSONField(default=list)
    created_at = models.DateTimeField()
    # The staff re-check: the same checklist, filled by staff.
    recheck_items = models.JSONField(null=True, blank=True)
    recheck_item_comments = models.JSONField(default=dict)
    recheck_comment = models.TextField(blank=True, default="")
    recheck_total = models.FloatField(null=True, blank=True)
    checklist_version = models.ForeignKey(ChecklistVersion, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    # The grade before the re-check replaced it (None: the work had no grade, e.g. no reviews).
    previous_points = models.PositiveIntegerField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["status"], name="crosscheck_appeal_status")]

    def __str__(self):
        return f"appeal of work {self.work_id} ({self.status})"


class Message(models.Model):
    """One post in the conversation about a review (issue 11, M1–M5): between the work's author
    and the assignment's reviewer, read by course staff too. One conversation per assignment; its
    public id is the assignment's `token`, so no new id can tell anyone anything.

    Posts are added, never changed or deleted; the one exception is account retirement, which
    empties the free text of a retired learner's posts (`text_removed`). A learner's post names
    no person: `sender` says which side wrote it. A staff post keeps the staff member's
    username for other staff (cleared at retirement like `Appeal.resolved_by`).
    """

    AUTHOR = "author"
    REVIEWER = "reviewer"
    STAFF = "staff"
    SENDERS = [(AUTHOR, _("The work's author")), (REVIEWER, _("The reviewer")), (STAFF, _("Course staff"))]

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=SENDERS)
    staff_username = models.CharField(max_length=150, blank=True, default="")
    text = models.TextField(blank=True, default="")
    # A prepared phrase (services/threads.py PHRASES) and the checklist item ids it names; the
    # sentence is worded when read, in the reader's language.
    phrase = models.CharField(max_length=32, blank=True, default="")
    phrase_items = models.JSONField(default=list)
    text_removed = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assignment", "sender", "created_at"], name="crosscheck_message_flood")]

    def __str__(self):
        return f"message {self.pk} ({self.sender}) on assignment {self.assignment_id}"


class ThreadRead(models.Model):
    """How far one participant has read one conversation: the highest message id they saw.

    Participants are the author, the reviewer and course staff (one marker shared by all staff:
    a post any staff member has read counts as read for the staff).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="read_markers")
    participant = models.CharField(max_length=8, choices=Message.SENDERS)
    seen_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "participant"], name="crosscheck_one_read_marker"),
        ]

    def __str__(self):
        return f"{self.participant} read assignment {self.assignment_id} up to {self.seen_id}"


class Rating(models.Model):
    """The author's thanks for a review's comment, or complaint about its deductions (F1–F4).

    At most one of each kind per review version. A thanks names the comment it is for (F2:
    thanks are for useful comments, not for points): `target` is "comment" (the overall one) or
    an item id. A complaint names the items whose deduction the author finds unjustified
    (`items`, only items that lost points in that version); staff settle it (upheld: the
    reviewer is warned; rejected: the author is warned), or an appeal of the same work does.
    Anonymous like the conversation it belongs to: the assignment says who is who.
    """

    THANKS = "thanks"
    COMPLAINT = "complaint"
    KINDS = [(THANKS, _("Thanks")), (COMPLAINT, _("Complaint"))]
    SENT = "sent"          # a thanks: nothing to settle
    PENDING = "pending"    # a complaint waiting for staff
    UPHELD = "upheld"
    REJECTED = "rejected"
    STATUSES = [(SENT, _("Sent")), (PENDING, _("Waiting for course staff")),
                (UPHELD, _("Upheld")), (REJECTED, _("Rejected as unfounded"))]

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="ratings")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    kind = models.CharField(max_length=12, choices=KINDS)
    target = models.CharField(max_length=64, blank=True, default="")
    items = models.JSONField(default=list)
    note = models.TextField(blank=True, default="")
    status = models.CharField(max_length=12, choices=STATUSES)
    created_at = models.DateTimeField()
    # The settlement of a complaint: by a staff member, or by the appeal of the same work.
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.CharField(max_length=150, blank=True, default="")
    staff_comment = models.TextField(blank=True, default="")
    by_appeal = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="crosscheck_one_rating_per_version"),
        ]

    def __str__(self):
        return f"{self.kind} {self.pk} on assignment {self.assignment_id} ({self.status})"


class BestWork(models.Model):
    """Course staff's curation of one work on the best works page (issue 12, B1–B3).

    A work is on the page when a reviewer's latest review marks it as best (R5) or staff added it
    by hand; this row exists once staff did anything with it. Nothing is deleted: a removed work
    keeps its row (`removed`) and can be restored; every change is in BestWorkChange.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="best")
    added_by_staff = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    # B3: staff thanked the author (once per work, however often staff click).
    thanked_at = models.DateTimeField(null=True, blank=True)
    thanked_by = models.CharField(max_length=150, blank=True, default="")
    thanks_note = models.TextField(blank=True, default="")
    # The gallery shown to the task's learners after the end: staff put the work in it, and its
    # author may withdraw it.
    in_gallery = models.BooleanField(default=False)
    withdrawn = models.BooleanField(default=False)

    def __str__(self):
        return f"best work {self.work_id}"


class BestWorkChange(models.Model):
    """One change staff (or the author, withdrawing from the gallery) made on the best works page."""

    ADD, REMOVE, RESTORE, THANK = "add", "remove", "restore", "thank"
    GALLERY_ADD, GALLERY_REMOVE, WITHDRAW = "gallery_add", "gallery_remove", "withdraw"
    ACTIONS = [(ADD, _("Added by hand")), (REMOVE, _("Removed")), (RESTORE, _("Restored")),
               (THANK, _("Author thanked")), (GALLERY_ADD, _("Shown in the gallery")),
               (GALLERY_REMOVE, _("Taken out of the gallery")), (WITHDRAW, _("Withdrawn by the author"))]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="best_work_changes")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="best_work_changes")
    action = models.CharField(max_length=16, choices=ACTIONS)
    by = models.CharField(max_length=150, blank=True, default="")  # a staff username; "" for the author
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action} of work {self.work_id} by {self.by or 'the author'}"


class BestWorkVote(models.Model):
    """A vote on the best works among the course's top reviewers (issue 12, B4), one per task.

    Who may vote and what is on the ballot are fixed when staff open it: `eligible` holds the
    anonymous ids of the top reviewers by the reviewer rating (F3) at that moment, `shortlist`
    the work ids on the best works page (not removed), in the page's order.
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="best_work_vote")
    opened_at = models.DateTimeField()
    opened_by = models.CharField(max_length=150, blank=True, default="")
    closes_at = models.DateTimeField()
    votes_per_voter = models.PositiveSmallIntegerField(default=3)
    top = models.PositiveIntegerField(null=True, blank=True)          # the top N reviewers …
    top_percent = models.PositiveSmallIntegerField(null=True, blank=True)  # … or the top percent
    eligible = models.JSONField(default=list)
    shortlist = models.JSONField(default=list)

    def __str__(self):
        return f"best works vote of task {self.task_id}"


class Ballot(models.Model):
    """One voter's vote for one work (a voter has up to `votes_per_voter` of them)."""

    vote = models.ForeignKey(BestWorkVote, on_delete=models.CASCADE, related_name="ballots")
    voter = models.CharField(max_length=255)  # the voter's anonymous id
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="ballots")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "voter", "work"], name="crosscheck_one_ballot")]

    def __str__(self):
        return f"ballot for work {self.work_id}"


class CommunityRecheck(models.Model):
    """A top reviewer's re-check of an appealed work, asked for by course staff (issue 12, B4).

    Staff pick the appeal and the reviewers (among the course's top reviewers by the reviewer
    rating); each fills the task's checklist for the work, once or again while the appeal waits.
    Staff see the re-checks beside the appeal and still decide. The reviewer knows the work by
    its link only; `token` is the random id of this request in the reviewer's page.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="community_rechecks")
    reviewer = models.CharField(max_length=255)  # the reviewer's anonymous id
    reviewer_name = models.CharField(max_length=150, blank=True, default="")  # for staff; cleared at retirement
    token = models.CharField(max_length=32, unique=True)
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=150, blank=True, default="")
    items = models.JSONField(null=True, blank=True)
    item_comments = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default="")
    total = models.FloatField(null=True, blank=True)
    checklist_version = models.ForeignKey(ChecklistVersion, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appeal", "reviewer"], name="crosscheck_one_community_recheck")]

    def __str__(self):
        return f"community re-check of appeal {self.appeal_id}"


class PoolSample(models.Model):
    """The number of works lacking reviews (the extra-review pool, D4) at one time, for staff.

    Written when a learner takes an extra review and, at most every few minutes, when a review
    is submitted (services/extras.py), so staff see how the pool shrank over the review period.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="pool_samples")
    at = models.DateTimeField()
    size = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["task", "at"], name="crosscheck_pool_sample_at")]

    def __str__(self):
        return f"pool of task {self.task_id} at {self.at}: {self.size}"  # i18n: code


class CalibrationWork(models.Model):
    """A work of the calibration set (issue 16): picked at the start for course staff to grade
    with the checklist during the review period. Staff grades are anchors: grading estimates the
    class's peer-versus-staff offset from them (scoring/calibration.py)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="calibration_works")
    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="calibration")
    picked_at = models.DateTimeField()
    items = models.JSONField(null=True, blank=True)  # staff's checklist values; null until graded
    item_comments = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default="")
    total = models.FloatField(null=True, blank=True)
    checklist_version = models.ForeignKey(ChecklistVersion, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.CharField(max_length=150, blank=True, default="")  # cleared at retirement

    def __str__(self):
        return f"calibration work {self.work_id} of task {self.task_id}"  # i18n: code


class Notice(models.Model):
    """One notice to one learner (issue 14, N1–N12, M5): in the block, and later by Telegram.

    Stored as its kind and numbers (`detail`: counts, dates, "Work N" / "Reviewer N" numbers,
    never a name); the sentence is worded when read, in the reader's language
    (services/notices.py). The unique key (learner, task, kind, occasion) is what makes every
    notice exist once however many sweeps, retries and clicks race: `occasion` says what one
    notice is about (a message id, a date, "" for what happens once per task).
    `telegram_state` is the outbox of the Telegram delivery: "" (not looked at yet), pending,
    sent, failed, or off (the learner turned the kind off, or Telegram is not configured).
    """

    TASK_OPENED = "task_opened"                  # N1
    DEADLINE_IN_3_DAYS = "deadline_in_3_days"    # N2 (nothing submitted)
    DEADLINE_IN_1_DAY = "deadline_in_1_day"      # N3 (nothing submitted)
    WORK_SUBMITTED = "work_submitted"            # N4 (the work goes to review at the start)
    REVIEW_STARTED = "review_started"            # N5 (works to review)
    REVIEW_END_IN_1_DAY = "review_end_in_1_day"  # N6 (reviews unfinished)
    REVIEWS_DONE = "reviews_done"                # N7
    NEW_MESSAGE = "new_message"                  # N8
    THANKED = "thanked"                          # N9
    COMPLAINED = "complained"                    # N10
    WORK_REVIEWED = "work_reviewed"              # N11
    MARKED_BEST = "marked_best"                  # N12
    KINDS = [(TASK_OPENED, _("Task opened")), (DEADLINE_IN_3_DAYS, _("Deadline in 3 days")),
             (DEADLINE_IN_1_DAY, _("Deadline in 1 day")), (WORK_SUBMITTED, _("Work submitted")),
             (REVIEW_STARTED, _("Cross-check started")), (REVIEW_END_IN_1_DAY, _("Cross-check ends in 1 day")),
             (REVIEWS_DONE, _("Reviews done")), (NEW_MESSAGE, _("New message")), (THANKED, _("Thanked")),
             (COMPLAINED, _("Complaint")), (WORK_REVIEWED, _("Work reviewed")), (MARKED_BEST, _("Marked best"))]
    TELEGRAM_STATES = [("", _("Not looked at")), ("pending", _("Pending")), ("sending", _("Sending")),
                       ("sent", _("Sent")), ("failed", _("Failed")), ("blocked", _("Blocked")), ("off", _("Off"))]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    student_id = models.CharField(max_length=255)  # the learner's anonymous id in the course
    kind = models.CharField(max_length=24, choices=KINDS)
    occasion = models.CharField(max_length=64, blank=True, default="")
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    telegram_state = models.CharField(max_length=8, choices=TELEGRAM_STATES, blank=True, default="")
    # The outbox (services/outbox.py): when the state last changed, the batch that claimed the
    # notice, the sends tried, and Telegram's or the network's words on the last failure.
    telegram_at = models.DateTimeField(null=True, blank=True)
    telegram_batch = models.CharField(max_length=32, blank=True, default="")
    telegram_attempts = models.PositiveSmallIntegerField(default=0)
    telegram_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student_id", "task", "kind", "occasion"], name="crosscheck_notice_once"),
        ]
        indexes = [
            models.Index(fields=["student_id", "task", "created_at"], name="crosscheck_notice_list"),
            models.Index(fields=["telegram_state", "created_at"], name="crosscheck_notice_outbox"),
        ]

    def __str__(self):
        return f"{self.kind} notice {self.pk} in task {self.task_id}"  # i18n: code


class NotificationSettings(models.Model):
    """A learner's notification settings, site-wide (not per course): keyed by the LMS user
    (`user_key`, see compat.site_user_key). `telegram` is {kind: bool}; a kind not in it is on.
    In-app notices always exist; only their Telegram delivery can be turned off."""

    user_key = models.CharField(max_length=255, unique=True)
    telegram = models.JSONField(default=dict)
    # The learner's time zone (an IANA name the browser reported), for the dates in notices; ""
    # = UTC. The LMS's own time zone preference wins where there is one (compat.user_preferences).
    time_zone = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"notification settings of {self.user_key}"  # i18n: code


class TelegramChat(models.Model):
    """A learner's Telegram chat with the bot, linked by the deep link's `/start <token>`;
    site-wide (one per LMS user, `user_key`), not per course. `/stop` or a 403 (the learner
    blocked the bot) deletes it. `language` is the learner's language when they linked (the
    LMS's language preference wins where there is one)."""

    user_key = models.CharField(max_length=255, unique=True)
    chat_id = models.BigIntegerField(db_index=True)
    language = models.CharField(max_length=16, blank=True, default="")
    linked_at = models.DateTimeField()

    def __str__(self):
        return f"telegram chat of {self.user_key}"  # i18n: code


class TelegramLinkToken(models.Model):
    """A "Connect Telegram" deep link's token: single use (`used_at`), expiring, and no more
    than 64 characters of A-Za-z0-9_- (Telegram's rule for `?start=`)."""

    token = models.CharField(max_length=64, unique=True)
    user_key = models.CharField(max_length=255, db_index=True)
    language = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"telegram link token of {self.user_key}"  # i18n: code
