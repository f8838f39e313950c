"""The volunteer matching's staff views in Wagtail's admin: the ranked suggestions for a need
and for an offer (propose a match, send the introduction), and a match's follow-up (answers,
dates, notes; introduce or end it).

Seeing these pages takes the permission to view (or change) matches; every action takes the
permission to change them, and is a POST (CSRF-protected by Django's middleware). The rules
live in `matching` (scores) and `introductions` (the life of a match): these views ask, report
the outcome in a message, and redirect. Staff see volunteers' real names here: the anonymity
is towards associations, not towards the network's team.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .disclosure import is_revealed
from .introductions import MatchError, end, introduce, propose
from .models import BoardNeed, Match, NeedSkill, OfferSkill, VolunteerOffer
from .permissions import acts_on_matches, follows_matches


def _matching():
    """The matching, loaded on first use: its numpy (some 80 modules, about 10 MB a worker) stays
    out of the web workers until staff ask for suggestions."""
    from . import matching

    return matching


SUGGESTION_LIMIT = 10
NOTE_MAX_LENGTH = 2000

# The parts of a score, in the order shown, with their column headings.
COMPONENTS = (
    ("skills", gettext_lazy("Compétences")),
    ("territory", gettext_lazy("Territoire")),
    ("sector", gettext_lazy("Secteur")),
    ("availability", gettext_lazy("Disponibilité")),
)


def _modeladmin_url(model, view="index", *args):
    """The modeladmin page of `model` (its list by default)."""
    return reverse(f"forms_{model._meta.model_name}_modeladmin_{view}", args=args)


def _who(user):
    return (user.get_full_name() or user.email or user.get_username()) if user else ""


def add_note(match, text, *, by=None, now=None):
    """Append a dated, signed line to the match's follow-up notes (the row locked, so two notes
    written at once are both kept)."""
    now = now or timezone.now()
    stamp = formats.date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT")
    line = f"{stamp} — {_who(by)} : {text.strip()}" if by else f"{stamp} — {text.strip()}"
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        match.notes = f"{match.notes.rstrip()}\n{line}" if match.notes.strip() else line
        match.save(update_fields=["notes"])
    return match


def components_of(suggestion):
    """[{label, points, weight}] of a suggestion's score parts, in the order of COMPONENTS."""
    return components_from(suggestion.components)


def components_from(values):
    """[{label, points, weight}] from {component name: points}."""

    return [
        {"label": label, "points": values.get(name), "weight": _matching().WEIGHTS.get(name)}
        for name, label in COMPONENTS
    ]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Nouvelle note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Écrivez la note à ajouter.")},
    )


