"""Forms that editors build in Wagtail (contact, registration to a study day or a webinar), on
top of wagtail.contrib.forms: each answer is stored, the staff get it by e-mail and the sender
gets a confirmation.

What the public forms of this app share applies here too: a honeypot and a rate limit per
address (forms/spam.py), and the page is never cached, since it carries a form and, after a
POST, someone's answers.
"""

import json
import logging
from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.ratelimit import rate_limited

from .emails import send_form_page_emails
from .spam import HONEYPOT_FIELD, HoneypotMixin
from .submissions import DOUBLE_SUBMIT_WINDOW

logger = logging.getLogger(__name__)

# Enough for a person who corrects a form a few times, or registers several colleagues.
RATE_LIMIT = 10
RATE_PERIOD = 60 * 60


class FormPageForm(HoneypotMixin, BaseForm):
    """The base of every form built from a FormPage's fields: the honeypot, and a crispy layout
    that lists the editor's fields only (the honeypot is rendered apart, by its include)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(*[name for name in self.fields if name != HONEYPOT_FIELD])

    def clean(self):
        cleaned_data = super().clean()
        # The honeypot is not an answer: keep it out of the stored data and the e-mails.
        cleaned_data.pop(HONEYPOT_FIELD, None)
        return cleaned_data


class FormPageFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("FormPageForm", (FormPageForm,), self.formfields)


class FormField(AbstractFormField):
    page = ParentalKey("forms.FormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(AbstractFormField.Meta):
        verbose_name = _("champ de formulaire")
        verbose_name_plural = _("champs de formulaire")

    def get_field_clean_name(self):
        # A field labelled « Site web » would otherwise take the honeypot's name: the honeypot
        # would disappear and every visitor who gave a website would be taken for a robot.
        name = super().get_field_clean_name()
        return f"{name}_1" if name == HONEYPOT_FIELD else name


class FormPage(AbstractEmailForm):
    """A form an editor builds: the fields, the thank-you text, who gets the answers."""

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(
        _("texte de remerciement"),
        blank=True,
        help_text=_("Affiché après l’envoi du formulaire."),
    )
    send_confirmation = models.BooleanField(
        _("envoyer une confirmation à l’expéditeur"),
        default=True,
        help_text=_(
            "Envoyée à l’adresse saisie dans le premier champ de type « E-mail » du formulaire, "
            "s’il y en a un."
        ),
    )
    confirmation_subject = models.CharField(
        _("objet de la confirmation"),
        max_length=255,
        blank=True,
        help_text=_("Par défaut : « Nous avons bien reçu votre message »."),
    )
    confirmation_text = models.TextField(
        _("texte de la confirmation"),
        blank=True,
        help_text=_(
            "Texte brut. Par ex. pour une inscription : la date, le lieu ou le lien de la "
            "réunion, et qui contacter."
        ),
    )

    form_builder = FormPageFormBuilder
    template = "forms/pages/form_page.html"
    landing_page_template = "forms/pages/form_page_landing.html"

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Champs du formulaire")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail à l’équipe"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("send_confirmation"),
                FieldPanel("confirmation_subject"),
                FieldPanel("confirmation_text"),
            ],
            heading=_("Confirmation à l’expéditeur"),
        ),
    ]
    search_fields = AbstractEmailForm.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de formulaire")
        verbose_name_plural = _("pages de formulaire")

    def meta_description(self):
        return self.search_description

    def social_image(self):
        return None

    def sender_email_field(self):
        """The first field of type « E-mail », whose answer gets the confirmation, or None."""
        return next((f for f in self.get_form_fields() if f.field_type == "email"), None)

    def process_form_submission(self, form):
        # Store first (FormMixin), then send the e-mails once the answer is committed, in the
        # background: a mail server that is down loses nothing and does not fail the page.
        # EmailFormMixin's version would send at once, inside the request.

        with transaction.atomic():
            # One lock per page (a no-op on SQLite, whose writes queue anyway): a double click
            # or a reload of the same answers stores them once and sends the e-mails once.
            type(self).objects.select_for_update().filter(pk=self.pk).first()
            twin = self._same_answers_just_sent(form)
            if twin is not None:
                return twin
            submission = FormMixin.process_form_submission(self, form)
            transaction.on_commit(partial(send_form_page_emails.enqueue, submission.pk))
        return submission

    def _same_answers_just_sent(self, form):
        """The submission of exactly these answers made within DOUBLE_SUBMIT_WINDOW, if any."""

        answers = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
        recent = self.get_submission_class().objects.filter(
            page=self, submit_time__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW
        )
        return next((s for s in recent if s.form_data == answers), None)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            response = self._serve_post(request, *args, **kwargs)
        else:
            response = super().serve(request, *args, **kwargs)
        # Never in any cache, ours (home/cache.py) or the browser's and proxies'.
        add_never_cache_headers(response)
        return response

    def _serve_post(self, request, *args, **kwargs):
        if rate_limited(request, f"form-page:{self.pk}", RATE_LIMIT, RATE_PERIOD):
            context = self.get_context(request)
            context["form"] = self.get_form(request.POST, page=self, user=request.user)
            context["rate_limited"] = True
            return TemplateResponse(request, self.get_template(request), context, status=429)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if form.is_spam:
            # The robot sees the usual thank-you page, but nothing is stored or sent.
            logger.info("Form page %s: honeypot filled, submission dropped.", self.pk)
            return self.render_landing_page(request, None, *args, **kwargs)
        return super().serve(request, *args, **kwargs)
