"""The award's retention rules (privacy.retention), enforcing what awards/processing.py states.

« 3 ans après leur édition » counts from the edition's `results_published_at`: the last date of
its calendar (the database keeps opening < closing ≤ end of scoring ≤ results), after which
nothing more happens to its dossiers nor to its jury. An edition whose results were published on
15 June 2024 lets go of its dossiers (laureates consenting to publication apart) and its jurors'
records on 15 June 2027.

- `awards-expired-applications`: every dossier of such an edition but the laureates whose
  publication is accepted (drafts never submitted included), with what hangs on it by CASCADE:
  its attachments (their files too, from the private storage, once the deletion commits), its
  jury assignments (with the conflict declarations) and their scores and comments. Nothing
  PROTECTs a dossier (its own PROTECT keys point outwards, to the edition, the association and
  the account, and only stop those from being deleted before it), and a laureate page's link is
  SET_NULL: a real deletion, no pseudonymisation needed. Laureates stay, as the award's public
  history, « tant que tient leur accord de publication » (the declaration): a laureate whose
  publication consent is not (or no longer) given is no public history, and goes with the
  others.
- `awards-juror-records`: each juror of such an edition. A juror left without an assignment
  (all theirs were on deleted dossiers) is deleted with their reminders. One who scored a
  laureate is not: deleting them would CASCADE to the laureate's assignments and scores, and
  move the edition's ranking; their record is pseudonymised instead (employer, its SIRET,
  public presentation and its display cleared, reminders deleted), the scores staying.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from home.cache import invalidate_page_cache
from members import retention as members_retention
from privacy.retention import (
    RetentionRule,
    delete_files_on_commit,
    register_rule,
    years_before,
)

from .models import Application, Attachment, AwardEdition, Juror, JuryAssignment, JuryReminder

RETENTION_YEARS = 3


def expired_editions(now):
    """The editions whose results were published more than RETENTION_YEARS years before `now`."""
    return AwardEdition.objects.filter(results_published_at__lt=years_before(now, RETENTION_YEARS))


def delete_expired_applications(now, dry_run):
    public_history = Q(status=Application.Status.LAUREATE, publication_consent=True)
    applications = Application.objects.filter(edition__in=expired_editions(now)).exclude(
        public_history
    )
    count = applications.count()
    if dry_run or not count:
        return count
    attachments = Attachment.objects.filter(application__in=applications)
    names = [name for name in attachments.values_list("file", flat=True) if name]
    # Attachments, assignments (conflict declarations) and scores go by CASCADE.
    applications.delete()
    delete_files_on_commit(Attachment._meta.get_field("file"), names)
    return count


def _has(model):
    return Exists(model.objects.filter(juror=OuterRef("pk")))


def erase_juror_records(now, dry_run):
    jurors = Juror.objects.filter(edition__in=expired_editions(now))
    # Without any assignment left, nothing of the edition's history hangs on the record.
    to_delete = jurors.filter(~_has(JuryAssignment))
    # Scorers of a laureate: only what the record says of them goes. Already cleared records
    # are left out, so that a second run finds nothing.
    to_clear = jurors.filter(_has(JuryAssignment)).filter(
        ~Q(company_name="")
        | ~Q(company_siret="")
        | ~Q(bio="")
        | Q(is_public=True)
        | _has(JuryReminder)
    )
    count = to_delete.count() + to_clear.count()
    if dry_run or not count:
        return count
    to_delete.delete()  # their reminders go by CASCADE
    JuryReminder.objects.filter(juror__in=to_clear).delete()
    to_clear.update(company_name="", company_siret="", bio="", is_public=False)
    # update() sends no post_save: the award pages showing this jury forget it themselves.
    transaction.on_commit(invalidate_page_cache)
    return count


register_rule(
    RetentionRule(
        slug="awards-expired-applications",
        label=_(
            "Dossiers de candidature 3 ans après leur édition (sauf lauréats dont la "
            "publication est acceptée), avec leurs pièces jointes, affectations et notes"
        ),
        processing="awards-applications",
        apply=delete_expired_applications,
        order=20,
    ),
    RetentionRule(
        slug="awards-juror-records",
        label=_("Fiches des jurés 3 ans après leur édition (relances comprises)"),
        processing="awards-jury",
        apply=erase_juror_records,
        order=21,
    ),
)


def organisations_in_use(sender, pks, now, **kwargs):
    """An organisation with a dossier of an edition not yet expired is still the award's: it is
    not pseudonymised as a departed member before that dossier's own retention ends."""
    live = Application.objects.filter(organisation_id__in=pks).exclude(
        edition__in=expired_editions(now)
    )
    return set(live.values_list("organisation_id", flat=True))


members_retention.organisations_in_use.connect(
    organisations_in_use, dispatch_uid="awards-organisations-in-use"
)
