"""StreamField blocks shared by every content page.

Each block names its own template (one per block, in templates/blocks/), icon, description and
preview value, so that editors see what they are choosing in the block picker.
"""

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
        # The level is layout, not words: a search must not find « h2 ».
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "blocks/heading_block.html"
        description = _("Un titre de section, pour structurer la page.")
        preview_value = {"text": "Nos actions", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Texte")
        template = "blocks/paragraph_block.html"
        description = _("Du texte mis en forme : paragraphes, listes, liens.")
        preview_value = (
            "<p>Le réseau accompagne les petites associations dans leur développement.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        max_length=250,
        help_text=_(
            "Décrit l'image pour les personnes qui ne la voient pas. "
            "Laisser vide si l'image est purement décorative."
        ),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/captioned_image_block.html"
        description = _("Une image avec sa légende et son texte alternatif.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    attribution = blocks.CharBlock(label=_("Auteur·rice"), required=False, max_length=200)
    role = blocks.CharBlock(label=_("Fonction"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote_block.html"
        description = _("Une citation mise en valeur, avec son auteur·rice.")
        preview_value = {
            "text": "Faire équipe au conseil d'administration, cela s'apprend.",
            "attribution": "Une présidente d'association",
        }


def link_validator(value):
    """Accept a full http(s) address or a path of this site starting with a single slash."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an outside address, with its label."""

    label = blocks.CharBlock(label=_("Libellé du lien"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.CharBlock(
        label=_("Ou adresse"),
        required=False,
        max_length=500,
        validators=[link_validator],
        help_text=_("Une adresse complète (https://…) ou un chemin du site (/espace-membre/)."),
    )

    class Meta:
        icon = "link"
        label = _("Lien")
        form_classname = "link-block"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": blocks.BlockValidationError(
                        _("Choisissez une page du site ou saisissez une adresse.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = link_href(value)
        return context


def link_href(value):
    page = value.get("page")
    if page is not None:
        return page.url
    return value.get("url") or ""


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    text = blocks.TextBlock(label=_("Texte"), required=False)
    link = LinkBlock(label=_("Bouton"))

    class Meta:
        icon = "pick"
        label = _("Appel à l'action")
        template = "blocks/call_to_action_block.html"
        description = _("Un encadré qui invite à agir : adhérer, candidater, s'inscrire.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = link_href(value["link"])
        return context


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Adresse de la vidéo"),
        help_text=_("Adresse d'une vidéo YouTube, Vimeo ou Dailymotion."),
    )
    title = blocks.CharBlock(
        label=_("Titre de la vidéo"),
        max_length=200,
        help_text=_("Lu par les lecteurs d'écran pour présenter la vidéo."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "blocks/video_block.html"
        description = _("Une vidéo intégrée depuis une plateforme de diffusion.")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("Réponse"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Questions fréquentes")
        template = "blocks/faq_block.html"
        description = _("Des questions et leurs réponses, dépliables une à une.")
        preview_value = {
            "title": "Questions fréquentes",
            "questions": [
                {"question": "Qui peut adhérer ?", "answer": "<p>Toute structure de l'ESS.</p>"}
            ],
        }


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Chiffre"), max_length=20, help_text=_("Par ex. 19 ou 200+"))
    label = blocks.CharBlock(label=_("Libellé"), max_length=120)
    detail = blocks.CharBlock(label=_("Précision"), required=False, max_length=200)

    class Meta:
        icon = "order"
        label = _("Chiffre clé")


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Chiffres"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        label = _("Chiffres clés")
        template = "blocks/key_figures_block.html"
        description = _("Quelques chiffres marquants, mis en valeur côte à côte.")
        preview_value = {
            "title": "En chiffres",
            "figures": [
                {"figure": "19", "label": "binômes candidats en 2018"},
                {"figure": "3", "label": "prix remis"},
            ],
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    faq = FAQBlock()
    key_figures = KeyFiguresBlock()


class PromoCardBlock(blocks.StructBlock):
    """A card on the home page leading to one part of the site."""

    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), max_length=400)
    link = LinkBlock(label=_("Lien"))

    class Meta:
        icon = "doc-full"
        label = _("Carte d'accès")
        template = "blocks/promo_card_block.html"
        description = _("Une carte de la page d'accueil qui mène vers une rubrique.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = link_href(value["link"])
        return context
