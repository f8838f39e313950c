"""The award's public pages, one module a subject: applications (an applicant's dossiers, their
steps, attachments, the partner company's confirmation) and jury (a juror's assigned dossiers
and scoring)."""
