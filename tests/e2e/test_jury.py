"""The jury area in a real browser: a juror logs in, scores with the keyboard alone, sees the
weighted total follow their choices and the progress bar move, submits; no serious a11y issue."""

import re

from playwright.sync_api import expect

from demo.factories.awards import (
    application_to_score,
    assign,
    make_grid,
    make_juror,
    make_user,
    scoring_edition,
)
from tests.e2e.portal_steps import type_credentials


def test_a_juror_scores_with_the_keyboard_and_submits(page, demo_server, axe, screenshot):
    edition = scoring_edition(year=2045)
    quality, utility, spread = make_grid(edition)
    application = application_to_score(
        edition, name="Les Jardins Partagés", title="Potagers solidaires"
    )
    juror = make_juror(edition, make_user("claire"))
    assign(application, juror)

    page.goto(demo_server + "/jury/")
    expect(page).to_have_url(re.compile(r"/espace-membre/connexion/\?next=/jury/"))
    assert axe(page) == []

    type_credentials(page, juror.user.email)

    expect(page).to_have_url(re.compile(r"/jury/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "0")
    expect(bar).to_have_attribute("max", "1")
    expect(page.get_by_text("Votre avancement : 0 sur 1 dossiers notés et soumis")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "jury-home-before")

    link = page.get_by_role("link", name="Potagers solidaires")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Potagers solidaires")
    expect(page.get_by_text("Les Jardins Partagés")).to_be_visible()
    total = page.locator("#live-total")
    expect(total).to_have_text("Total pondéré : aucune note pour le moment")
    expect(total).to_have_attribute("aria-live", "polite")
    assert axe(page) == []

    # « Qualité du partenariat » (weight 3, 0–5): Space checks 0, four arrows make it 4.
    page.locator(f"#id_value_{quality.pk}_0").focus()
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"#id_value_{quality.pk}_4")).to_be_checked()
    expect(total).to_have_text("Total pondéré : 80,0 sur 100")
    page.keyboard.press("Tab")  # to the comment
    page.keyboard.type("Un partenariat équilibré.")
    # « Utilité sociale » (weight 2, 1–10): 1, then six arrows make it 7.
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"#id_value_{utility.pk}_6")).to_be_checked()
    # (3 × 4/5 + 2 × 6/9) / 5 = 74.67
    expect(total).to_have_text("Total pondéré : 74,7 sur 100")
    # « Essaimage » (weight 1, 0–5 or « sans objet »): 5 counts, « sans objet » does not.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(total).to_have_text("Total pondéré : 78,9 sur 100")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Sans objet")).to_be_checked()
    expect(total).to_have_text("Total pondéré : 74,7 sur 100")
    assert axe(page) == []
    screenshot(page, "jury-scoring")

    page.get_by_role("button", name="Enregistrer").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Vos notes sont enregistrées (total pondéré : 74,7 sur 100).")
    ).to_be_visible()
    expect(total).to_have_text("Total pondéré : 74,7 sur 100")
    expect(page.get_by_label("Sans objet")).to_be_checked()
    expect(
        page.get_by_label("Commentaire sur « Qualité du partenariat » (facultatif)")
    ).to_have_value("Un partenariat équilibré.")
    assert axe(page) == []

    page.get_by_role("button", name="Soumettre mes notes").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Vos notes sont soumises (total pondéré : 74,7 sur 100).")
    ).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "1")
    assert axe(page) == []
    screenshot(page, "jury-submitted")

    page.get_by_role("main").get_by_role("link", name="Espace jury").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(page.get_by_text("Votre avancement : 1 sur 1 dossiers notés et soumis")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "1")
    row = page.get_by_role("row", name=re.compile("Potagers solidaires"))
    expect(row).to_contain_text("Notes soumises")
    expect(row).to_contain_text("74,7")
    assert axe(page) == []
    screenshot(page, "jury-home-after")