class EndForm(forms.Form):
    end_note = forms.CharField(
        label=gettext_lazy("Motif ou bilan (facultatif)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- The common frame ---------------------------------------------------------------------------


class MatchingAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "group"
    http_method_names = ["get", "post"]
    list_model = Match
    actions = ()  # the POST `action` values the view answers, each handled by `do_<action>`

    def dispatch(self, request, *args, **kwargs):
        # First of all: a refused user learns nothing, not even whether the object exists.
        if not follows_matches(request.user):
            raise PermissionDenied
        if request.method == "POST" and not acts_on_matches(request.user):
            raise PermissionDenied
        self.load(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, kwargs):
        raise NotImplementedError

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        url = _modeladmin_url(self.list_model)
        items.append({"url": url, "label": capfirst(self.list_model._meta.verbose_name_plural)})
        return items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_act"] = acts_on_matches(self.request.user)
        return context

    def post(self, request, *args, **kwargs):

        action = request.POST.get("action")
        if action not in self.actions:
            return HttpResponseBadRequest(_("Action inconnue."))
        try:
            response = getattr(self, f"do_{action}")()
        except MatchError as error:
            messages.error(request, error.message)
            response = None
        return response or redirect(request.get_full_path())

    def posted(self, model, field, **filters):
        """The object whose id the form sent in `field`, or 404 (also for a malformed id)."""
        value = self.request.POST.get(field, "")
        if not value.isdigit():
            raise Http404
        return get_object_or_404(model, pk=int(value), **filters)

    # Actions shared by both suggestion pages and the match's page.

    def introduce_match(self, match):

        match = introduce(match, by=self.request.user)
        messages.success(
            self.request,
            _(
                "Mise en relation envoyée : « %(organisation)s » et %(volunteer)s reçoivent "
                "chacun un e-mail pour accepter ou décliner."
            )
            % {"organisation": match.need.organisation.name, "volunteer": match.offer.full_name},
        )
        return match


def match_rows(matches):
    return [
        {"match": match, "detail_url": reverse("volunteering_admin:match_detail", args=[match.pk])}
        for match in matches
    ]


# --- Suggestions for a need, and for an offer ---------------------------------------------------


class SuggestionsView(MatchingAdminMixin, TemplateView):
    """The shared page: the subject (a need or an offer), its matches, the ranked suggestions."""

    actions = ("propose", "introduce")

    def suggestions(self):
        raise NotImplementedError

    def existing_matches(self):
        raise NotImplementedError

    def counterpart_id(self, match):
        raise NotImplementedError

    def rows(self, suggestions, matches):
        by_counterpart = {self.counterpart_id(match): match for match in matches}
        rows = []
        for suggestion in suggestions:
            counterpart = self.counterpart(suggestion)
            rows.append(
                {
                    "suggestion": suggestion,
                    "counterpart": counterpart,
                    "score": suggestion.score,
                    "components": components_of(suggestion),
                    "match": by_counterpart.get(counterpart.pk),
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matches = self.existing_matches()
        context.update(
            matches=match_rows(matches),
            rows=self.rows(self.suggestions(), matches),
            component_labels=[label for _name, label in COMPONENTS],
            limit=SUGGESTION_LIMIT,
        )
        return context

    def do_introduce(self):
        match = self.posted(Match, "match", **{self.subject_field: self.subject})
        self.introduce_match(match)


def _need_queryset():
    return BoardNeed.objects.select_related("organisation", "created_by").prefetch_related(
        Prefetch("need_skills", queryset=NeedSkill.objects.select_related("skill")),
        "organisation__sectors",
    )


def _offer_queryset():
    return VolunteerOffer.objects.select_related("user", "company").prefetch_related(
        Prefetch("offer_skills", queryset=OfferSkill.objects.select_related("skill")),
        "preferred_sectors",
    )


class NeedSuggestionsView(SuggestionsView):
    template_name = "forms/admin/need_suggestions.html"
    page_title = gettext_lazy("Bénévoles suggérés")
    list_model = BoardNeed
    subject_field = "need"

    def load(self, kwargs):
        self.subject = self.need = get_object_or_404(_need_queryset(), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.need)

    def suggestions(self):

        suggestions = list(_matching().suggestions_for_need(self.need, limit=SUGGESTION_LIMIT))
        # The offers again, with what the page shows of them, in one query (not one per row).
        offers = _offer_queryset().in_bulk([s.offer.pk for s in suggestions])
        for suggestion in suggestions:
            suggestion.offer = offers.get(suggestion.offer.pk, suggestion.offer)
        return suggestions

    def counterpart(self, suggestion):
        return suggestion.offer

    def counterpart_id(self, match):
        return match.offer_id

    def existing_matches(self):
        return list(
            self.need.matches.select_related("offer__company").order_by("-score", "-created_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            need=self.need,
            inspect_url=_modeladmin_url(BoardNeed, "inspect", self.need.pk),
        )
        return context

    def do_propose(self):

        offer = self.posted(VolunteerOffer, "offer")
        match = propose(self.need, offer, by=self.request.user)
        messages.success(
            self.request,
            _("Mise en relation proposée avec %(volunteer)s (score %(score)s).")
            % {"volunteer": offer.full_name, "score": formats.localize(match.score)},
        )


class OfferSuggestionsView(SuggestionsView):
    template_name = "forms/admin/offer_suggestions.html"
    page_title = gettext_lazy("Besoins suggérés")
    list_model = VolunteerOffer
    subject_field = "offer"

    def load(self, kwargs):
        self.subject = self.offer = get_object_or_404(_offer_queryset(), pk=kwargs["pk"])

    def get_page_subtitle(self):
        # Staff may know who the volunteer is.
        return self.offer.full_name

    def suggestions(self):

        suggestions = list(_matching().suggestions_for_offer(self.offer, limit=SUGGESTION_LIMIT))
        needs = _need_queryset().in_bulk([s.need.pk for s in suggestions])
        for suggestion in suggestions:
            suggestion.need = needs.get(suggestion.need.pk, suggestion.need)
        return suggestions

    def counterpart(self, suggestion):
        return suggestion.need

    def counterpart_id(self, match):
        return match.need_id

    def existing_matches(self):
        return list(
            self.offer.matches.select_related("need__organisation").order_by(
                "-score", "-created_at"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            offer=self.offer,
            inspect_url=_modeladmin_url(VolunteerOffer, "inspect", self.offer.pk),
        )
        return context

    def do_propose(self):

        need = self.posted(BoardNeed, "need")
        match = propose(need, self.offer, by=self.request.user)
        messages.success(
            self.request,
            _("Mise en relation proposée avec « %(need)s » (score %(score)s).")
            % {"need": need, "score": formats.localize(match.score)},
        )


# --- A match's follow-up ------------------------------------------------------------------------


class MatchDetailView(MatchingAdminMixin, TemplateView):
    template_name = "forms/admin/match_detail.html"
    page_title = gettext_lazy("Mise en relation")
    actions = ("note", "introduce", "end")

    def load(self, kwargs):
        self.match = get_object_or_404(
            Match.objects.select_related(
                "need__organisation", "offer__user", "offer__company", "proposed_by"
            ),
            pk=kwargs["pk"],
        )

    def get_page_subtitle(self):
        return f"{self.match.need} ↔ {self.match.offer.full_name}"

    def get_context_data(self, note_form=None, end_form=None, **kwargs):

        context = super().get_context_data(**kwargs)
        match = self.match
        # The pair's score today (skills or availability may have changed since the proposal).
        breakdown = _matching().score_breakdown(match.need, match.offer)
        endable = (Match.Status.PROPOSED, Match.Status.INTRODUCED, Match.Status.ACCEPTED)
        context.update(
            match=match,
            need_url=reverse("volunteering_admin:need_suggestions", args=[match.need_id]),
            offer_url=reverse("volunteering_admin:offer_suggestions", args=[match.offer_id]),
            revealed=is_revealed(match),
            current_score=breakdown["score"],
            components=components_from(breakdown),
            can_introduce=match.status == Match.Status.PROPOSED,
            can_end=match.status in endable,
            note_form=note_form or NoteForm(),
            end_form=end_form or EndForm(),
        )
        return context

    def invalid(self, **forms_):
        messages.error(self.request, _("Rien n’a été enregistré : corrigez le formulaire."))
        return self.render_to_response(self.get_context_data(**forms_))

    def do_note(self):
        form = NoteForm(self.request.POST)
        if not form.is_valid():
            return self.invalid(note_form=form)
        add_note(self.match, form.cleaned_data["note"], by=self.request.user)
        messages.success(self.request, _("Note ajoutée."))

    def do_introduce(self):
        self.introduce_match(self.match)

    def do_end(self):

        form = EndForm(self.request.POST)
        if not form.is_valid():
            return self.invalid(end_form=form)
        end(self.match, by=self.request.user, note=form.cleaned_data["end_note"])
        messages.success(self.request, _("Mise en relation terminée."))
