"""The volunteering's public pages, one module a subject: submissions (the two public forms and
the e-mail verification), listing (open needs, interest, the company dashboard), introductions
(answers to a match, one's own space, confirming a need is still open)."""
