"""Image renditions are made when an image is uploaded or a page published, not for visitors."""

import pytest
import wagtail_factories
from wagtail.images import get_image_model

from demo.factories.home import NewsPageFactory
from home.images import RENDITION_SPECS

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()


def test_uploading_an_image_makes_every_rendition(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert specs == set(RENDITION_SPECS.values())


def test_visitors_never_cause_a_rendition(client, site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
        news = NewsPageFactory(parent=site_tree["news_index"], image=image, image_alt="Un atelier")
        site_tree["home"].hero_image = image
        site_tree["home"].save_revision().publish()
    count = Rendition.objects.count()

    for url in ("/", "/actualites/", news.url):
        html = client.get(url).content.decode()
        assert "/media/images/" in html
    assert 'alt="Un atelier"' in client.get(news.url).content.decode()
    assert Rendition.objects.count() == count


def test_publishing_a_page_makes_missing_renditions(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
    Rendition.objects.filter(image=image).delete()

    news = NewsPageFactory(parent=site_tree["news_index"], image=image)
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    assert Rendition.objects.filter(image=image).count() == len(RENDITION_SPECS)
