
            (function(global){
                var CrossCheckI18N = {
                  init: function() {
                    
'use strict';
{
  const globals = this;
  const django = globals.django || (globals.django = {});

  
  django.pluralidx = function(n) {
    const v = (n != 1);
    if (typeof v === 'boolean') {
      return v ? 1 : 0;
    } else {
      return v;
    }
  };
  

  /* gettext library */

  django.catalog = django.catalog || {};
  
  const newcatalog = {
    " (used)": " (used)",
    "%(badge)s, %(rechecks)s": "%(badge)s, %(rechecks)s",
    "%(badge)s, %(unread)s": "%(badge)s, %(unread)s",
    "%(choice)s (%(points)s)": "%(choice)s (%(points)s)",
    "%(choice)s (%(points)s) for \u2018%(item)s\u2019": "%(choice)s (%(points)s) for \u2018%(item)s\u2019",
    "%(count)s of %(n)s": "%(count)s of %(n)s",
    "%(count)s of %(n)s (%(share)s)": "%(count)s of %(n)s (%(share)s)",
    "%(date)s: %(learner)s \u2014 %(action)s by %(by)s": "%(date)s: %(learner)s \u2014 %(action)s by %(by)s",
    "%(days)s d %(hours)s h": "%(days)s d %(hours)s h",
    "%(done)s / %(n)s": "%(done)s / %(n)s",
    "%(done)s of %(n)s": "%(done)s of %(n)s",
    "%(done)s of %(n)s done": "%(done)s of %(n)s done",
    "%(file)s: %(error)s": "%(file)s: %(error)s",
    "%(file)s: the file could not be read.": "%(file)s: the file could not be read.",
    "%(from)s (%(username)s)": "%(from)s (%(username)s)",
    "%(from)s\u2013%(to)s: %(n)s work": [
      "%(from)s\u2013%(to)s: %(n)s work",
      "%(from)s\u2013%(to)s: %(n)s works"
    ],
    "%(grade)s (%(status)s)": "%(grade)s (%(status)s)",
    "%(hours)s h %(minutes)s min": "%(hours)s h %(minutes)s min",
    "%(item)s: %(points)s \u2014 %(given)s": "%(item)s: %(points)s \u2014 %(given)s",
    "%(item)s: %(value)s points from staff's (95-percent interval %(low)s to %(high)s)": "%(item)s: %(value)s points from staff's (95-percent interval %(low)s to %(high)s)",
    "%(learner)s (rating %(rating)s)": "%(learner)s (rating %(rating)s)",
    "%(learner)s \u2014 %(status)s, grade %(grade)s": "%(learner)s \u2014 %(status)s, grade %(grade)s",
    "%(learner)s \u2014 %(status)s, grade %(grade)s, spread %(spread)s": "%(learner)s \u2014 %(status)s, grade %(grade)s, spread %(spread)s",
    "%(learner)s \u2014 grade %(grade)s": "%(learner)s \u2014 grade %(grade)s",
    "%(learner)s \u2014 grade %(grade)s, spread %(spread)s": "%(learner)s \u2014 grade %(grade)s, spread %(spread)s",
    "%(learner)s: %(error)s (tried %(n)s time; next %(date)s)": [
      "%(learner)s: %(error)s (tried %(n)s time; next %(date)s)",
      "%(learner)s: %(error)s (tried %(n)s times; next %(date)s)"
    ],
    "%(minutes)s min": "%(minutes)s min",
    "%(n)s %(kind)s": "%(n)s %(kind)s",
    "%(n)s (%(extra)s extra)": "%(n)s (%(extra)s extra)",
    "%(n)s author thanked.": [
      "%(n)s author thanked.",
      "%(n)s authors thanked."
    ],
    "%(n)s author thanked; %(already)s already were.": [
      "%(n)s author thanked; %(already)s already were.",
      "%(n)s authors thanked; %(already)s already were."
    ],
    "%(n)s entry in the conversation.": [
      "%(n)s entry in the conversation.",
      "%(n)s entries in the conversation."
    ],
    "%(n)s grade could not be written to the gradebook yet; it is tried again by itself:": [
      "%(n)s grade could not be written to the gradebook yet; it is tried again by itself:",
      "%(n)s grades could not be written to the gradebook yet; they are tried again by themselves:"
    ],
    "%(n)s item (at most %(max)s).": [
      "%(n)s item (at most %(max)s).",
      "%(n)s items (at most %(max)s)."
    ],
    "%(n)s message from learners is unread by course staff.": [
      "%(n)s message from learners is unread by course staff.",
      "%(n)s messages from learners are unread by course staff."
    ],
    "%(n)s new": [
      "%(n)s new",
      "%(n)s new"
    ],
    "%(n)s new message": [
      "%(n)s new message",
      "%(n)s new messages"
    ],
    "%(n)s new notice": [
      "%(n)s new notice",
      "%(n)s new notices"
    ],
    "%(n)s open for submission": [
      "%(n)s open for submission",
      "%(n)s open for submission"
    ],
    "%(n)s point": [
      "%(n)s point",
      "%(n)s points"
    ],
    "%(n)s re-check asked of you": [
      "%(n)s re-check asked of you",
      "%(n)s re-checks asked of you"
    ],
    "%(n)s reviewer asked to re-check.": [
      "%(n)s reviewer asked to re-check.",
      "%(n)s reviewers asked to re-check."
    ],
    "%(n)s reviewer asked to re-check; %(already)s already were.": [
      "%(n)s reviewer asked to re-check; %(already)s already were.",
      "%(n)s reviewers asked to re-check; %(already)s already were."
    ],
    "%(n)s reviewer marked your work as one of the best.": [
      "%(n)s reviewer marked your work as one of the best.",
      "%(n)s reviewers marked your work as one of the best."
    ],
    "%(n)s reviewer pasted one comment into all of their reviews.": [
      "%(n)s reviewer pasted one comment into all of their reviews.",
      "%(n)s reviewers pasted one comment into all of their reviews."
    ],
    "%(n)s thin review": [
      "%(n)s thin review",
      "%(n)s thin reviews"
    ],
    "%(n)s thin review (below the maximum with fewer than %(chars)s characters of comments)": [
      "%(n)s thin review (below the maximum with fewer than %(chars)s characters of comments)",
      "%(n)s thin reviews (below the maximum with fewer than %(chars)s characters of comments)"
    ],
    "%(n)s work lacks reviews now (extra reviews: up to %(limit)s per learner, %(hours)s hours each).": [
      "%(n)s work lacks reviews now (extra reviews: up to %(limit)s per learner, %(hours)s hours each).",
      "%(n)s works lack reviews now (extra reviews: up to %(limit)s per learner, %(hours)s hours each)."
    ],
    "%(n)s work selected": [
      "%(n)s work selected",
      "%(n)s works selected"
    ],
    "%(n)s work submitted. %(phase)s": [
      "%(n)s work submitted. %(phase)s",
      "%(n)s works submitted. %(phase)s"
    ],
    "%(n)s work submitted. %(phase)s Reviewers per work: %(k)s.": [
      "%(n)s work submitted. %(phase)s Reviewers per work: %(k)s.",
      "%(n)s works submitted. %(phase)s Reviewers per work: %(k)s."
    ],
    "%(points)s / %(max)s": "%(points)s / %(max)s",
    "%(points)s of %(max)s": "%(points)s of %(max)s",
    "%(points)s of 30": "%(points)s of 30",
    "%(points)s of 70": "%(points)s of 70",
    "%(points)s points (penalty)": "%(points)s points (penalty)",
    "%(policy)s: %(text)s": "%(policy)s: %(text)s",
    "%(rating)s of 100": "%(rating)s of 100",
    "%(reviewer)s %(points)s": "%(reviewer)s %(points)s",
    "%(reviewer)s %(points)s (not counted: %(reason)s)": "%(reviewer)s %(points)s (not counted: %(reason)s)",
    "%(reviewer)s (asked %(date)s by %(staff)s): %(total)s of %(max)s, sent %(sent)s": "%(reviewer)s (asked %(date)s by %(staff)s): %(total)s of %(max)s, sent %(sent)s",
    "%(reviewer)s (asked %(date)s by %(staff)s): not sent yet": "%(reviewer)s (asked %(date)s by %(staff)s): not sent yet",
    "%(reviewer)s: %(points)s (counted)": "%(reviewer)s: %(points)s (counted)",
    "%(reviewer)s: %(points)s (counted: %(reason)s)": "%(reviewer)s: %(points)s (counted: %(reason)s)",
    "%(reviewer)s: %(points)s (left out: %(reason)s)": "%(reviewer)s: %(points)s (left out: %(reason)s)",
    "%(reviewer)s: %(points)s of %(max)s": "%(reviewer)s: %(points)s of %(max)s",
    "%(reviewer)s: %(points)s of %(max)s \u2014 marked your work as a best work": "%(reviewer)s: %(points)s of %(max)s \u2014 marked your work as a best work",
    "%(reviewer)s: %(points)s points vs the others": "%(reviewer)s: %(points)s points vs the others",
    "%(reviewer)s: %(signals)s": "%(reviewer)s: %(signals)s",
    "%(reviewers)s, and %(n)s author": [
      "%(reviewers)s, and %(n)s author",
      "%(reviewers)s, and %(n)s authors"
    ],
    "%(rule)s (chosen)": "%(rule)s (chosen)",
    "%(shown)s of %(n)s row shown": [
      "%(shown)s of %(n)s row shown",
      "%(shown)s of %(n)s rows shown"
    ],
    "%(shown)s of %(n)s work shown": [
      "%(shown)s of %(n)s work shown",
      "%(shown)s of %(n)s works shown"
    ],
    "%(start)s \u2013 %(end)s": "%(start)s \u2013 %(end)s",
    "%(text)s %(note)s": "%(text)s %(note)s",
    "%(text)s (link changed after the deadline)": "%(text)s (link changed after the deadline)",
    "%(thin)s, %(by)s. %(pasted)s": "%(thin)s, %(by)s. %(pasted)s",
    "%(title)s (%(n)s version)": [
      "%(title)s (%(n)s version)",
      "%(title)s (%(n)s versions)"
    ],
    "%(title)s (%(username)s)": "%(title)s (%(username)s)",
    "%(title)s: %(n)s vote": [
      "%(title)s: %(n)s vote",
      "%(title)s: %(n)s votes"
    ],
    "%(title)s: %(points)s": "%(title)s: %(points)s",
    "%(work)s (%(author)s) and %(reviewer)s (%(username)s)": "%(work)s (%(author)s) and %(reviewer)s (%(username)s)",
    "%(work)s (%(author)s), %(reviewer)s (%(username)s) \u2014 %(status)s": "%(work)s (%(author)s), %(reviewer)s (%(username)s) \u2014 %(status)s",
    "(%(date)s)": "(%(date)s)",
    "(%(sign)s%(max)s)": "(%(sign)s%(max)s)",
    "(This message was removed.)": "(This message was removed.)",
    "(lowered by %(points)s by the calibration against staff grades)": "(lowered by %(points)s by the calibration against staff grades)",
    "(raised by %(points)s by the calibration against staff grades)": "(raised by %(points)s by the calibration against staff grades)",
    "(review version %(version)s)": "(review version %(version)s)",
    "(your work: you cannot vote for it)": "(your work: you cannot vote for it)",
    "+%(points)s (at most +10)": "+%(points)s (at most +10)",
    "A best work is one you would show others as an example: it does everything the checklist asks, and does it in a clean, thoughtful way. Course staff see the works marked best; the author is not told who marked it.": "A best work is one you would show others as an example: it does everything the checklist asks, and does it in a clean, thoughtful way. Course staff see the works marked best; the author is not told who marked it.",
    "A complaint is not an appeal of your grade: course staff check whether the points for the items you name were taken without reason. Upheld, the reviewer is warned; rejected as unfounded, you are warned. Your grade does not change: to have it re-checked, appeal in the \u201cGrade and appeal\u201d tab.": "A complaint is not an appeal of your grade: course staff check whether the points for the items you name were taken without reason. Upheld, the reviewer is warned; rejected as unfounded, you are warned. Your grade does not change: to have it re-checked, appeal in the \u201cGrade and appeal\u201d tab.",
    "A few words with your thanks (optional)": "A few words with your thanks (optional)",
    "A learner who finished their reviews may review works that lack reviews, up to this many; 0 turns it off.": "A learner who finished their reviews may review works that lack reviews, up to this many; 0 turns it off.",
    "A note to the authors with the thanks (optional)": "A note to the authors with the thanks (optional)",
    "A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned.": "A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned.",
    "A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned. Learners may appeal until %(date)s.": "A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned. Learners may appeal until %(date)s.",
    "A taken work stays the learner's for this long; unreviewed by then, it returns to the pool.": "A taken work stays the learner's for this long; unreviewed by then, it returns to the pool.",
    "Act on the selected works": "Act on the selected works",
    "Add": "Add",
    "Add a work by hand": "Add a work by hand",
    "Adjustment period ends": "Adjustment period ends",
    "After grading, learners whose link did not change after the deadline may appeal for this many days; 0 turns appeals off.": "After grading, learners whose link did not change after the deadline may appeal for this many days; 0 turns appeals off.",
    "After grading, staff re-checks are anchors too. Grades never change by themselves: preview what a recompute with every staff grade would change, then apply it.": "After grading, staff re-checks are anchors too. Grades never change by themselves: preview what a recompute with every staff grade would change, then apply it.",
    "After the cross-check end, the course's best reviewers by the reviewer rating can vote on the works above; authors cannot vote for their own work.": "After the cross-check end, the course's best reviewers by the reviewer rating can vote on the works above; authors cannot vote for their own work.",
    "After the recompute": "After the recompute",
    "Aggregation": "Aggregation",
    "Agreement (of 100)": "Agreement (of 100)",
    "Agreement with the other reviewers": "Agreement with the other reviewers",
    "All cross-checks of this course: %(n)s": "All cross-checks of this course: %(n)s",
    "An author says that points were taken without reason for the items named. Upheld, the reviewer is warned for an unfair review; rejected as unfounded, the author is warned. Neither changes the grade (a re-check does, and settles the work's waiting complaints with it). Your comment is shown to both learners in their conversation.": "An author says that points were taken without reason for the items named. Upheld, the reviewer is warned for an unfair review; rejected as unfounded, the author is warned. Neither changes the grade (a re-check does, and settles the work's waiting complaints with it). Your comment is shown to both learners in their conversation.",
    "An extra work to review was added to your list.": "An extra work to review was added to your list.",
    "Analytics": "Analytics",
    "Appeal": "Appeal",
    "Appeal window (days)": "Appeal window (days)",
    "Appeals": "Appeals",
    "Appeals (%(n)s waiting)": "Appeals (%(n)s waiting)",
    "Apply the recompute": "Apply the recompute",
    "Ask the selected reviewers": "Ask the selected reviewers",
    "Ask top reviewers to re-check": "Ask top reviewers to re-check",
    "At the start the block picks this many works (3\u201310 recommended) for course staff to grade with the checklist during the review period; the grades then move every peer grade by the class offset they show, as far as they support it. 0: off.": "At the start the block picks this many works (3\u201310 recommended) for course staff to grade with the checklist during the review period; the grades then move every peer grade by the class offset they show, as far as they support it. 0: off.",
    "Author's self-check": "Author's self-check",
    "Before submitting: %(n)s item that lost points still needs a comment.": [
      "Before submitting: %(n)s item that lost points still needs a comment.",
      "Before submitting: %(n)s items that lost points still need a comment."
    ],
    "Before submitting: the total is below the maximum, so the overall comment needs at least %(n)s character.": [
      "Before submitting: the total is below the maximum, so the overall comment needs at least %(n)s character.",
      "Before submitting: the total is below the maximum, so the overall comment needs at least %(n)s characters."
    ],
    "Best works": "Best works",
    "Bias": "Bias",
    "Calibration against staff grades": "Calibration against staff grades",
    "Calibration set (works staff grade)": "Calibration set (works staff grade)",
    "Careless reviewers caught": "Careless reviewers caught",
    "Change the verdict": "Change the verdict",
    "Change this review": "Change this review",
    "Change your grade of this work": "Change your grade of this work",
    "Changes (newest first)": "Changes (newest first)",
    "Check your own work with the same checklist your reviewers will use. Your reviewers see it after they submit their review; you see it beside their points.": "Check your own work with the same checklist your reviewers will use. Your reviewers see it after they submit their review; you see it beside their points.",
    "Closed": "Closed",
    "Closes at": "Closes at",
    "Comment": "Comment",
    "Comment for both learners": "Comment for both learners",
    "Comment on \u2018%(item)s\u2019": "Comment on \u2018%(item)s\u2019",
    "Comments cannot change now, so keep these points as they were.": "Comments cannot change now, so keep these points as they were.",
    "Comments required": "Comments required",
    "Comments that justify the points": "Comments that justify the points",
    "Community re-checks": "Community re-checks",
    "Community re-checks of %(learner)s's work per item": "Community re-checks of %(learner)s's work per item",
    "Complain about this review": "Complain about this review",
    "Complaint:": "Complaint:",
    "Complaints about reviews (%(n)s waiting)": "Complaints about reviews (%(n)s waiting)",
    "Complaints upheld": "Complaints upheld",
    "Complaints upheld by course staff": "Complaints upheld by course staff",
    "Complete now": "Complete now",
    "Connect Telegram": "Connect Telegram",
    "Conversation": "Conversation",
    "Conversation (%(n)s new)": [
      "Conversation (%(n)s new)",
      "Conversation (%(n)s new)"
    ],
    "Conversation with %(other)s": "Conversation with %(other)s",
    "Conversations": "Conversations",
    "Conversations about reviews": "Conversations about reviews",
    "Correct my re-check": "Correct my re-check",
    "Correct the points of this review": "Correct the points of this review",
    "Correct the re-check": "Correct the re-check",
    "Course staff ask you, as one of the course's top reviewers, to re-check works whose authors appealed their grade. Check the whole work with the checklist, as in a review. Course staff see your re-check beside the appeal and decide the grade themselves; the author sees neither your re-check nor who you are.": "Course staff ask you, as one of the course's top reviewers, to re-check works whose authors appealed their grade. Check the whole work with the checklist, as in a review. Course staff see your re-check beside the appeal and decide the grade themselves; the author sees neither your re-check nor who you are.",
    "Course staff have settled this appeal: the re-check is closed.": "Course staff have settled this appeal: the re-check is closed.",
    "Course staff re-checked your work on %(date)s: %(total)s of %(max)s.": "Course staff re-checked your work on %(date)s: %(total)s of %(max)s.",
    "Course staff re-checked your work on %(date)s: %(total)s of %(max)s. Your grade was %(before)s and is now %(after)s of %(max)s.": "Course staff re-checked your work on %(date)s: %(total)s of %(max)s. Your grade was %(before)s and is now %(after)s of %(max)s.",
    "Course staff:": "Course staff:",
    "Cross-check": "Cross-check",
    "Cross-check end": "Cross-check end",
    "Cross-check end: %(date)s": "Cross-check end: %(date)s",
    "Cross-check start": "Cross-check start",
    "Cross-checks": "Cross-checks",
    "Delete": "Delete",
    "Delete item %(n)s (no text yet)": "Delete item %(n)s (no text yet)",
    "Delete item %(n)s \u2018%(text)s\u2019": "Delete item %(n)s \u2018%(text)s\u2019",
    "Disconnect Telegram": "Disconnect Telegram",
    "Disputed items": "Disputed items",
    "Disputed items: %(items)s": "Disputed items: %(items)s",
    "Done": "Done",
    "Download all (CSV)": "Download all (CSV)",
    "Download grades (CSV)": "Download grades (CSV)",
    "Download reviewer ratings (CSV)": "Download reviewer ratings (CSV)",
    "Download reviews (CSV)": "Download reviews (CSV)",
    "Download the selection (CSV)": "Download the selection (CSV)",
    "Draft not saved: %(error)s": "Draft not saved: %(error)s",
    "Draft saved": "Draft saved",
    "Draft saved %(time)s": "Draft saved %(time)s",
    "Each author is thanked once: their page says that the work was chosen as one of the best works, with your note.": "Each author is thanked once: their page says that the work was chosen as one of the best works, with your note.",
    "Edit in Studio": "Edit in Studio",
    "Empty: the start + %(n)s day.": [
      "Empty: the start + %(n)s day.",
      "Empty: the start + %(n)s days."
    ],
    "Enter a maximum score to compare the totals.": "Enter a maximum score to compare the totals.",
    "Every conversation between an author and a reviewer of this task. Learners see each other only as \u201cWork N\u201d and \u201cReviewer N\u201d; you see their usernames. Your posts appear as \u201cCourse staff\u201d.": "Every conversation between an author and a reviewer of this task. Learners see each other only as \u201cWork N\u201d and \u201cReviewer N\u201d; you see their usernames. Your posts appear as \u201cCourse staff\u201d.",
    "Every learner of the course as a reviewer": "Every learner of the course as a reviewer",
    "Every work a reviewer marked as best, most marks first, then by grade; and the works you added by hand. Removed works stay listed and can be restored; every change is recorded.": "Every work a reviewer marked as best, most marks first, then by grade; and the works you added by hand. Removed works stay listed and can be restored; every change is recorded.",
    "Extra review": "Extra review",
    "Extra review lease (hours)": "Extra review lease (hours)",
    "Extra reviews": "Extra reviews",
    "Extra reviews only, before the end (hours)": "Extra reviews only, before the end (hours)",
    "Extra reviews per learner": "Extra reviews per learner",
    "Feedback on my work": "Feedback on my work",
    "Filter by learner": "Filter by learner",
    "From %(n)s review in this course's cross-checks.": [
      "From %(n)s review in this course's cross-checks.",
      "From %(n)s reviews in this course's cross-checks."
    ],
    "From %(n)s staff grade, the peers' grades are estimated to be %(value)s points from staff's (95-percent interval %(low)s to %(high)s; negative: harsher); every grade moves by %(shift)s.": [
      "From %(n)s staff grade, the peers' grades are estimated to be %(value)s points from staff's (95-percent interval %(low)s to %(high)s; negative: harsher); every grade moves by %(shift)s.",
      "From %(n)s staff grades, the peers' grades are estimated to be %(value)s points from staff's (95-percent interval %(low)s to %(high)s; negative: harsher); every grade moves by %(shift)s."
    ],
    "Gallery of best works": "Gallery of best works",
    "Get these notices in Telegram: open the bot with the button and press Start there. The link works once and for an hour.": "Get these notices in Telegram: open the bot with the button and press Start there. The link works once and for an hour.",
    "Grade": "Grade",
    "Grade and appeal": "Grade and appeal",
    "Grade this work with the checklist": "Grade this work with the checklist",
    "Grade: %(points)s of %(max)s": "Grade: %(points)s of %(max)s",
    "Grades (%(final)s final, %(expected)s expected)": "Grades (%(final)s final, %(expected)s expected)",
    "Grades (final, or expected with the task's policy, aggregation and warning rule)": "Grades (final, or expected with the task's policy, aggregation and warning rule)",
    "Grades a recompute changes": "Grades a recompute changes",
    "Grading policy": "Grading policy",
    "History of this review": "History of this review",
    "History of your review": "History of your review",
    "Honest reviewers warned": "Honest reviewers warned",
    "How far a score may be from the other scores of its work before the fixed rule leaves it out (the proposal says 15\u201320 %); a staff re-check warns at the same distance.": "How far a score may be from the other scores of its work before the fixed rule leaves it out (the proposal says 15\u201320 %); a staff re-check warns at the same distance.",
    "How many (or which percent)": "How many (or which percent)",
    "How often each rule warns, measured on %(n)s simulated class of %(learners)s learners (k = %(k)s, threshold %(threshold)s, maximum %(max)s).": [
      "How often each rule warns, measured on %(n)s simulated class of %(learners)s learners (k = %(k)s, threshold %(threshold)s, maximum %(max)s).",
      "How often each rule warns, measured on %(n)s simulated classes of %(learners)s learners each (k = %(k)s, threshold %(threshold)s, maximum %(max)s)."
    ],
    "How the reviewers' grade was computed:": "How the reviewers' grade was computed:",
    "I pressed Start": "I pressed Start",
    "Ideal / flags": "Ideal / flags",
    "If you think your grade is wrong, ask course staff to re-check your work until %(date)s. Tick the checklist items whose points you dispute and say why. Staff re-check the whole work with the same checklist; their result replaces your grade, up or down, and reviewers whose scores were far from it are warned. So is an author whose self-check was far from it.": "If you think your grade is wrong, ask course staff to re-check your work until %(date)s. Tick the checklist items whose points you dispute and say why. Staff re-check the whole work with the same checklist; their result replaces your grade, up or down, and reviewers whose scores were far from it are warned. So is an author whose self-check was far from it.",
    "Imported %(n)s item from %(file)s. Check it, then save.": [
      "Imported %(n)s item from %(file)s. Check it, then save.",
      "Imported %(n)s items from %(file)s. Check them, then save."
    ],
    "Imported %(n)s item from the pasted text. Check it, then save.": [
      "Imported %(n)s item from the pasted text. Check it, then save.",
      "Imported %(n)s items from the pasted text. Check them, then save."
    ],
    "In the conversation you can thank the reviewer for a useful comment, or complain about points taken without reason.": "In the conversation you can thank the reviewer for a useful comment, or complain about points taken without reason.",
    "In the conversation you can thank the reviewer for a useful comment.": "In the conversation you can thank the reviewer for a useful comment.",
    "Item": "Item",
    "Item %(n)s added at the end; type its text.": "Item %(n)s added at the end; type its text.",
    "Item %(n)s deleted.": "Item %(n)s deleted.",
    "Item %(n)s \u2018%(text)s\u2019 deleted.": "Item %(n)s \u2018%(text)s\u2019 deleted.",
    "Item by item (each item of every grade moves by minus its offset):": "Item by item (each item of every grade moves by minus its offset):",
    "Item by item:": "Item by item:",
    "Item moved to position %(n)s.": "Item moved to position %(n)s.",
    "Item \u2018%(text)s\u2019 moved to position %(n)s.": "Item \u2018%(text)s\u2019 moved to position %(n)s.",
    "Items the phrase names": "Items the phrase names",
    "Items whose deduction is unjustified": "Items whose deduction is unjustified",
    "Items: %(items)s": "Items: %(items)s",
    "Largest spread": "Largest spread",
    "Largest spreads, not appealed": "Largest spreads, not appealed",
    "Last post": "Last post",
    "Learner": "Learner",
    "Learner %(from)s\u2013%(to)s of %(n)s": [
      "Learner %(from)s\u2013%(to)s of %(n)s",
      "Learners %(from)s\u2013%(to)s of %(n)s"
    ],
    "Learners and their progress": "Learners and their progress",
    "Learners paste %(what)s.": "Learners paste %(what)s.",
    "Learners submit": "Learners submit",
    "Link": "Link",
    "Link: %(link)s": "Link: %(link)s",
    "Loading\u2026": "Loading\u2026",
    "Mark as best work": "Mark as best work",
    "Marks": "Marks",
    "Maximum score": "Maximum score",
    "Mean signed deviation of each reviewer from the other reviewers": "Mean signed deviation of each reviewer from the other reviewers",
    "Messages": "Messages",
    "Messages and review versions": "Messages and review versions",
    "Minimum comment length (characters)": "Minimum comment length (characters)",
    "Move down": "Move down",
    "Move item %(n)s (no text yet) down": "Move item %(n)s (no text yet) down",
    "Move item %(n)s (no text yet) up": "Move item %(n)s (no text yet) up",
    "Move item %(n)s \u2018%(text)s\u2019 down": "Move item %(n)s \u2018%(text)s\u2019 down",
    "Move item %(n)s \u2018%(text)s\u2019 up": "Move item %(n)s \u2018%(text)s\u2019 up",
    "Move up": "Move up",
    "My work": "My work",
    "New": "New",
    "Next date": "Next date",
    "Next page": "Next page",
    "No": "No",
    "No appeals yet.": "No appeals yet.",
    "No conversation is open yet: each opens when its review is first submitted.": "No conversation is open yet: each opens when its review is first submitted.",
    "No grade yet": "No grade yet",
    "No item lost points in this review.": "No item lost points in this review.",
    "No learner has submitted yet.": "No learner has submitted yet.",
    "No learner matches \u201c%(search)s\u201d.": "No learner matches \u201c%(search)s\u201d.",
    "No learners in this course's cross-checks yet.": "No learners in this course's cross-checks yet.",
    "No messages yet.": "No messages yet.",
    "No notices yet.": "No notices yet.",
    "No other learner of the course has a reviewer rating yet.": "No other learner of the course has a reviewer rating yet.",
    "No prepared phrase": "No prepared phrase",
    "No rating yet": "No rating yet",
    "No reviews of your work yet. Each review appears here as soon as its reviewer submits it.": "No reviews of your work yet. Each review appears here as soon as its reviewer submits it.",
    "No simulation for these settings.": "No simulation for these settings.",
    "No staff grades yet: the peers' grades are used as they are.": "No staff grades yet: the peers' grades are used as they are.",
    "No unread messages.": "No unread messages.",
    "No work has been marked as best yet.": "No work has been marked as best yet.",
    "No work matches \u201c%(search)s\u201d.": "No work matches \u201c%(search)s\u201d.",
    "No works submitted yet.": "No works submitted yet.",
    "No: no penalty for \u2018%(item)s\u2019": "No: no penalty for \u2018%(item)s\u2019",
    "Not done": "Not done",
    "Not graded yet": "Not graded yet",
    "Not saved: see the message at the top.": "Not saved: see the message at the top.",
    "Not started": "Not started",
    "Notices": "Notices",
    "Notices always appear here. Choose which of them are also sent to you by Telegram; the choice holds in every course.": "Notices always appear here. Choose which of them are also sent to you by Telegram; the choice holds in every course.",
    "Notification settings": "Notification settings",
    "Notification settings saved.": "Notification settings saved.",
    "Now": "Now",
    "On time": "On time",
    "On \u2018%(item)s\u2019:": "On \u2018%(item)s\u2019:",
    "Only you and course staff see your rating.": "Only you and course staff see your rating.",
    "Open": "Open",
    "Open for submission now:": [
      "Open for submission now:",
      "Open for submission now (%(n)s):"
    ],
    "Open the conversation": "Open the conversation",
    "Open the conversation of %(author)s and %(reviewer)s": "Open the conversation of %(author)s and %(reviewer)s",
    "Open the overview as a page of its own": "Open the overview as a page of its own",
    "Open the task": "Open the task",
    "Open the vote": "Open the vote",
    "Outlier threshold (percent of the maximum score)": "Outlier threshold (percent of the maximum score)",
    "Overall comment": "Overall comment",
    "Overall comment:": "Overall comment:",
    "Page %(page)s of %(pages)s": "Page %(page)s of %(pages)s",
    "Pages of the learners' table": "Pages of the learners' table",
    "Pages of the works' table": "Pages of the works' table",
    "Part": "Part",
    "Penalty": "Penalty",
    "Penalty \u2018%(item)s\u2019 applies?": "Penalty \u2018%(item)s\u2019 applies?",
    "Phase": "Phase",
    "Points": "Points",
    "Points for item %(n)s (no text yet)": "Points for item %(n)s (no text yet)",
    "Points for item %(n)s \u2018%(text)s\u2019": "Points for item %(n)s \u2018%(text)s\u2019",
    "Points for \u2018%(item)s\u2019": "Points for \u2018%(item)s\u2019",
    "Points for \u2018%(item)s\u2019 (of %(max)s)": "Points for \u2018%(item)s\u2019 (of %(max)s)",
    "Points per item": "Points per item",
    "Points per item in the re-check": "Points per item in the re-check",
    "Points per item in version %(number)s": "Points per item in version %(number)s",
    "Points per item in your re-check": "Points per item in your re-check",
    "Points were taken here: say why in a comment of at least %(n)s character.": [
      "Points were taken here: say why in a comment of at least %(n)s character.",
      "Points were taken here: say why in a comment of at least %(n)s characters."
    ],
    "Prepared phrase (optional)": "Prepared phrase (optional)",
    "Preview a recompute": "Preview a recompute",
    "Preview only: nothing was sent or saved.": "Preview only: nothing was sent or saved.",
    "Preview updated: %(n)s item.": [
      "Preview updated: %(n)s item.",
      "Preview updated: %(n)s items."
    ],
    "Previous page": "Previous page",
    "Progress": "Progress",
    "Rating": "Rating",
    "Re-check": "Re-check",
    "Re-checked by %(staff)s on %(date)s: %(total)s (was %(before)s).": "Re-checked by %(staff)s on %(date)s: %(total)s (was %(before)s).",
    "Re-checked by %(staff)s on %(date)s: %(total)s.": "Re-checked by %(staff)s on %(date)s: %(total)s.",
    "Re-checks asked of you": "Re-checks asked of you",
    "Re-checks open once the grades are published.": "Re-checks open once the grades are published.",
    "Reading %(file)s\u2026": "Reading %(file)s\u2026",
    "Reading the pasted text\u2026": "Reading the pasted text\u2026",
    "Refresh analytics": "Refresh analytics",
    "Refresh appeals": "Refresh appeals",
    "Refresh conversations": "Refresh conversations",
    "Refresh ratings": "Refresh ratings",
    "Reject": "Reject",
    "Reject the complaint of %(author)s": "Reject the complaint of %(author)s",
    "Remove": "Remove",
    "Replace link": "Replace link",
    "Replace link anyway": "Replace link anyway",
    "Replaced %(date)s (was %(link)s)": "Replaced %(date)s (was %(link)s)",
    "Replaced %(date)s (was %(link)s) \u2014 after the deadline: no appeal for this task": "Replaced %(date)s (was %(link)s) \u2014 after the deadline: no appeal for this task",
    "Restore": "Restore",
    "Results, most votes first": "Results, most votes first",
    "Review of %(work)s": "Review of %(work)s",
    "Review one more work": "Review one more work",
    "Review version %(version)s: %(points)s of %(max)s (%(date)s)": "Review version %(version)s: %(points)s of %(max)s (%(date)s)",
    "Reviewer": "Reviewer",
    "Reviewer %(number)s (%(learner)s): %(points)s": "Reviewer %(number)s (%(learner)s): %(points)s",
    "Reviewer ratings": "Reviewer ratings",
    "Reviewer totals": "Reviewer totals",
    "Reviewers it warns in this task": "Reviewers it warns in this task",
    "Reviewers: mean points above (right) or below (left) the other reviewers": "Reviewers: mean points above (right) or below (left) the other reviewers",
    "Reviews": "Reviews",
    "Reviews done": "Reviews done",
    "Reviews finished on time": "Reviews finished on time",
    "Reviews of your work": "Reviews of your work",
    "Reviews per work": "Reviews per work",
    "Reviews received": "Reviews received",
    "Reviews to do": "Reviews to do",
    "Reviews: %(done)s of %(n)s done": "Reviews: %(done)s of %(n)s done",
    "Rows per page": "Rows per page",
    "Rule": "Rule",
    "Save my votes": "Save my votes",
    "Save re-check (replaces the grade)": "Save re-check (replaces the grade)",
    "Save staff grade": "Save staff grade",
    "Save valid settings to see how often each rule warns.": "Save valid settings to see how often each rule warns.",
    "Saved.": "Saved.",
    "Saving\u2026": "Saving\u2026",
    "Scatter": "Scatter",
    "Scores: %(scores)s": "Scores: %(scores)s",
    "Search": "Search",
    "Search by learner": "Search by learner",
    "Select": "Select",
    "Select all": "Select all",
    "Select none": "Select none",
    "Select the work of %(learner)s": "Select the work of %(learner)s",
    "Self-check": "Self-check",
    "Self-check saved %(date)s.": "Self-check saved %(date)s.",
    "Self-check: done": "Self-check: done",
    "Self-check: not done": "Self-check: not done",
    "Send": "Send",
    "Send appeal": "Send appeal",
    "Send complaint": "Send complaint",
    "Send my re-check": "Send my re-check",
    "Sent": "Sent",
    "Sent %(date)s about review version %(version)s (total: %(points)s).": "Sent %(date)s about review version %(version)s (total: %(points)s).",
    "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s day).": [
      "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s day).",
      "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s days)."
    ],
    "Settings": "Settings",
    "Settled by %(staff)s on %(date)s with the re-check of the appeal.": "Settled by %(staff)s on %(date)s with the re-check of the appeal.",
    "Settled by %(staff)s on %(date)s.": "Settled by %(staff)s on %(date)s.",
    "Show in the gallery": "Show in the gallery",
    "Sign in": "Sign in",
    "Sign in to submit your work.": "Sign in to submit your work.",
    "Simulated: %(classes)s %(scenario)s (%(learners)s learners each; k = %(k)s, threshold %(threshold)s, maximum %(max)s).": "Simulated: %(classes)s %(scenario)s (%(learners)s learners each; k = %(k)s, threshold %(threshold)s, maximum %(max)s).",
    "Simulated: careless reviewers caught": "Simulated: careless reviewers caught",
    "Simulated: honest reviewers warned": "Simulated: honest reviewers warned",
    "Some works have fewer reviews than they need because their reviewers have not shown up. You finished your reviews: you may review one more work.": "Some works have fewer reviews than they need because their reviewers have not shown up. You finished your reviews: you may review one more work.",
    "Spaces at the start and end are not counted. Drafts are never refused; self-checks and staff re-checks need no comments.": "Spaces at the start and end are not counted. Drafts are never refused; self-checks and staff re-checks need no comments.",
    "Staff grade saved.": "Staff grade saved.",
    "Staff re-check": "Staff re-check",
    "Staff: analytics": "Staff: analytics",
    "Staff: progress": "Staff: progress",
    "Staff: reviewer ratings": "Staff: reviewer ratings",
    "Start cross-check now": "Start cross-check now",
    "Status": "Status",
    "Submission closes in %(time)s (%(date)s).": "Submission closes in %(time)s (%(date)s).",
    "Submission closes now (%(date)s).": "Submission closes now (%(date)s).",
    "Submission deadline": "Submission deadline",
    "Submission deadline: %(date)s": "Submission deadline: %(date)s",
    "Submission opens %(date)s.": "Submission opens %(date)s.",
    "Submission opens in %(time)s (%(date)s).": "Submission opens in %(time)s (%(date)s).",
    "Submission opens now (%(date)s).": "Submission opens now (%(date)s).",
    "Submit": "Submit",
    "Submit %(what)s.": "Submit %(what)s.",
    "Submit review": "Submit review",
    "Submit review (preview: nothing is sent)": "Submit review (preview: nothing is sent)",
    "Submit self-check": "Submit self-check",
    "Submitted": "Submitted",
    "Submitted: %(link)s %(date)s": "Submitted: %(link)s %(date)s",
    "Submitted: %(points)s of %(max)s": "Submitted: %(points)s of %(max)s",
    "Subtask": "Subtask",
    "Subtitle": "Subtitle",
    "Table": "Table",
    "Take my work out of the gallery": "Take my work out of the gallery",
    "Take out of the gallery": "Take out of the gallery",
    "Task": "Task",
    "Telegram": "Telegram",
    "Telegram disconnected.": "Telegram disconnected.",
    "Telegram is connected: notices also come to your chat with the bot.": "Telegram is connected: notices also come to your chat with the bot.",
    "Telegram is not connected.": "Telegram is not connected.",
    "Telegram is not set up on this site yet, so notices appear only here. They always do.": "Telegram is not set up on this site yet, so notices appear only here. They always do.",
    "Text of item %(n)s": "Text of item %(n)s",
    "Thank %(reviewer)s for this comment": "Thank %(reviewer)s for this comment",
    "Thank for %(target)s": "Thank for %(target)s",
    "Thank for this comment": "Thank for this comment",
    "Thank the authors": "Thank the authors",
    "Thank the reviewer for a comment": "Thank the reviewer for a comment",
    "Thanked": "Thanked",
    "Thanks and complaints": "Thanks and complaints",
    "Thanks are for a comment that helped you, not for the points: a kind word for a useful explanation. You can thank once per version of the review.": "Thanks are for a comment that helped you, not for the points: a kind word for a useful explanation. You can thank once per version of the review.",
    "Thanks from authors": "Thanks from authors",
    "Thanks:": "Thanks:",
    "The %(shown)s reviewers furthest from the others, half below and half above, of %(n)s.": "The %(shown)s reviewers furthest from the others, half below and half above, of %(n)s.",
    "The adjustment period ends in %(time)s (%(date)s).": "The adjustment period ends in %(time)s (%(date)s).",
    "The adjustment period ends now (%(date)s).": "The adjustment period ends now (%(date)s).",
    "The assigned reviews are due this many hours before the end; then only extra reviews are taken, for works still short of reviews (24 with 5 extra reviews per learner fills nearly every work; see the README). 0: assigned reviews are due at the end.": "The assigned reviews are due this many hours before the end; then only extra reviews are taken, for works still short of reviews (24 with 5 extra reviews per learner fills nearly every work; see the README). 0: assigned reviews are due at the end.",
    "The author complained about your points for %(items)s (%(date)s): %(status)s.": "The author complained about your points for %(items)s (%(date)s): %(status)s.",
    "The author disputes: %(items)s": "The author disputes: %(items)s",
    "The author thanked you for %(target)s (%(date)s).": "The author thanked you for %(target)s (%(date)s).",
    "The best works page is updated.": "The best works page is updated.",
    "The block picks %(n)s work for you to grade when the cross-check starts.": [
      "The block picks %(n)s work for you to grade when the cross-check starts.",
      "The block picks %(n)s works for you to grade when the cross-check starts."
    ],
    "The conversation opened": "The conversation opened",
    "The course's top reviewers, by their reviewer rating (the author is not listed)": "The course's top reviewers, by their reviewer rating (the author is not listed)",
    "The cross-check ends in %(time)s (%(date)s).": "The cross-check ends in %(time)s (%(date)s).",
    "The cross-check ends now (%(date)s).": "The cross-check ends now (%(date)s).",
    "The cross-check has ended: you may correct the points of this review until the adjustment period ends.": "The cross-check has ended: you may correct the points of this review until the adjustment period ends.",
    "The cross-check starts in %(time)s (%(date)s).": "The cross-check starts in %(time)s (%(date)s).",
    "The cross-check starts now (%(date)s).": "The cross-check starts now (%(date)s).",
    "The first %(shown)s of %(n)s reviewers, most thin reviews first.": "The first %(shown)s of %(n)s reviewers, most thin reviews first.",
    "The pasted text: %(error)s": "The pasted text: %(error)s",
    "The review form": "The review form",
    "The server answered %(status)s.": "The server answered %(status)s.",
    "The server could not be reached. Check the connection and try again.": "The server could not be reached. Check the connection and try again.",
    "The settings and the checklist are changed in Studio: open this component's Edit view. Learners see the changes once the course is published.": "The settings and the checklist are changed in Studio: open this component's Edit view. Learners see the changes once the course is published.",
    "The settings were not saved": "The settings were not saved",
    "The simulation: %(scenario)s.": "The simulation: %(scenario)s.",
    "The vote closed on %(date)s. Results:": "The vote closed on %(date)s. Results:",
    "The vote closed on %(date)s; %(voted)s of %(voters)s voters voted.": "The vote closed on %(date)s; %(voted)s of %(voters)s voters voted.",
    "The vote is open until %(date)s; %(voted)s of %(voters)s voters have voted.": "The vote is open until %(date)s; %(voted)s of %(voters)s voters have voted.",
    "The vote is open.": "The vote is open.",
    "The work is added to the best works.": "The work is added to the best works.",
    "The works to review are given out when the cross-check starts (%(date)s).": "The works to review are given out when the cross-check starts (%(date)s).",
    "There are no cross-checks in this course yet.": "There are no cross-checks in this course yet.",
    "These numbers are for the saved k, threshold and maximum; save to measure the new ones.": "These numbers are for the saved k, threshold and maximum; save to measure the new ones.",
    "This conversation no longer takes posts; you can still read it.": "This conversation no longer takes posts; you can still read it.",
    "This review has no comment to thank for.": "This review has no comment to thank for.",
    "This task has no calibration set (Studio: Calibration set). Staff re-checks still count as anchors for a recompute.": "This task has no calibration set (Studio: Calibration set). Staff re-checks still count as anchors for a recompute.",
    "This task uses the %(rule)s rule at grading: %(text)s": "This task uses the %(rule)s rule at grading: %(text)s",
    "This task warns nobody at grading (rule: none).": "This task warns nobody at grading (rule: none).",
    "Tick the checklist items the phrase names.": "Tick the checklist items the phrase names.",
    "Tick the items whose points were taken without reason.": "Tick the items whose points were taken without reason.",
    "Time": "Time",
    "Times are in your browser's time zone; they are stored in UTC.": "Times are in your browser's time zone; they are stored in UTC.",
    "Times are in your time zone (%(zone)s); they are stored in UTC.": "Times are in your time zone (%(zone)s); they are stored in UTC.",
    "Title": "Title",
    "Total: %(total)s of %(max)s": "Total: %(total)s of %(max)s",
    "Total: %(total)s of %(max)s (capped at the task's maximum)": "Total: %(total)s of %(max)s (capped at the task's maximum)",
    "Type of item %(n)s (no text yet)": "Type of item %(n)s (no text yet)",
    "Type of item %(n)s \u2018%(text)s\u2019": "Type of item %(n)s \u2018%(text)s\u2019",
    "Unread": "Unread",
    "Unsaved changes\u2026": "Unsaved changes\u2026",
    "Update my re-check": "Update my re-check",
    "Update review": "Update review",
    "Update self-check": "Update self-check",
    "Uphold": "Uphold",
    "Uphold the complaint of %(author)s": "Uphold the complaint of %(author)s",
    "Version %(number)s, %(date)s: %(points)s points": "Version %(number)s, %(date)s: %(points)s points",
    "Viewing as a learner: you can read this conversation but not post.": "Viewing as a learner: you can read this conversation but not post.",
    "Vote among the top reviewers": "Vote among the top reviewers",
    "Vote on the best works": "Vote on the best works",
    "Votes": "Votes",
    "Votes per voter": "Votes per voter",
    "Waiting for your re-check": "Waiting for your re-check",
    "Warned %(learner)s: %(message)s": "Warned %(learner)s: %(message)s",
    "Warning rule at grading": "Warning rule at grading",
    "Warning rules": "Warning rules",
    "Warning rules and their simulated rates": "Warning rules and their simulated rates",
    "Warnings": "Warnings",
    "Warnings among %(n)s reviewers: the fixed %(share)s rule warns %(fixed)s (and %(authors)s authors); the evidence rule warns %(evidence)s.": "Warnings among %(n)s reviewers: the fixed %(share)s rule warns %(fixed)s (and %(authors)s authors); the evidence rule warns %(evidence)s.",
    "Warnings written so far: %(list)s.": "Warnings written so far: %(list)s.",
    "Warnings written so far: none.": "Warnings written so far: none.",
    "Warnings, aggregation and appeals": "Warnings, aggregation and appeals",
    "What learners submit": "What learners submit",
    "What your rating is made of": "What your rating is made of",
    "Who may vote": "Who may vote",
    "Why reviewers chose it": "Why reviewers chose it",
    "Why the deductions are unjustified (optional)": "Why the deductions are unjustified (optional)",
    "Why the grade is wrong": "Why the grade is wrong",
    "Work": "Work",
    "Work %(from)s\u2013%(to)s of %(n)s": [
      "Work %(from)s\u2013%(to)s of %(n)s",
      "Works %(from)s\u2013%(to)s of %(n)s"
    ],
    "Work: not submitted": "Work: not submitted",
    "Work: submitted": "Work: submitted",
    "Works lacking reviews": "Works lacking reviews",
    "Works lacking reviews over time": "Works lacking reviews over time",
    "Works to review": "Works to review",
    "Works to review (%(done)s of %(n)s done)": "Works to review (%(done)s of %(n)s done)",
    "Works to review and their status": "Works to review and their status",
    "Works, their reviews and grades": "Works, their reviews and grades",
    "Write a message, or choose a prepared phrase.": "Write a message, or choose a prepared phrase.",
    "Yes": "Yes",
    "Yes: %(points)s": "Yes: %(points)s",
    "Yes: %(points)s for \u2018%(item)s\u2019": "Yes: %(points)s for \u2018%(item)s\u2019",
    "You appealed on %(date)s.": "You appealed on %(date)s.",
    "You appealed on %(date)s. Course staff will re-check your work.": "You appealed on %(date)s. Course staff will re-check your work.",
    "You are one of the course's top reviewers: choose up to %(n)s work, until %(date)s. You can change your votes until then.": [
      "You are one of the course's top reviewers: choose up to %(n)s work, until %(date)s. You can change your votes until then.",
      "You are one of the course's top reviewers: choose up to %(n)s works, until %(date)s. You can change your votes until then."
    ],
    "You can ask some of the course's top reviewers to re-check this work. Their re-checks are shown here; you still decide with your own re-check.": "You can ask some of the course's top reviewers to re-check this work. Their re-checks are shown here; you still decide with your own re-check.",
    "You complained about the points for %(items)s (%(date)s): %(status)s.": "You complained about the points for %(items)s (%(date)s): %(status)s.",
    "You did %(n)s extra review of %(limit)s possible. Thank you: it counts in your reviewer rating.": [
      "You did %(n)s extra review of %(limit)s possible. Thank you: it counts in your reviewer rating.",
      "You did %(n)s extra reviews of %(limit)s possible. Thank you: they count in your reviewer rating."
    ],
    "You did not submit a work for this task.": "You did not submit a work for this task.",
    "You did not submit a work, so there are no reviews of it.": "You did not submit a work, so there are no reviews of it.",
    "You have no works to review.": "You have no works to review.",
    "You sent your re-check on %(date)s: %(points)s of %(max)s. Course staff see it beside the appeal.": "You sent your re-check on %(date)s: %(points)s of %(max)s. Course staff see it beside the appeal.",
    "You thanked the reviewer for %(target)s (%(date)s).": "You thanked the reviewer for %(target)s (%(date)s).",
    "You took %(work)s as an extra review. Submit it by %(date)s; after that it goes back to the works that need reviews.": "You took %(work)s as an extra review. Submit it by %(date)s; after that it goes back to the works that need reviews.",
    "Your assigned reviews are due at %(date)s. After that, until the cross-check end, only extra reviews are taken.": "Your assigned reviews are due at %(date)s. After that, until the cross-check end, only extra reviews are taken.",
    "Your assigned reviews were due at %(date)s. Until the cross-check end only extra reviews are taken.": "Your assigned reviews were due at %(date)s. Until the cross-check end only extra reviews are taken.",
    "Your complaint is sent to course staff.": "Your complaint is sent to course staff.",
    "Your cross-checks in this course, newest first": "Your cross-checks in this course, newest first",
    "Your grade": "Your grade",
    "Your grade appears here once the cross-check is complete (after %(date)s).": "Your grade appears here once the cross-check is complete (after %(date)s).",
    "Your grade appears here once the cross-check is complete.": "Your grade appears here once the cross-check is complete.",
    "Your grade: %(points)s of %(max)s": "Your grade: %(points)s of %(max)s",
    "Your link is replaced.": "Your link is replaced.",
    "Your message": "Your message",
    "Your message (posted as course staff)": "Your message (posted as course staff)",
    "Your message is sent.": "Your message is sent.",
    "Your rating as a reviewer": "Your rating as a reviewer",
    "Your re-check": "Your re-check",
    "Your re-check of %(work)s is sent to course staff.": "Your re-check of %(work)s is sent to course staff.",
    "Your review": "Your review",
    "Your review of %(work)s is submitted.": "Your review of %(work)s is submitted.",
    "Your reviews": "Your reviews",
    "Your self-check": "Your self-check",
    "Your self-check is saved.": "Your self-check is saved.",
    "Your self-check: %(points)s of %(max)s": "Your self-check: %(points)s of %(max)s",
    "Your thanks are sent.": "Your thanks are sent.",
    "Your votes": "Your votes",
    "Your votes are saved.": "Your votes are saved.",
    "Your work": "Your work",
    "Your work is no longer in the gallery.": "Your work is no longer in the gallery.",
    "Your work is saved. It goes to review when the cross-check starts (%(date)s). You can replace the link until the submission deadline.": "Your work is saved. It goes to review when the cross-check starts (%(date)s). You can replace the link until the submission deadline.",
    "Your work is saved. It goes to review when the cross-check starts. You can replace the link until the submission deadline.": "Your work is saved. It goes to review when the cross-check starts. You can replace the link until the submission deadline.",
    "Your work is shown in the gallery of best works.": "Your work is shown in the gallery of best works.",
    "added by hand": "added by hand",
    "added by staff": "added by staff",
    "author thanked": "author thanked",
    "by %(n)s reviewer": [
      "by %(n)s reviewer",
      "by %(n)s reviewers"
    ],
    "evidence": "evidence",
    "expected %(points)s": "expected %(points)s",
    "fixed (%(share)s)": "fixed (%(share)s)",
    "graded": "graded",
    "ideal": "ideal",
    "in the gallery": "in the gallery",
    "needs staff": "needs staff",
    "no adjustment period": "no adjustment period",
    "no comment": "no comment",
    "no deadline set": "no deadline set",
    "no penalty": "no penalty",
    "no reviews": "no reviews",
    "no reviews received": "no reviews received",
    "not graded yet": "not graded yet",
    "not set": "not set",
    "not yet": "not yet",
    "open for submission": "open for submission",
    "own reviews unfinished": "own reviews unfinished",
    "re-checked": "re-checked",
    "re-checked (staff's own re-check)": "re-checked (staff's own re-check)",
    "rejected": "rejected",
    "rejected by course staff": "rejected by course staff",
    "removed": "removed",
    "restored": "restored",
    "reviewer %(number)s excluded (%(share)s rule)": "reviewer %(number)s excluded (%(share)s rule)",
    "reviewer %(number)s flagged: %(flag)s": "reviewer %(number)s flagged: %(flag)s",
    "reviewer %(number)s: points taken with hardly any comment": "reviewer %(number)s: points taken with hardly any comment",
    "self-check off (%(share)s rule)": "self-check off (%(share)s rule)",
    "self-check: %(points)s": "self-check: %(points)s",
    "shown in the gallery": "shown in the gallery",
    "submitted": "submitted",
    "taken out of the gallery": "taken out of the gallery",
    "the author": "the author",
    "the comment on \u2018%(item)s\u2019": "the comment on \u2018%(item)s\u2019",
    "the overall comment": "the overall comment",
    "the same comment in all their reviews": "the same comment in all their reviews",
    "the top percent of reviewers:": "the top percent of reviewers:",
    "the top reviewers, this many:": "the top reviewers, this many:",
    "upheld": "upheld",
    "upheld by course staff": "upheld by course staff",
    "waiting": "waiting",
    "waiting for course staff": "waiting for course staff",
    "withdrawn by the author": "withdrawn by the author",
    "withdrawn from the gallery by the author": "withdrawn from the gallery by the author",
    "you have not submitted yet": "you have not submitted yet",
    "you submitted": "you submitted",
    "\u2018%(item)s\u2019": "\u2018%(item)s\u2019",
    "\u2212%(points)s": "\u2212%(points)s"
  };
  for (const key in newcatalog) {
    django.catalog[key] = newcatalog[key];
  }
  

  if (!django.jsi18n_initialized) {
    django.gettext = function(msgid) {
      const value = django.catalog[msgid];
      if (typeof value === 'undefined') {
        return msgid;
      } else {
        return (typeof value === 'string') ? value : value[0];
      }
    };

    django.ngettext = function(singular, plural, count) {
      const value = django.catalog[singular];
      if (typeof value === 'undefined') {
        return (count == 1) ? singular : plural;
      } else {
        return value.constructor === Array ? value[django.pluralidx(count)] : value;
      }
    };

    django.gettext_noop = function(msgid) { return msgid; };

    django.pgettext = function(context, msgid) {
      let value = django.gettext(context + '\x04' + msgid);
      if (value.includes('\x04')) {
        value = msgid;
      }
      return value;
    };

    django.npgettext = function(context, singular, plural, count) {
      let value = django.ngettext(context + '\x04' + singular, context + '\x04' + plural, count);
      if (value.includes('\x04')) {
        value = django.ngettext(singular, plural, count);
      }
      return value;
    };

    django.interpolate = function(fmt, obj, named) {
      if (named) {
        return fmt.replace(/%\(\w+\)s/g, function(match){return String(obj[match.slice(2,-2)])});
      } else {
        return fmt.replace(/%s/g, function(match){return String(obj.shift())});
      }
    };


    /* formatting library */

    django.formats = {
    "DATETIME_FORMAT": "N j, Y, P",
    "DATETIME_INPUT_FORMATS": [
      "%Y-%m-%d %H:%M:%S",
      "%Y-%m-%d %H:%M:%S.%f",
      "%Y-%m-%d %H:%M",
      "%m/%d/%Y %H:%M:%S",
      "%m/%d/%Y %H:%M:%S.%f",
      "%m/%d/%Y %H:%M",
      "%m/%d/%y %H:%M:%S",
      "%m/%d/%y %H:%M:%S.%f",
      "%m/%d/%y %H:%M",
      "%Y-%m-%d"
    ],
    "DATE_FORMAT": "N j, Y",
    "DATE_INPUT_FORMATS": [
      "%Y-%m-%d",
      "%m/%d/%Y",
      "%m/%d/%y",
      "%b %d %Y",
      "%b %d, %Y",
      "%d %b %Y",
      "%d %b, %Y",
      "%B %d %Y",
      "%B %d, %Y",
      "%d %B %Y",
      "%d %B, %Y"
    ],
    "DECIMAL_SEPARATOR": ".",
    "FIRST_DAY_OF_WEEK": 0,
    "MONTH_DAY_FORMAT": "F j",
    "NUMBER_GROUPING": 3,
    "SHORT_DATETIME_FORMAT": "m/d/Y P",
    "SHORT_DATE_FORMAT": "m/d/Y",
    "THOUSAND_SEPARATOR": ",",
    "TIME_FORMAT": "P",
    "TIME_INPUT_FORMATS": [
      "%H:%M:%S",
      "%H:%M:%S.%f",
      "%H:%M"
    ],
    "YEAR_MONTH_FORMAT": "F Y"
  };

    django.get_format = function(format_type) {
      const value = django.formats[format_type];
      if (typeof value === 'undefined') {
        return format_type;
      } else {
        return value;
      }
    };

    /* add to global namespace */
    globals.pluralidx = django.pluralidx;
    globals.gettext = django.gettext;
    globals.ngettext = django.ngettext;
    globals.gettext_noop = django.gettext_noop;
    globals.pgettext = django.pgettext;
    globals.npgettext = django.npgettext;
    globals.interpolate = django.interpolate;
    globals.get_format = django.get_format;

    django.jsi18n_initialized = true;
  }
};


                  }
                };
                CrossCheckI18N.init();
                global.CrossCheckI18N = CrossCheckI18N;
            }(this));
        